// Loads a run's joined steps into per-episode blocks (contiguous hidden states per agent,
// behaviour columns as plain arrays). Fitting and evaluation work on these; live scoring
// works on joined batches directly.
import type { ColumnSpec, JoinedBatch, RunReader } from '../../data/index.js';

export interface Episode {
  episode: number;
  length: number;
  step: Int32Array;
  /** Per agent (run agent order), length × d_a. */
  hidden: Float32Array[];
  /** Per agent, column name → values. */
  columns: Record<string, unknown[]>[];
}

export interface EpisodeSet {
  agents: string[];
  dims: number[];
  columnSpecs: ColumnSpec[][];
  episodes: Episode[];
}

export interface LoadEpisodesOptions {
  /** Keep only these episodes. */
  include?: (episode: number) => boolean;
}

export function loadEpisodes(run: RunReader, opts: LoadEpisodesOptions = {}): EpisodeSet {
  const agents = run.agentIds;
  const dims = run.manifest.agents.map((a) => a.hiddenSize);
  const builders = new Map<number, Builder>();
  for (const b of run.joined({ validate: false })) appendBatch(builders, b, dims, opts.include);
  return { agents, dims, columnSpecs: run.manifest.agents.map((a) => a.columns), episodes: finishEpisodes(builders, dims) };
}

interface Builder {
  steps: number[];
  hidden: Float32Array[][];
  columns: Record<string, unknown[]>[];
}

export function appendBatch(builders: Map<number, Builder>, b: JoinedBatch, dims: number[], include?: (e: number) => boolean): void {
  for (let r = 0; r < b.length; r++) {
    const e = b.episode[r]!;
    if (include && !include(e)) continue;
    let bl = builders.get(e);
    if (!bl) {
      bl = { steps: [], hidden: dims.map(() => []), columns: dims.map(() => ({})) };
      builders.set(e, bl);
    }
    bl.steps.push(b.step[r]!);
    dims.forEach((d, a) => {
      bl!.hidden[a]!.push(b.hidden[a]!.slice(r * d, (r + 1) * d));
      for (const [k, v] of Object.entries(b.columns[a]!)) (bl!.columns[a]![k] ??= []).push(normalise(v[r]));
    });
  }
}

export function finishEpisodes(builders: Map<number, Builder>, dims: number[]): Episode[] {
  const out: Episode[] = [];
  for (const [episode, bl] of [...builders].sort((x, y) => x[0] - y[0])) {
    const n = bl.steps.length;
    const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => bl.steps[x]! - bl.steps[y]!);
    out.push({
      episode,
      length: n,
      step: Int32Array.from(order, (i) => bl.steps[i]!),
      hidden: dims.map((d, a) => {
        const h = new Float32Array(n * d);
        order.forEach((src, dst) => h.set(bl.hidden[a]![src]!, dst * d));
        return h;
      }),
      columns: bl.columns.map((cols) => Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, order.map((i) => v[i])]))),
    });
  }
  return out;
}

function normalise(v: unknown): unknown {
  return typeof v === 'bigint' ? Number(v) : v;
}

/** A subset of the episodes (same agents and schema). */
export function selectEpisodes(set: EpisodeSet, keep: (e: Episode) => boolean): EpisodeSet {
  return { ...set, episodes: set.episodes.filter(keep) };
}

/** Rows [from, to) of an episode, as an episode with the same id. */
export function episodeRowsSlice(e: Episode, from: number, to: number): Episode {
  const dims = e.hidden.map((h) => h.length / Math.max(1, e.length));
  return {
    episode: e.episode,
    length: to - from,
    step: e.step.slice(from, to),
    hidden: e.hidden.map((h, a) => h.slice(from * dims[a]!, to * dims[a]!)),
    columns: e.columns.map((cols) => Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, v.slice(from, to)]))),
  };
}

/** Fewest rows a part of an episode split in time may hold (each reference segment and the scored rest). */
export const MIN_SEGMENT_ROWS = 64;

/**
 * A run of one long episode split in time: the steps before `fraction` of it become up to `pieces`
 * consecutive reference segments (same episode id, so truth and thought series still line up by
 * (episode, step); the detector fits on some and calibrates on others), the rest one scored
 * episode. Null when either part would hold under MIN_SEGMENT_ROWS rows.
 */
export function splitEpisodeInTime(e: Episode, fraction: number, pieces: number): { reference: Episode[]; scored: Episode } | null {
  const k = Math.round(fraction * e.length);
  if (k < MIN_SEGMENT_ROWS || e.length - k < MIN_SEGMENT_ROWS) return null;
  const n = Math.min(pieces, Math.floor(k / MIN_SEGMENT_ROWS));
  const reference: Episode[] = [];
  for (let i = 0; i < n; i++) reference.push(episodeRowsSlice(e, Math.round((i * k) / n), Math.round(((i + 1) * k) / n)));
  return { reference, scored: episodeRowsSlice(e, k, e.length) };
}
