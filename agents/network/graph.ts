// An undirected simple graph on nodes 0..n-1: sorted neighbour lists and the edge list
// (u < v, in lexicographic order). makeGraph refuses what the network tasks cannot run on:
// self-loops, duplicate edges, nodes out of range, isolated nodes and disconnected graphs
// (a message could never reach the other component, so no task could be solved).
import { GraphError } from './errors.js';

export interface Graph {
  readonly n: number;
  /** Sorted neighbour ids per node. */
  readonly neighbours: readonly (readonly number[])[];
  /** Edges as [u, v] with u < v, sorted. */
  readonly edges: readonly (readonly [number, number])[];
}

export interface MakeGraphOptions {
  /** Allow a disconnected graph (default false). Isolated nodes are always refused. */
  allowDisconnected?: boolean;
}

export function makeGraph(n: number, edges: readonly (readonly [number, number])[], opts: MakeGraphOptions = {}): Graph {
  if (!Number.isInteger(n) || n < 2) throw new GraphError(`needs at least 2 nodes, got ${n}`);
  const sets = Array.from({ length: n }, () => new Set<number>());
  for (const [a, b] of edges) {
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a >= n || b >= n) {
      throw new GraphError(`edge (${a}, ${b}) names a node outside 0..${n - 1}`);
    }
    if (a === b) throw new GraphError(`self-loop at node ${a}: a node cannot be its own neighbour`);
    if (sets[a]!.has(b)) throw new GraphError(`duplicate edge (${Math.min(a, b)}, ${Math.max(a, b)})`);
    sets[a]!.add(b);
    sets[b]!.add(a);
  }
  const isolated = sets.findIndex((s) => s.size === 0);
  if (isolated >= 0) throw new GraphError(`node ${isolated} is isolated (no edges): it can neither send nor receive`);
  const neighbours = sets.map((s) => [...s].sort((x, y) => x - y));
  const g: Graph = {
    n,
    neighbours,
    edges: neighbours.flatMap((ns, u) => ns.filter((v) => v > u).map((v) => [u, v] as const)),
  };
  if (!opts.allowDisconnected) {
    const comp = components(g);
    if (comp.count > 1) {
      const other = comp.label.findIndex((c) => c !== comp.label[0]);
      throw new GraphError(`disconnected: ${comp.count} components (node 0 and node ${other} are not connected)`);
    }
  }
  return g;
}

/** Connected components: a label per node and their number. */
export function components(g: Graph): { count: number; label: Int32Array } {
  const label = new Int32Array(g.n).fill(-1);
  let count = 0;
  for (let s = 0; s < g.n; s++) {
    if (label[s] !== -1) continue;
    const queue = [s];
    label[s] = count;
    while (queue.length) {
      const u = queue.pop()!;
      for (const v of g.neighbours[u]!) {
        if (label[v] !== -1) continue;
        label[v] = count;
        queue.push(v);
      }
    }
    count++;
  }
  return { count, label };
}

/** Hop distances from `source` (-1 where unreachable). */
export function bfsDistances(g: Graph, source: number): Int32Array {
  const dist = new Int32Array(g.n).fill(-1);
  dist[source] = 0;
  const queue = [source];
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head]!;
    for (const v of g.neighbours[u]!) {
      if (dist[v] !== -1) continue;
      dist[v] = dist[u]! + 1;
      queue.push(v);
    }
  }
  return dist;
}

/** Longest shortest path (connected graphs; Infinity when disconnected). */
export function diameter(g: Graph): number {
  let d = 0;
  for (let s = 0; s < g.n; s++) {
    const dist = bfsDistances(g, s);
    for (const x of dist) {
      if (x < 0) return Infinity;
      if (x > d) d = x;
    }
  }
  return d;
}

export function maxDegree(g: Graph): number {
  return g.neighbours.reduce((m, ns) => Math.max(m, ns.length), 0);
}

export function hasEdge(g: Graph, u: number, v: number): boolean {
  const ns = g.neighbours[u];
  if (!ns) return false;
  let lo = 0;
  let hi = ns.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ns[mid] === v) return true;
    if (ns[mid]! < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
