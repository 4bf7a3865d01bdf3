// A network run seen as neighbour pairs: a two-agent run (agents `node` and `neighbour`) whose
// episodes are (network episode, directed edge), each holding the two end nodes' states step by
// step. Every node runs one protocol, so one pair dictionary trained on it (thoughtlens train)
// has a latent per thing a node can hold, read alike at either end of any edge — where a
// crosscoder over all N nodes needs a latent per node and value (docs/NETWORKS.md).
import { createRun, openRun, runDirFor } from '../../data/index.js';
import { DetectorDataError } from '../errors.js';
import { loadEpisodes } from './episodes.js';
import { readNetworkTruth } from './networkTruth.js';

export const PAIR_AGENTS = ['node', 'neighbour'] as const;
/** run.json source.kind of a neighbour-pair run. */
export const EDGE_PAIRS_SOURCE = 'edge-pairs';

/** Where `train <network-run>` keeps the run's pairs in the workspace: run <id>-pairs. */
export function pairRunDirFor(workspace: string, runDir: string): string {
  return runDirFor(workspace, `${openRun(runDir).manifest.id}-pairs`);
}

/** Steps a run holds for every agent (the least over its agents): what a pair run was written from. */
export function sourceRows(counts: Record<string, { rows: number }>): number {
  const rows = Object.values(counts).map((c) => c.rows);
  return rows.length ? Math.min(...rows) : 0;
}

/**
 * Pair rows written at most by default: about one pass of `train`'s default schedule (2 000 steps
 * of 1 024); more adds disk, not training data.
 */
export const PAIR_ROWS_DEFAULT = 2_097_152;

export interface EdgePairRunOptions {
  /** Only these network episodes (default: all). */
  include?: (episode: number) => boolean;
  /** Above this many pair rows, each episode keeps a rotating subset of the directed edges (default PAIR_ROWS_DEFAULT). */
  maxRows?: number;
}

export interface EdgePairRun {
  dir: string;
  /** Directed edges in pair-episode order: pair episode = network episode · edges.length + index. */
  edges: [number, number][];
  /** Directed edges written per network episode (all of them unless maxRows made it fewer). */
  edgesPerEpisode: number;
  rows: number;
}

/** The directed edges of the undirected edge list, both ways, in a fixed order. */
export function directedEdges(edges: readonly [number, number][]): [number, number][] {
  return edges.flatMap(([u, v]): [number, number][] => [
    [u, v],
    [v, u],
  ]);
}

export function writeEdgePairRun(runDir: string, outDir: string, o: EdgePairRunOptions = {}): EdgePairRun {
  const truth = readNetworkTruth(runDir);
  const run = openRun(runDir);
  const set = loadEpisodes(run, { include: o.include });
  const d = set.dims[0]!;
  if (set.dims.some((x) => x !== d)) throw new DetectorDataError(`neighbour pairs need one hidden size for every node; run ${run.manifest.id} has ${[...new Set(set.dims)].join(', ')}`);
  const edges = directedEdges(truth.edges);
  if (!edges.length) throw new DetectorDataError(`run ${run.manifest.id} has no edges in truth/network.json`);
  const steps = set.episodes.reduce((n, e) => n + e.length, 0);
  const maxRows = o.maxRows ?? PAIR_ROWS_DEFAULT;
  const per = edges.length * steps <= maxRows ? edges.length : Math.max(1, Math.floor(maxRows / Math.max(1, steps)));
  const writer = createRun(outDir, {
    source: { kind: EDGE_PAIRS_SOURCE, params: { run: run.manifest.id, edges: edges.length, edgesPerEpisode: per, sourceRows: sourceRows(run.manifest.counts) } },
    agents: PAIR_AGENTS.map((id) => ({ id, hiddenSize: d, columns: [] })),
    flushIntervalMs: 0,
  });
  let rows = 0;
  try {
    set.episodes.forEach((e, i) => {
      // A window of `per` directed edges that moves on each episode, so every edge is seen.
      for (let j = 0; j < per; j++) {
        const k = (i * per + j) % edges.length;
        const [u, v] = edges[k]!;
        const episode = Array.from({ length: e.length }, () => e.episode * edges.length + k);
        writer.append('node', { episode, step: e.step, hidden: e.hidden[u]! });
        writer.append('neighbour', { episode, step: e.step, hidden: e.hidden[v]! });
        rows += e.length;
      }
    });
  } finally {
    writer.close();
  }
  return { dir: outDir, edges, edgesPerEpisode: per, rows };
}
