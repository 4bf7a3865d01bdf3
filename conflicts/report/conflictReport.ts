// The conflict report: what was scored, with which detector, every flag with its
// attribution, the behavioural events, and (where the run has events on held-out
// episodes) the evaluation. Schema-versioned; report.json is this object.
import type { Detector } from '../detector.js';
import { describeEventSpec } from '../input/events.js';
import type { TruthConflict } from '../input/truth.js';
import { attributeOutcomes, flagThoughts, type LatentThoughts } from '../evaluate/attribution.js';
import { episodeOutcome, evaluateOutcomes, nullCheck, type Evaluation, type NullCheck, type ScoredEpisode } from '../evaluate/evaluate.js';
import type { Flag } from '../score/scorer.js';

export const REPORT_SCHEMA = 'thoughtlens.conflict-report';
/** 2: evaluation target/truth/curve/attribution, per-flag thoughts, baselines, precursor verdict. */
export const REPORT_VERSION = 2;

export type FlagOutcome = 'early' | 'false-alarm' | 'during-conflict';

export interface ReportFlag extends Flag {
  /** early: a behavioural conflict starts within H steps after it; false-alarm: on a null step. */
  outcome: FlagOutcome;
  /** Steps until that conflict starts (early flags only). */
  leadToEvent: number | null;
  /** With truth: the true thought each named latent reads (parallel to latents), null where unknown. */
  thoughts?: (number | null)[] | null;
}

/** The same metrics for a baseline detector fitted on the same reference and scored on the same episodes. */
export interface BaselineResult {
  views: string;
  threshold: number | null;
  horizon: number;
  evaluation: Evaluation | null;
  notes: string[];
}

export interface TopLatent {
  latent: number;
  label: string;
  class: string;
  channel: string;
  /** Flags where this latent was among the listed ones. */
  flags: number;
  meanAbsDisagreement: number;
}

export interface EpisodeSeries {
  episode: number;
  step: number[];
  score: number[];
  /** Steps where a behavioural conflict starts. */
  events: number[];
}

export interface ConflictReport {
  schema: typeof REPORT_SCHEMA;
  version: number;
  createdAt: string;
  run: { id: string; dir: string; agents: string[] };
  detector: {
    file: string | null;
    views: string;
    mode: string;
    threshold: number | null;
    far: number;
    horizon: number;
    lambda: number;
    rearm: number;
    calibration: Detector['calibration'];
    fitEpisodes: number[];
    calibrationEpisodes: number[];
    precursors: Detector['precursors'];
    notes: string[];
    dictionary: Record<string, unknown> | null;
  };
  events: { definition: string; count: number; list: { episode: number; step: number }[] };
  scored: { episodes: number; steps: number; episodeIds: number[] };
  evaluation: Evaluation | null;
  /**
   * Where truth/conflicts.json plants no conflict in the scored episodes (so there is nothing to
   * detect and no evaluation), their false alarms alone: every flag is one. Absent otherwise.
   */
  nullCheck?: NullCheck | null;
  /** Whether the run carried truth of its planted conflicts (truth/conflicts.json). */
  truth: { conflicts: number } | null;
  /** Plain verdict on the reference data: a representational precursor was found or not. */
  precursor: { found: boolean; referenceAuroc: number | null; statement: string };
  baselines: BaselineResult[];
  flags: ReportFlag[];
  topLatents: TopLatent[];
  /** Per-episode score series of every scored episode (the workbench draws them all). */
  series: EpisodeSeries[];
  /** Episodes the HTML report charts: those with events or flags first, at most `seriesLimit`. */
  chartEpisodes: number[];
  live?: { batches: number; latencyMs: { median: number; p99: number; max: number } } | undefined;
}

export interface BuildReportOptions {
  runId: string;
  runDir: string;
  detectorFile?: string | null;
  /** Evaluate (metrics with intervals) when events exist. Default true. */
  evaluate?: boolean;
  resamples?: number;
  seed?: number;
  seriesLimit?: number;
  /** Planted conflicts of the run (truth/conflicts.json), if it has them. */
  truth?: readonly TruthConflict[] | null;
  /** Which true thought each view latent reads (attribution.ts), if truth has thoughts. */
  latentThoughts?: LatentThoughts | null;
  baselines?: BaselineResult[];
  /** What the events are, when not the detector's own event definition (truth's divergence steps). */
  eventsDefinition?: string;
}

/** Outcomes of scored episodes, truth-aware and attributed where truth allows. */
export function outcomesOf(scored: readonly ScoredEpisode[], flags: readonly Flag[], horizon: number, truth?: readonly TruthConflict[] | null, map?: LatentThoughts | null) {
  const o = scored.map((e) => episodeOutcome(e, horizon, truth ? truth.filter((c) => c.episode === e.episode) : undefined));
  return truth ? attributeOutcomes(o, flags, map ?? null) : o;
}

export function precursorStatement(d: Detector): ConflictReport['precursor'] {
  const a = d.provenance.referenceAuroc;
  const assessed = a === undefined || Number.isFinite(a);
  const found = assessed && d.provenance.precursorFound !== false;
  const at = a === undefined || !assessed ? '' : ` (AUROC ${a.toFixed(3)} on held-back reference episodes)`;
  return {
    found,
    referenceAuroc: a === undefined || !assessed ? null : a,
    statement: found
      ? `a representational precursor was found on the reference data${at}`
      : !assessed
        ? `no representational precursor could be assessed: the held-back reference episodes hold no behavioural conflict, so nothing shows the score rising before one; flags below are not evidence of one`
        : `no representational precursor found: on the reference data the score does not rise before behavioural conflicts${at}; flags below are not evidence of one`,
  };
}

/** The series the HTML report charts (reports written before chartEpisodes: all of them). */
export function chartSeries(r: ConflictReport): EpisodeSeries[] {
  if (!Array.isArray(r.chartEpisodes)) return r.series;
  const keep = new Set(r.chartEpisodes);
  return r.series.filter((e) => keep.has(e.episode));
}

export function buildReport(d: Detector, scored: readonly ScoredEpisode[], flags: readonly Flag[], o: BuildReportOptions): ConflictReport {
  const H = d.config.horizon;
  const outcomes = outcomesOf(scored, flags, H, o.truth, o.latentThoughts);
  const byEpisode = new Map(scored.map((e, i) => [e.episode, { e, o: outcomes[i]! }]));
  const reportFlags: ReportFlag[] = flags.map((f) => {
    const x = byEpisode.get(f.episode);
    if (!x) return { ...f, outcome: 'false-alarm', leadToEvent: null };
    const r = x.e.step.indexOf(f.step);
    const label = r >= 0 ? x.o.labels[r]! : 0;
    let lead: number | null = null;
    for (const c of x.o.conflicts) if (c.step > f.step && c.step - f.step <= H && (lead === null || c.step - f.step < lead)) lead = c.step - f.step;
    const c = x.o.conflicts.find((c) => f.step >= c.windowStart && f.step < c.step);
    if (c) lead = c.step - f.step;
    const th = o.latentThoughts ? flagThoughts(f, o.latentThoughts) : null;
    return { ...f, outcome: label === 1 ? 'early' : label === 0 ? 'false-alarm' : 'during-conflict', leadToEvent: label === 1 ? lead : null, ...(th ? { thoughts: th } : {}) };
  });
  const eventList = scored.flatMap((e) => e.onsets.map((r) => ({ episode: e.episode, step: e.step[r]! })));
  const evaluation = (o.evaluate ?? true) && eventList.length > 0 ? evaluateOutcomes(outcomes, H, { resamples: o.resamples ?? 1000, seed: o.seed ?? 0, rearm: d.config.rearm }) : null;
  const nothingPlanted = (o.evaluate ?? true) && evaluation === null && o.truth != null && scored.length > 0;
  const nullFigures = nothingPlanted ? nullCheck(outcomes, { resamples: o.resamples ?? 1000, seed: o.seed ?? 0 }) : null;
  const top = new Map<string, TopLatent & { sum: number }>();
  for (const f of flags) {
    for (const l of f.latents) {
      const key = `${f.channel}/${l.latent}`;
      const t = top.get(key) ?? { latent: l.latent, label: l.label, class: l.class, channel: f.channel, flags: 0, meanAbsDisagreement: 0, sum: 0 };
      t.flags++;
      t.sum += Math.abs(l.disagreement);
      top.set(key, t);
    }
  }
  const topLatents = [...top.values()]
    .map(({ sum, ...t }) => ({ ...t, meanAbsDisagreement: Math.round((sum / t.flags) * 1e3) / 1e3 }))
    .sort((a, b) => b.flags - a.flags || b.meanAbsDisagreement - a.meanAbsDisagreement)
    .slice(0, 20);
  // Chart episodes of the HTML report: episodes with events or flags first, then the rest, up to the limit.
  const limit = o.seriesLimit ?? 12;
  const interesting = scored.filter((e) => e.onsets.length || e.flags.length);
  const chosen = [...interesting, ...scored.filter((e) => !(e.onsets.length || e.flags.length))].slice(0, limit);
  const chartEpisodes = chosen.map((e) => e.episode).sort((a, b) => a - b);
  const series = [...scored]
    .sort((a, b) => a.episode - b.episode)
    .map((e) => ({ episode: e.episode, step: Array.from(e.step), score: Array.from(e.score, (v) => Math.round(v * 1e3) / 1e3), events: e.onsets.map((r) => e.step[r]!) }));
  return {
    schema: REPORT_SCHEMA,
    version: REPORT_VERSION,
    createdAt: new Date().toISOString(),
    run: { id: o.runId, dir: o.runDir, agents: [...d.agents] },
    detector: {
      file: o.detectorFile ?? null,
      views: d.provenance.views,
      mode: d.config.mode,
      threshold: Number.isFinite(d.calibration.threshold) ? d.calibration.threshold : null,
      far: d.config.far,
      horizon: H,
      lambda: d.config.lambda,
      rearm: d.config.rearm,
      calibration: d.calibration,
      fitEpisodes: d.provenance.fitEpisodes,
      calibrationEpisodes: d.provenance.calibrationEpisodes,
      precursors: d.precursors,
      notes: d.provenance.notes,
      dictionary: d.provenance.dictionary ?? null,
    },
    events: { definition: o.eventsDefinition ?? describeEventSpec(d.events), count: eventList.length, list: eventList },
    scored: { episodes: scored.length, steps: scored.reduce((s, e) => s + e.step.length, 0), episodeIds: scored.map((e) => e.episode) },
    evaluation,
    ...(nullFigures ? { nullCheck: nullFigures } : {}),
    truth: o.truth ? { conflicts: o.truth.length } : null,
    precursor: precursorStatement(d),
    baselines: o.baselines ?? [],
    flags: reportFlags,
    topLatents,
    series,
    chartEpisodes,
  };
}

/** The one-line statement of a report's null check (no planted conflict in the scored episodes). */
export function nullCheckLine(n: NullCheck): string {
  const i = n.ci.falseAlarmsPer1000;
  return `truth plants no conflict in the scored episodes, so every flag is a false alarm: ${n.falseAlarms} in ${n.steps} steps = ${i.estimate.toFixed(2)} [${i.lo.toFixed(2)}, ${i.hi.toFixed(2)}] per 1000 steps`;
}
