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

/** Joined rows of the runs per set (one pass over the episode column). */
export function countRows(runs: string[], agents: string[], every: number): { train: number; heldout: number } {
  let train = 0;
  let heldout = 0;
  for (const dir of runs) {
    for (const b of openRun(dir).joined({ agents, reuseBuffer: true, validate: false })) {
      for (let r = 0; r < b.length; r++) if (isHeldOut(b.episode[r]!, every)) heldout++;
      else train++;
    }
  }
  return { train, heldout };
}

/**
 * The hold-out actually used for these runs: `every` when both sides keep at least
 * `minRows` rows, else 0 (too few episodes to hold any out; recorded so it is visible).
 */
export function effectiveHoldout(runs: string[], agents: string[], every: number, minRows = 256): number {
  if (every < 2) return 0;
  const c = countRows(runs, agents, every);
  return c.train >= minRows && c.heldout >= minRows ? every : 0;
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
