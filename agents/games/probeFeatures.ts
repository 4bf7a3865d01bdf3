// Counting baselines for the style probes, from what the agent has seen before acting at round
// t (the joint outcomes of rounds 0..t−1), each feature block repeated per game so that a
// linear probe can weigh the same count differently in different games (a fair match for a
// hidden state that also knows the game):
//   counts   the fractions of the 4 joint outcomes (2·own + other) + the game one-hot
//   ngram    counts, plus the fractions of the 16 consecutive outcome pairs and the last
//            outcome one-hot + the game one-hot
import { GAMES } from './games.js';
import type { GamePlayRecord } from './playGames.js';

export const PROBE_BASELINES = ['counts', 'ngram'] as const;
export type ProbeBaseline = (typeof PROBE_BASELINES)[number];

const BLOCK: Record<ProbeBaseline, number> = { counts: 4, ngram: 4 + 16 + 4 };

export function probeFeatures(rec: GamePlayRecord, t: number, kind: ProbeBaseline): Float64Array[] {
  const T = rec.steps;
  const G = GAMES.length;
  const B = BLOCK[kind];
  const out: Float64Array[] = [];
  for (let i = 0; i < rec.n; i++) {
    const x = new Float64Array(G * B + G);
    const g = rec.game[i]!;
    const o = g * B;
    x[G * B + g] = 1;
    const outcome = (u: number): number => 2 * rec.actions[i * T + u]! + rec.coActions[i * T + u]!;
    for (let u = 0; u < t; u++) x[o + outcome(u)]! += 1 / t;
    if (kind === 'ngram' && t > 0) {
      for (let u = 1; u < t; u++) x[o + 4 + 4 * outcome(u - 1) + outcome(u)]! += 1 / (t - 1);
      x[o + 20 + outcome(t - 1)] = 1;
    }
    out.push(x);
  }
  return out;
}

/** Hidden states of a model fed a record's features (e.g. a random-weight control), at the given rounds. */
export function rowsOf(h: Float64Array, n: number): Float64Array[] {
  const H = h.length / n;
  return Array.from({ length: n }, (_, i) => h.slice(i * H, (i + 1) * H));
}
