// Small-world graphs (Watts & Strogatz 1998): a ring where each node links to its k/2 nearest
// neighbours on each side, then each lattice edge (u, u+j) has its far end moved to a uniform
// random node with probability beta (no self-loops, no duplicates). Like networkx's
// connected_watts_strogatz_graph, a draw that comes out disconnected is redrawn (up to `tries`).
import type { Rng } from '../../util/random.js';
import { GraphError } from './errors.js';
import { components, makeGraph, type Graph } from './graph.js';

export interface WattsStrogatzOptions {
  /** Lattice degree, even (default 4; lowered to the largest even number below n). */
  k?: number;
  /** Rewiring probability (default 0.1). */
  beta?: number;
  tries?: number;
}

export function wattsStrogatz(n: number, rng: Rng, opts: WattsStrogatzOptions = {}): Graph {
  if (n < 3) throw new GraphError(`a small-world graph needs at least 3 nodes, got ${n}`);
  let k = opts.k ?? 4;
  k = Math.min(k - (k % 2), n - 1 - ((n - 1) % 2));
  if (k < 2) k = 2;
  const beta = opts.beta ?? 0.1;
  const tries = opts.tries ?? 100;
  for (let t = 0; t < tries; t++) {
    const adj = Array.from({ length: n }, () => new Set<number>());
    const add = (a: number, b: number) => (adj[a]!.add(b), adj[b]!.add(a));
    for (let u = 0; u < n; u++) for (let j = 1; j <= k / 2; j++) add(u, (u + j) % n);
    for (let j = 1; j <= k / 2; j++) {
      for (let u = 0; u < n; u++) {
        const v = (u + j) % n;
        if (!adj[u]!.has(v) || rng.next() >= beta) continue;
        if (adj[u]!.size >= n - 1) continue;
        let w = rng.int(n);
        while (w === u || adj[u]!.has(w)) w = rng.int(n);
        adj[u]!.delete(v);
        adj[v]!.delete(u);
        add(u, w);
      }
    }
    if (adj.some((s) => s.size === 0)) continue;
    const edges = adj.flatMap((s, u) => [...s].filter((v) => v > u).map((v) => [u, v] as const));
    const g = makeGraph(n, edges, { allowDisconnected: true });
    if (components(g).count === 1) return g;
  }
  throw new GraphError(`no connected small-world graph with n=${n}, k=${k}, beta=${beta} in ${tries} draws`);
}
