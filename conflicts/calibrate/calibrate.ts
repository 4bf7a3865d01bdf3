// Chooses the threshold on reference episodes for a target false-alarm rate: false alarms
// (flags on null steps, see labels.ts) per null step. The lowest threshold whose rate is at
// most the target is found by bisection over the upper half of the null steps' scores. There
// the rate falls as the threshold rises; below the median it need not (a threshold under
// almost every score raises few flags because the score rarely drops below it to re-arm).
import { flagRows } from '../score/flagger.js';

export interface CalibrationInput {
  scores: Float64Array;
  labels: Int8Array;
}

export interface Calibration {
  threshold: number;
  targetRate: number;
  /** False alarms per null step on the calibration episodes at this threshold. */
  achievedRate: number;
  falseAlarms: number;
  nullSteps: number;
  episodes: number;
  /** The smallest non-zero rate these data can resolve (1 / null steps). */
  resolution: number;
}

export function falseAlarmsAt(eps: readonly CalibrationInput[], threshold: number, rearm: number): number {
  let fa = 0;
  for (const e of eps) for (const r of flagRows(e.scores, threshold, rearm)) if (e.labels[r] === 0) fa++;
  return fa;
}

export function calibrateThreshold(eps: readonly CalibrationInput[], targetRate: number, rearm: number): Calibration {
  const nullScores: number[] = [];
  for (const e of eps) for (let r = 0; r < e.scores.length; r++) if (e.labels[r] === 0 && Number.isFinite(e.scores[r]!)) nullScores.push(e.scores[r]!);
  const nullSteps = nullScores.length;
  const base = { targetRate, nullSteps, episodes: eps.length, resolution: nullSteps ? 1 / nullSteps : NaN };
  if (nullSteps === 0) return { ...base, threshold: Infinity, achievedRate: NaN, falseAlarms: 0 };
  const sorted = Float64Array.from(new Set(nullScores)).sort().reverse(); // descending, unique
  const top = sorted[0]!;
  const above = top + Math.max(1e-9, Math.abs(top) * 1e-9);
  const ok = (thr: number) => falseAlarmsAt(eps, thr, rearm) <= targetRate * nullSteps;
  // Bisection: sorted[lo] satisfies (or lo = -1 meaning only `above` does), sorted[hi] does not.
  const last = Math.max(0, Math.floor((sorted.length - 1) / 2));
  let lo = -1;
  let hi = last + 1;
  if (ok(sorted[last]!)) lo = last;
  else {
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (ok(sorted[mid]!)) lo = mid;
      else hi = mid;
    }
  }
  const threshold = lo < 0 ? above : sorted[lo]!;
  const fa = falseAlarmsAt(eps, threshold, rearm);
  return { ...base, threshold, achievedRate: fa / nullSteps, falseAlarms: fa };
}
