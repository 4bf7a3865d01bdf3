// Test-time edits of the history an agent has seen: at round `at` its memory is rebuilt from
// the observations so far, either in a random order (shuffle: the start symbol stays first
// and the latest outcome stays last, so only the order of the older rounds is lost) or
// cut to the most recent `keep` observations (truncate: the context then starts mid-game).
import type { Rng } from '../../util/random.js';
import { UsageError } from '../../data/index.js';

export const HISTORY_TRANSFORMS = ['shuffle', 'truncate'] as const;
export type HistoryTransformKind = (typeof HISTORY_TRANSFORMS)[number];

export interface HistoryTransform {
  /** Round at which the memory is rebuilt (≥ 2). */
  at: number;
  transform: HistoryTransformKind;
  /** truncate: observations kept (default 3). */
  keep?: number;
}

/**
 * The rebuilt feed of one episode: `seen` holds the observations fed at rounds 0..at
 * (seen[0] is the start symbol, seen[at] the latest outcome).
 */
export function transformHistory(seen: readonly number[], h: HistoryTransform, rng: Rng): number[] {
  if (!Number.isInteger(h.at) || h.at < 2 || seen.length !== h.at + 1) throw new UsageError(`history transform: 'at' must be an integer ≥ 2 within the episode, got ${h.at}`);
  if (h.transform === 'truncate') {
    const keep = h.keep ?? 3;
    if (!Number.isInteger(keep) || keep < 1) throw new UsageError(`history transform: 'keep' must be a positive integer, got ${keep}`);
    return seen.slice(Math.max(1, seen.length - keep));
  }
  const middle = seen.slice(1, -1);
  for (let i = middle.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [middle[i], middle[j]] = [middle[j]!, middle[i]!];
  }
  return [seen[0]!, ...middle, seen[seen.length - 1]!];
}
