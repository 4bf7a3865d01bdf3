// Scale-free graphs (Barabási & Albert 1999) by preferential attachment: a complete graph on
// m + 1 seed nodes, then each new node links to m distinct existing nodes drawn with
// probability proportional to their degree. Connected by construction.
import type { Rng } from '../../util/random.js';
import { GraphError } from './errors.js';
import { makeGraph, type Graph } from './graph.js';

export interface BarabasiAlbertOptions {
  /** Edges per new node (default 2; lowered to n - 1 for tiny graphs). */
  m?: number;
}

export function barabasiAlbert(n: number, rng: Rng, opts: BarabasiAlbertOptions = {}): Graph {
  if (n < 3) throw new GraphError(`a scale-free graph needs at least 3 nodes, got ${n}`);
  const m = Math.max(1, Math.min(opts.m ?? 2, n - 1));
  const edges: [number, number][] = [];
  // every edge puts both ends on the list once: drawing from it is drawing ∝ degree
  const ends: number[] = [];
  for (let u = 0; u <= m; u++) {
    for (let v = u + 1; v <= m; v++) {
      edges.push([u, v]);
      ends.push(u, v);
    }
  }
  for (let u = m + 1; u < n; u++) {
    const picked = new Set<number>();
    while (picked.size < m) picked.add(ends[rng.int(ends.length)]!);
    for (const v of [...picked].sort((a, b) => a - b)) {
      edges.push([v, u]);
      ends.push(v, u);
    }
  }
  return makeGraph(n, edges);
}
