// Training contexts for the burstiness ablation (Raparthy et al. 2024), all with the same
// number of labelled rounds (sequences × length):
//   whole     each context is one co-player's trajectory from its start
//   partial   each context is a run of `segment`-round pieces, each a contiguous piece of a
//             different co-player's trajectory (random co-player, random offset)
//   isolated  each round of a context is an (observation, best move) example drawn from a
//             random trajectory at a random round: no two neighbours share a co-player
// The rounds are the same labelled examples in every condition; only their arrangement in
// context differs.
import type { Rng } from '../../util/random.js';
import { UsageError } from '../../data/index.js';
import type { Trajectories } from '../ipd/index.js';
import type { LabelledEpisodes } from './bestResponseEpisodes.js';

export const CONTEXT_KINDS = ['whole', 'partial', 'isolated'] as const;
export type ContextKind = (typeof CONTEXT_KINDS)[number];

export interface BurstyContextOptions {
  kind: ContextKind;
  sequences: number;
  /** Rounds per context (≤ the episodes' length). */
  length: number;
  /** partial: rounds per piece (default 10). */
  segment?: number;
}

/** Contexts as trajectories for fitPredictor: its target "co-player move" is the best-response move. */
export function burstyContexts(d: LabelledEpisodes, o: BurstyContextOptions, rng: Rng): Trajectories {
  const L = o.length;
  const T = d.steps;
  if (!Number.isInteger(L) || L < 1 || L > T) throw new UsageError(`context length must be an integer in 1..${T}, got ${L}`);
  const seg = Math.max(1, Math.min(L, o.segment ?? 10));
  const n = o.sequences;
  const feats = new Int32Array(n * L);
  const coMoves = new Uint8Array(n * L);
  const put = (i: number, t: number, e: number, r: number): void => {
    feats[i * L + t] = d.obs[e * T + r]!;
    coMoves[i * L + t] = d.best[e * T + r]!;
  };
  // whole: every episode once before any repeats, in a random order
  const order = Int32Array.from({ length: d.n }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (let i = 0; i < n; i++) {
    if (o.kind === 'whole') {
      const e = order[i % d.n]!;
      for (let t = 0; t < L; t++) put(i, t, e, t);
    } else if (o.kind === 'partial') {
      for (let t0 = 0; t0 < L; t0 += seg) {
        const len = Math.min(seg, L - t0);
        const e = rng.int(d.n);
        const r0 = rng.int(T - len + 1);
        for (let j = 0; j < len; j++) put(i, t0 + j, e, r0 + j);
      }
    } else {
      for (let t = 0; t < L; t++) put(i, t, rng.int(d.n), rng.int(T));
    }
  }
  return { n, steps: L, featuresPerStep: 1, feats, coMoves };
}
