// One entry point for the graph families, by name, seeded: the same (family, n, seed) gives
// the same graph on every platform.
import { makeRng } from '../../util/random.js';
import { barabasiAlbert } from './barabasiAlbert.js';
import { delaunay } from './delaunay.js';
import { NetworkConfigError } from './errors.js';
import type { Graph } from './graph.js';
import { wattsStrogatz } from './wattsStrogatz.js';

export const GRAPH_FAMILIES = ['small-world', 'scale-free', 'delaunay'] as const;
export type GraphFamily = (typeof GRAPH_FAMILIES)[number];

export const MAX_NODES = 4096;

export function isGraphFamily(name: string): name is GraphFamily {
  return (GRAPH_FAMILIES as readonly string[]).includes(name);
}

export function generateGraph(family: string, n: number, seed: number): Graph {
  if (!isGraphFamily(family)) throw new NetworkConfigError('graph', `must be one of ${GRAPH_FAMILIES.join(', ')}, got '${family}'`);
  if (!Number.isInteger(n) || n < 3 || n > MAX_NODES) throw new NetworkConfigError('nodes', `must be an integer in 3..${MAX_NODES}, got ${n}`);
  const rng = makeRng((Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(n, 0x85ebca6b) ^ GRAPH_FAMILIES.indexOf(family)) >>> 0);
  if (family === 'small-world') return wattsStrogatz(n, rng);
  if (family === 'scale-free') return barabasiAlbert(n, rng);
  return delaunay(n, rng);
}
