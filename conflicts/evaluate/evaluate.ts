// Honest evaluation on held-out episodes (docs/CONFLICTS.md). With t_e a behavioural conflict's
// start and its detection window [t_w, t_e − 1]:
//  - with truth (truth/conflicts.json): t_w is the conflict's true onset (the step its drift
//    began); without truth: t_w = t_e − H, H the detector's horizon;
//  - a conflict is detected when a flag falls inside its window; its lead is t_e minus the
//    earliest such flag. A flag before the window (before the onset) is a false alarm, as is
//    every flag on a null step; rate per 1000 steps of all evaluated steps;
//  - AUROC of the step score for a fixed target, the window itself (`target` says which):
//    positives are window steps, nulls steps away from any conflict (labels.ts);
//  - a horizon-free curve: detection rate against false alarms per 1000 steps as the
//    threshold sweeps (`curve`), so no single threshold or horizon flatters;
//  - attribution (attribution.ts), where flags carry it and truth names the thoughts;
//  - percentile-bootstrap intervals resample whole episodes (seeded); a single scored episode
//    is cut into TIME_BLOCKS consecutive blocks that are resampled instead (a block bootstrap).
import { auroc } from '../../util/auroc.js';
import { bootstrapGroups, type Interval } from '../../util/bootstrap.js';
import { median, quantile } from '../../util/quantile.js';
import type { Detector } from '../detector.js';
import type { EpisodeSet } from '../input/episodes.js';
import { stepLabels } from '../input/labels.js';
import type { TruthConflict } from '../input/truth.js';
import { flagRows } from '../score/flagger.js';
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
  /** First step of the detection window: the true onset with truth, else step − H. */
  windowStart: number;
  flaggedBefore: boolean;
  /** Steps from the earliest flag in the window to the conflict, or null. */
  lead: number | null;
  /** Row of that earliest flag, or null. */
  flagRow?: number | null;
  /** The planted conflict behind it, where truth has one. */
  truth?: TruthConflict | null;
  /** Set by attributeOutcomes (attribution.ts) for detections with truth. */
  attribution?: { latentCorrect: boolean | null; agentCorrect: boolean | null };
}

export interface EpisodeOutcome {
  episode: number;
  steps: number;
  /** Step of each row. */
  stepIds?: ArrayLike<number>;
  conflicts: ConflictOutcome[];
  falseAlarms: number;
  flags: number;
  labels: Int8Array;
  scores: Float64Array;
  /** Rows of its flags (for the time-block bootstrap of a single episode). */
  flagRows?: readonly number[];
}

/**
 * The planted conflict behind each behavioural onset of an episode: the truth conflict of
 * that episode whose divergence step is nearest the onset, within `tolerance` steps.
 */
export function matchTruth(step: ArrayLike<number>, onsets: readonly number[], truth: readonly TruthConflict[], tolerance: number): (TruthConflict | null)[] {
  const used = new Set<TruthConflict>();
  return onsets.map((o) => {
    const te = step[o]!;
    let best: TruthConflict | null = null;
    for (const c of truth) {
      // onset == divergence: matched with an empty window (no detection possible; an earlier flag is a false alarm)
      if (used.has(c) || Math.abs(c.divergenceStep - te) > tolerance || c.onsetStep > te) continue;
      if (!best || Math.abs(c.divergenceStep - te) < Math.abs(best.divergenceStep - te)) best = c;
    }
    if (best) used.add(best);
    return best;
  });
}

/**
 * Outcome of one scored episode. With `truth` (that episode's planted conflicts) each
 * conflict's window starts at its true onset; truth conflicts with no behavioural onset in
 * the episode (divergence past its end) leave their steps from onset on unlabelled.
 */
export function episodeOutcome(e: ScoredEpisode, horizon: number, truth?: readonly TruthConflict[]): EpisodeOutcome {
  const matched = truth ? matchTruth(e.step, e.onsets, truth, horizon) : e.onsets.map(() => null);
  const starts = matched.map((c) => (c ? c.onsetStep : null));
  const labels = stepLabels(e.step, e.active, e.onsets, horizon, Infinity, starts);
  for (const c of truth ?? []) {
    if (matched.includes(c)) continue;
    for (let r = 0; r < e.step.length; r++) if (e.step[r]! >= c.onsetStep) labels[r] = -1;
  }
  const conflicts = e.onsets.map((o, i) => {
    const te = e.step[o]!;
    const t0 = starts[i] ?? te - horizon;
    let first: number | null = null;
    let flagRow: number | null = null;
    for (const f of e.flags) {
      const t = e.step[f]!;
      if (t >= t0 && t < te && (first === null || t < first)) {
        first = t;
        flagRow = f;
      }
    }
    const out: ConflictOutcome = { episode: e.episode, step: te, windowStart: t0, flaggedBefore: first !== null, lead: first === null ? null : te - first };
    if (truth) Object.assign(out, { flagRow, truth: matched[i] ?? null });
    return out;
  });
  const falseAlarms = e.flags.filter((f) => labels[f] === 0).length;
  return { episode: e.episode, steps: e.step.length, stepIds: e.step, conflicts, falseAlarms, flags: e.flags.length, labels, scores: e.score, flagRows: e.flags };
}

export interface CurvePoint {
  threshold: number;
  detectionRate: number;
  falseAlarmsPer1000: number;
}

export interface Evaluation {
  horizon: number;
  /** What AUROC and detection are measured against, in words. */
  target: string;
  /** Whether truth (true onsets) defined the windows. */
  truth: boolean;
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
  /** Detection rate vs false alarms per 1000 steps over thresholds (needs `rearm`). */
  curve: CurvePoint[];
  /** Area under that curve up to 1 false alarm per 1000 steps, divided by 1 (a rate in [0, 1]). */
  curveArea: number | null;
  /**
   * Attribution of detections with truth: the fraction whose top-named latent reads one of
   * the drifting thoughts, and whose named agent is the one that drifted.
   */
  attribution: { detections: number; latents: Interval | null; agent: Interval | null } | null;
  /**
   * What the intervals resample: whole episodes, or — when a single episode is scored —
   * `blocks` consecutive time blocks of it (a block bootstrap; each conflict goes with the block
   * of its behavioural onset).
   */
  bootstrap: { resamples: number; level: number; seed: number; unit: 'episode' | 'time block'; blocks?: number };
}

/** What the intervals resampled, in words: "12 episodes" or "8 consecutive time blocks of the one scored episode". */
export function bootstrapUnits(e: Pick<Evaluation, 'episodes' | 'bootstrap'>): string {
  return e.bootstrap.unit === 'time block'
    ? `${e.bootstrap.blocks} consecutive time blocks of the one scored episode`
    : `${e.episodes} episode${e.episodes === 1 ? '' : 's'}`;
}

/** Consecutive time blocks a single scored episode is cut into for its intervals. */
export const TIME_BLOCKS = 8;

/**
 * One episode's outcome cut into `blocks` consecutive row ranges, each an outcome of its own:
 * the labelled steps, flags and false alarms in the range, and the conflicts whose behavioural
 * onset lies in it. The counts add up to the episode's, so every point estimate is unchanged.
 * Null when the episode has too few rows or no flag rows recorded.
 */
export function timeBlocks(o: EpisodeOutcome, blocks = TIME_BLOCKS): EpisodeOutcome[] | null {
  const n = o.labels.length;
  if (!o.flagRows || !o.stepIds || n < 2 * blocks) return null;
  const stepIds = o.stepIds;
  const flagRows = o.flagRows;
  return Array.from({ length: blocks }, (_, b) => {
    const r0 = Math.floor((b * n) / blocks);
    const r1 = Math.floor(((b + 1) * n) / blocks);
    const s0 = stepIds[r0]!;
    const s1 = r1 < n ? stepIds[r1]! : Infinity;
    const inBlock = (r: number) => r >= r0 && r < r1;
    const flags = flagRows.filter(inBlock);
    return {
      episode: o.episode,
      steps: r1 - r0,
      stepIds: Array.from({ length: r1 - r0 }, (_, i) => stepIds[r0 + i]!),
      conflicts: o.conflicts.filter((c) => c.step >= s0 && c.step < s1),
      falseAlarms: flags.filter((r) => o.labels[r] === 0).length,
      flags: flags.length,
      labels: o.labels.subarray(r0, r1),
      scores: o.scores.subarray(r0, r1),
      flagRows: flags.map((r) => r - r0),
    };
  });
}

export interface EvaluateOptions {
  resamples?: number;
  level?: number;
  seed?: number;
  /** The detector's re-arm steps: with it the threshold sweep (`curve`) is computed. */
  rearm?: number;
  /** Thresholds in the sweep (default 40). */
  curvePoints?: number;
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
  latentAttribution(o: readonly EpisodeOutcome[]): number {
    return fraction(o, (a) => a.latentCorrect);
  },
  agentAttribution(o: readonly EpisodeOutcome[]): number {
    return fraction(o, (a) => a.agentCorrect);
  },
};

function fraction(o: readonly EpisodeOutcome[], pick: (a: NonNullable<ConflictOutcome['attribution']>) => boolean | null): number {
  let n = 0;
  let k = 0;
  for (const e of o) {
    for (const c of e.conflicts) {
      const v = c.attribution ? pick(c.attribution) : null;
      if (v === null) continue;
      n++;
      if (v) k++;
    }
  }
  return n ? k / n : NaN;
}

/** Detection rate and false alarms per 1000 steps at one threshold, flags re-raised with the same hysteresis. */
export function operatingPoint(o: readonly EpisodeOutcome[], threshold: number, rearm: number): CurvePoint {
  let n = 0;
  let k = 0;
  let fa = 0;
  let steps = 0;
  for (const e of o) {
    const rows = flagRows(e.scores, threshold, rearm);
    steps += e.steps;
    for (const r of rows) if (e.labels[r] === 0) fa++;
    for (const c of e.conflicts) {
      n++;
      if (rows.some((r) => e.stepIds && e.stepIds[r]! >= c.windowStart && e.stepIds[r]! < c.step)) k++;
    }
  }
  return { threshold, detectionRate: n ? k / n : NaN, falseAlarmsPer1000: steps ? (1000 * fa) / steps : NaN };
}

/** The threshold sweep: thresholds at quantiles of the scores on labelled steps, from the median up. */
export function detectionCurve(o: readonly EpisodeOutcome[], rearm: number, points = 40): CurvePoint[] {
  const s: number[] = [];
  for (const e of o) for (let r = 0; r < e.scores.length; r++) if (e.labels[r]! >= 0 && Number.isFinite(e.scores[r]!)) s.push(e.scores[r]!);
  if (s.length === 0) return [];
  s.sort((a, b) => a - b);
  const thr = new Set<number>();
  for (let i = 0; i < points; i++) {
    const p = 0.5 + 0.5 * (1 - Math.pow(1 - i / (points - 1), 3)); // dense near the top
    thr.add(quantile(s, Math.min(1, p)));
  }
  thr.add(s[s.length - 1]! + 1e-9);
  return [...thr].sort((a, b) => a - b).map((t) => operatingPoint(o, t, rearm));
}

/** Area under detection rate vs false alarms per 1000 steps on [0, 1] (step interpolation, best rate at each budget). */
export function curveAreaTo1(curve: readonly CurvePoint[]): number | null {
  if (curve.length === 0) return null;
  const best = (fa: number) => Math.max(0, ...curve.filter((p) => p.falseAlarmsPer1000 <= fa).map((p) => p.detectionRate));
  let area = 0;
  const n = 100;
  for (let i = 0; i < n; i++) area += best((i + 0.5) / n) / n;
  return area;
}

/** Best detection rate at a false-alarm budget (per 1000 steps) on the curve. */
export function detectionAt(curve: readonly CurvePoint[], falseAlarmsPer1000: number): number {
  return Math.max(0, ...curve.filter((p) => p.falseAlarmsPer1000 <= falseAlarmsPer1000).map((p) => p.detectionRate));
}

export function evaluateScored(scored: readonly ScoredEpisode[], horizon: number, opts: EvaluateOptions = {}, truth?: readonly TruthConflict[]): Evaluation {
  const o = scored.map((e) => episodeOutcome(e, horizon, truth ? truth.filter((c) => c.episode === e.episode) : undefined));
  return evaluateOutcomes(o, horizon, opts);
}

export function evaluationTarget(truth: boolean, horizon: number): string {
  return truth
    ? 'a planted conflict is under way and behaviour has not yet diverged (true onset ≤ t < divergence); flags before the onset are false alarms'
    : `behaviour diverges within ${horizon} steps (t_e − ${horizon} ≤ t < t_e; no truth, so the onset is not known)`;
}

/**
 * What the intervals resample and how: whole episodes, or — one scored episode, which resampled alone
 * gives intervals of no width — its time blocks; with the bootstrap settings.
 */
function resampling(o: readonly EpisodeOutcome[], opts: EvaluateOptions) {
  const bo = { resamples: opts.resamples ?? 1000, level: opts.level ?? 0.95, seed: opts.seed ?? 0 };
  const blocks = o.length === 1 ? timeBlocks(o[0]!) : null;
  return { bo, blocks, units: blocks ?? o };
}

export function evaluateOutcomes(o: readonly EpisodeOutcome[], horizon: number, opts: EvaluateOptions = {}): Evaluation {
  const { bo, blocks, units } = resampling(o, opts);
  const leads = o.flatMap((e) => e.conflicts.filter((c) => c.lead !== null).map((c) => c.lead!));
  const conflicts = o.reduce((s, e) => s + e.conflicts.length, 0);
  const flaggedBefore = o.reduce((s, e) => s + e.conflicts.filter((c) => c.flaggedBefore).length, 0);
  const steps = o.reduce((s, e) => s + e.steps, 0);
  const falseAlarms = o.reduce((s, e) => s + e.falseAlarms, 0);
  const q = (p: number) => quantile(leads, p);
  const truth = o.some((e) => e.conflicts.some((c) => c.truth));
  const curve = opts.rearm !== undefined ? detectionCurve(o, opts.rearm, opts.curvePoints) : [];
  const attributed = o.reduce((s, e) => s + e.conflicts.filter((c) => c.attribution).length, 0);
  const anyLatent = o.some((e) => e.conflicts.some((c) => c.attribution && c.attribution.latentCorrect !== null));
  const anyAgent = o.some((e) => e.conflicts.some((c) => c.attribution && c.attribution.agentCorrect !== null));
  return {
    horizon,
    target: evaluationTarget(truth, horizon),
    truth,
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
      auroc: bootstrapGroups(units, stat.auroc, bo),
      detectionRate: bootstrapGroups(units, stat.detectionRate, bo),
      medianLead: bootstrapGroups(units, stat.medianLead, bo),
      falseAlarmsPer1000: bootstrapGroups(units, stat.falseAlarmsPer1000, bo),
    },
    curve,
    curveArea: curveAreaTo1(curve),
    attribution: attributed
      ? {
          detections: attributed,
          latents: anyLatent ? bootstrapGroups(units, stat.latentAttribution, bo) : null,
          agent: anyAgent ? bootstrapGroups(units, stat.agentAttribution, bo) : null,
        }
      : null,
    bootstrap: blocks ? { ...bo, unit: 'time block', blocks: blocks.length } : { ...bo, unit: 'episode' },
  };
}

/**
 * False alarms alone, for scored episodes that truth says hold no planted conflict (every flag is
 * then a false alarm): the rate per 1000 steps with its bootstrap interval, resampled like
 * evaluateOutcomes (episodes, or time blocks of a single episode).
 */
export interface NullCheck {
  episodes: number;
  steps: number;
  flags: number;
  falseAlarms: number;
  falseAlarmsPer1000: number;
  ci: { falseAlarmsPer1000: Interval };
}

export function nullCheck(o: readonly EpisodeOutcome[], opts: EvaluateOptions = {}): NullCheck {
  const { bo, units } = resampling(o, opts);
  const steps = o.reduce((s, e) => s + e.steps, 0);
  const falseAlarms = o.reduce((s, e) => s + e.falseAlarms, 0);
  return {
    episodes: o.length,
    steps,
    flags: o.reduce((s, e) => s + e.flags, 0),
    falseAlarms,
    falseAlarmsPer1000: steps ? (1000 * falseAlarms) / steps : NaN,
    ci: { falseAlarmsPer1000: bootstrapGroups(units, stat.falseAlarmsPer1000, bo) },
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
