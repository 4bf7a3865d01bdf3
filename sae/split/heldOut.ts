// The train / evaluation episode split. A dictionary is trained on some episodes and its split
// decided, and its ground-truth scores computed, on episodes it never saw: with
// `holdoutEvery = n` (default 5) the episodes whose id ≡ n − 1 (mod n) are held out. The rule is
// stored in the checkpoint (cfg.json) so every later command uses the same episodes.
import { openRun } from '../../data/index.js';

export type EpisodeSet = 'train' | 'heldout' | 'all';

/** True when episode `e` is held out under `every` (0 or 1: nothing is held out). */
export function isHeldOut(e: number, every: number): boolean {
  if (every < 2) return false;
  return ((e % every) + every) % every === every - 1;
}

/** The episode filter of a set, or null for all episodes. */
export function episodeFilter(set: EpisodeSet, every: number): ((e: number) => boolean) | null {
  if (set === 'all' || every < 2) return null;
  return set === 'heldout' ? (e) => isHeldOut(e, every) : (e) => !isHeldOut(e, every);
}

/** Fewest rows effectiveHoldout leaves on each side (training and held out) by default. */
export const MIN_HOLDOUT_ROWS = 256;

/** Joined rows of the runs per episode id (one pass over the episode column). */
export function rowsPerEpisode(runs: string[], agents: string[]): Map<number, number> {
  const rows = new Map<number, number>();
  for (const dir of runs) {
    for (const b of openRun(dir).joined({ agents, reuseBuffer: true, validate: false })) {
      for (let r = 0; r < b.length; r++) rows.set(b.episode[r]!, (rows.get(b.episode[r]!) ?? 0) + 1);
    }
  }
  return rows;
}

/** Joined rows per set under `every`, from rowsPerEpisode. */
export function countRows(perEpisode: Map<number, number>, every: number): { train: number; heldout: number } {
  let train = 0;
  let heldout = 0;
  for (const [e, n] of perEpisode) {
    if (isHeldOut(e, every)) heldout += n;
    else train += n;
  }
  return { train, heldout };
}

/**
 * The hold-out actually used for these runs: `every` when both sides keep at least `minRows`
 * rows; else the largest smaller n ≥ 2 that does (a run of 2–4 episodes numbered 0…E−1 holds
 * none out under every 5th, but its last one under every E-th); else 0 (too few episodes to
 * hold any out; recorded so it is visible).
 */
export function effectiveHoldout(runs: string[], agents: string[], every: number, minRows = MIN_HOLDOUT_ROWS): number {
  if (every < 2) return 0;
  const perEpisode = rowsPerEpisode(runs, agents);
  for (let n = every; n >= 2; n--) {
    const c = countRows(perEpisode, n);
    if (c.train >= minRows && c.heldout >= minRows) return n;
  }
  return 0;
}

export interface EpisodeSample {
  /** Per agent rows × d_a raw values. */
  xs: Float32Array[];
  rows: number;
  /** Episode id of each row (bootstrap over episodes). */
  episode: Int32Array;
}

/** Up to `rows` joined rows of the set, evenly spaced over it (two passes, deterministic). */
export function readEpisodeSample(runs: string[], agents: string[], rows: number, filter: ((e: number) => boolean) | null): EpisodeSample {
  let total = 0;
  for (const dir of runs) {
    for (const b of openRun(dir).joined({ agents, reuseBuffer: true, validate: false })) {
      if (!filter) total += b.length;
      else for (let r = 0; r < b.length; r++) if (filter(b.episode[r]!)) total++;
    }
  }
  const want = Math.max(0, Math.min(rows, total));
  const stride = total / Math.max(1, want);
  let xs: Float32Array[] | null = null;
  const episode = new Int32Array(want);
  let seen = 0;
  let got = 0;
  let next = 0;
  for (const dir of runs) {
    for (const b of openRun(dir).joined({ agents, reuseBuffer: true })) {
      xs ??= b.hidden.map((h) => new Float32Array(want * (h.length / Math.max(1, b.length))));
      for (let r = 0; r < b.length && got < want; r++) {
        if (filter && !filter(b.episode[r]!)) continue;
        if (seen++ !== Math.floor(next)) continue;
        next += stride;
        b.hidden.forEach((h, a) => {
          const d = h.length / b.length;
          xs![a]!.set(h.subarray(r * d, (r + 1) * d), got * d);
        });
        episode[got++] = b.episode[r]!;
      }
    }
  }
  return { xs: xs ?? agents.map(() => new Float32Array(0)), rows: got, episode: episode.subarray(0, got) };
}
