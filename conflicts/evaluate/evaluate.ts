// Honest evaluation on held-out episodes (DESIGN.md §4). With H the horizon:
//  - AUROC of the step score for "a behavioural conflict starts within H steps", over
//    labelled steps (labels.ts: positives t_e−H ≤ t < t_e, nulls away from any conflict);
//  - a conflict is flagged before it happens when a flag falls in [t_e − H, t_e − 1];
//    its lead time is t_e minus the earliest such flag;
//  - a false alarm is a flag on a null step; rate per 1000 steps of all evaluated steps;
//  - percentile-bootstrap intervals resample whole episodes (seeded).
import { auroc } from '../../util/auroc.js';
import { bootstrapGroups, type Interval } from '../../util/bootstrap.js';
import { median, quantile } from '../../util/quantile.js';
import type { Detector } from '../detector.js';
import type { EpisodeSet } from '../input/episodes.js';
import { stepLabels } from '../input/labels.js';
import { ConflictScorer, type Flag } from '../score/scorer.js';
import { episodeRows } from '../input/stepRowsOf.js';

export interface ScoredEpisode {
  episode: number;
  step: Int32Array;
  score: Float64Array;
  active: Uint8Array;
  /** Rows where a behavioural conflict starts. */
  onsets: number[];
  /** Rows where a flag was raised. */
  flags: number[];
}

export function scoreEpisodes(d: Detector, set: EpisodeSet, threshold?: number): { episodes: ScoredEpisode[]; flags: Flag[] } {
  const flags: Flag[] = [];
  const episodes = set.episodes.map((e) => {
    const s = new ConflictScorer(d, threshold === undefined ? {} : { threshold }).push(episodeRows(e));
    flags.push(...s.flags);
    const onsets: number[] = [];
    s.onset.forEach((v, r) => v && onsets.push(r));
    return { episode: e.episode, step: s.step, score: s.score, active: s.active, onsets, flags: s.flagRows };
  });
  return { episodes, flags };
}

export interface ConflictOutcome {
  episode: number;
  /** Step where the behavioural conflict starts. */
  step: number;
  flaggedBefore: boolean;
  /** Steps from the earliest flag in the horizon to the conflict, or null. */
  lead: number | null;
}

export interface EpisodeOutcome {
  episode: number;
  steps: number;
  conflicts: ConflictOutcome[];
  falseAlarms: number;
  flags: number;
  labels: Int8Array;
  scores: Float64Array;
}

export function episodeOutcome(e: ScoredEpisode, horizon: number): EpisodeOutcome {
  const labels = stepLabels(e.step, e.active, e.onsets, horizon);
  const conflicts = e.onsets.map((o) => {
    const te = e.step[o]!;
    let first: number | null = null;
    for (const f of e.flags) {
      const t = e.step[f]!;
      if (t >= te - horizon && t < te && (first === null || t < first)) first = t;
    }
    return { episode: e.episode, step: te, flaggedBefore: first !== null, lead: first === null ? null : te - first };
  });
  const falseAlarms = e.flags.filter((f) => labels[f] === 0).length;
  return { episode: e.episode, steps: e.step.length, conflicts, falseAlarms, flags: e.flags.length, labels, scores: e.score };
}

export interface Evaluation {
  horizon: number;
  episodes: number;
  steps: number;
  conflicts: number;
  flaggedBefore: number;
  detectionRate: number;
  leads: number[];
  medianLead: number;
  leadQuantiles: { p10: number; p25: number; p50: number; p75: number; p90: number };
  flags: number;
  falseAlarms: number;
  falseAlarmsPer1000: number;
  auroc: number;
  ci: { auroc: Interval; detectionRate: Interval; medianLead: Interval; falseAlarmsPer1000: Interval };
  bootstrap: { resamples: number; level: number; seed: number; unit: 'episode' };
}

export interface EvaluateOptions {
  resamples?: number;
  level?: number;
  seed?: number;
}

export const stat = {
  auroc(o: readonly EpisodeOutcome[]): number {
    const s: number[] = [];
    const y: number[] = [];
    for (const e of o) {
      for (let r = 0; r < e.labels.length; r++) {
        if (e.labels[r]! < 0) continue;
        s.push(e.scores[r]!);
        y.push(e.labels[r]!);
      }
    }
    return auroc(s, y);
  },
  detectionRate(o: readonly EpisodeOutcome[]): number {
    let n = 0;
    let k = 0;
    for (const e of o) {
      for (const c of e.conflicts) {
        n++;
        if (c.flaggedBefore) k++;
      }
    }
    return n ? k / n : NaN;
  },
  medianLead(o: readonly EpisodeOutcome[]): number {
    return median(o.flatMap((e) => e.conflicts.filter((c) => c.lead !== null).map((c) => c.lead!)));
  },
  falseAlarmsPer1000(o: readonly EpisodeOutcome[]): number {
    let fa = 0;
    let steps = 0;
    for (const e of o) {
      fa += e.falseAlarms;
      steps += e.steps;
    }
    return steps ? (1000 * fa) / steps : NaN;
  },
};

export function evaluateScored(scored: readonly ScoredEpisode[], horizon: number, opts: EvaluateOptions = {}): Evaluation {
  const o = scored.map((e) => episodeOutcome(e, horizon));
  return evaluateOutcomes(o, horizon, opts);
}

export function evaluateOutcomes(o: readonly EpisodeOutcome[], horizon: number, opts: EvaluateOptions = {}): Evaluation {
  const bo = { resamples: opts.resamples ?? 1000, level: opts.level ?? 0.95, seed: opts.seed ?? 0 };
  const leads = o.flatMap((e) => e.conflicts.filter((c) => c.lead !== null).map((c) => c.lead!));
  const conflicts = o.reduce((s, e) => s + e.conflicts.length, 0);
  const flaggedBefore = o.reduce((s, e) => s + e.conflicts.filter((c) => c.flaggedBefore).length, 0);
  const steps = o.reduce((s, e) => s + e.steps, 0);
  const falseAlarms = o.reduce((s, e) => s + e.falseAlarms, 0);
  const q = (p: number) => quantile(leads, p);
  return {
    horizon,
    episodes: o.length,
    steps,
    conflicts,
    flaggedBefore,
    detectionRate: conflicts ? flaggedBefore / conflicts : NaN,
    leads,
    medianLead: median(leads),
    leadQuantiles: { p10: q(0.1), p25: q(0.25), p50: q(0.5), p75: q(0.75), p90: q(0.9) },
    flags: o.reduce((s, e) => s + e.flags, 0),
    falseAlarms,
    falseAlarmsPer1000: steps ? (1000 * falseAlarms) / steps : NaN,
    auroc: stat.auroc(o),
    ci: {
      auroc: bootstrapGroups(o, stat.auroc, bo),
      detectionRate: bootstrapGroups(o, stat.detectionRate, bo),
      medianLead: bootstrapGroups(o, stat.medianLead, bo),
      falseAlarmsPer1000: bootstrapGroups(o, stat.falseAlarmsPer1000, bo),
    },
    bootstrap: { ...bo, unit: 'episode' },
  };
}

/** Paired bootstrap of AUROC(a) − AUROC(b) over the same episodes (same resamples). */
export function aurocDifference(a: readonly EpisodeOutcome[], b: readonly EpisodeOutcome[], opts: EvaluateOptions = {}): Interval {
  if (a.length !== b.length) throw new Error('aurocDifference: both sides must cover the same episodes');
  const idx = a.map((_, i) => i);
  return bootstrapGroups(idx, (s) => stat.auroc(s.map((i) => a[i]!)) - stat.auroc(s.map((i) => b[i]!)), {
    resamples: opts.resamples ?? 1000,
    level: opts.level ?? 0.95,
    seed: opts.seed ?? 0,
  });
}
