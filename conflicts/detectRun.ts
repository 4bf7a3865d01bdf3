// The whole offline pipeline behind `thoughtlens detect`: get a detector (load one, or fit
// one on a reference run or on the first part of this run's episodes), score the held-out
// episodes, evaluate against the behavioural events (and the run's truth, where it has
// some), fit and score the baselines on the same reference and episodes, and build the
// report. Truth is read only to evaluate: it never reaches the detector.
import { openRun, type RunReader } from '../data/index.js';
import type { Detector } from './detector.js';
import type { DetectorConfig } from './detectorConfig.js';
import { loadEpisodes, splitEpisodeInTime, type EpisodeSet } from './input/episodes.js';
import { DetectorDataError } from './errors.js';
import { describeEventSpec, resolveEventSpec, type EventOptions } from './input/events.js';
import { readConflictTruth, readThoughtSeries, type TruthConflict } from './input/truth.js';
import { latentThoughtMap } from './evaluate/attribution.js';
import { scoreEpisodes, type ScoredEpisode } from './evaluate/evaluate.js';
import { onsetsOutsideTruth, withTruthDivergence } from './evaluate/truthDivergence.js';
import { fitDetector, fitEvents, type ViewSource } from './fit/fitDetector.js';
import { buildReport, outcomesOf, type BaselineResult, type ConflictReport } from './report/conflictReport.js';
import { evaluateOutcomes, TIME_BLOCKS, type EpisodeOutcome } from './evaluate/evaluate.js';

export interface DetectRunOptions {
  runDir: string;
  /** A fitted detector; otherwise one is fitted. */
  detector?: Detector;
  detectorFile?: string;
  /** Fit on this run (all its episodes) instead of the first part of the scored run. */
  referenceDir?: string;
  /** Fraction of the run's episodes (in episode order) used as reference when fitting on the run itself (default 0.5). */
  trainFraction?: number;
  views?: ViewSource;
  config?: DetectorConfig;
  events?: EventOptions;
  resamples?: number;
  seed?: number;
  onProgress?: (stage: string) => void;
  /**
   * Baselines fitted on the same reference episodes with the same options and scored on the
   * same episodes (e.g. ccaViews(), behaviourOnly); their metrics go into the report.
   * Only when the detector is fitted here.
   */
  baselines?: ViewSource[];
  /** Read truth/ of the scored run for evaluation and attribution (default true). */
  truth?: boolean;
}

export interface DetectRunResult {
  detector: Detector;
  /** True when the detector was fitted here (callers save it). */
  fitted: boolean;
  report: ConflictReport;
  scoredEpisodes: number[];
  /** Per scored episode: labels, scores, conflicts with their windows and attribution (for pooling across runs). */
  outcomes: EpisodeOutcome[];
  /** The same for each baseline, by view name. */
  baselineOutcomes: Record<string, EpisodeOutcome[]>;
}

/** Reference segments a single-episode run's first part is cut into (fit and calibration need several). */
const SINGLE_EPISODE_PIECES = 8;

export function detectRun(o: DetectRunOptions): DetectRunResult {
  const run = openRun(o.runDir);
  const progress = o.onProgress ?? (() => undefined);
  progress('reading run');
  const all = loadEpisodes(run);
  if (all.episodes.length === 0) throw new DetectorDataError(`run '${run.manifest.id}' has no complete steps to score`);
  let detector = o.detector;
  let fitted = false;
  let scored: EpisodeSet = all;
  let reference: EpisodeSet | null = null;
  let referenceDir = run.dir;
  /** First scored step when a single-episode run was split in time (else null). */
  let splitInTime: number | null = null;
  /** Why a default event was set aside (fitEvents), else null. */
  let eventsNote: string | null = null;
  const eventOverride = o.events && (o.events.rule || o.events.column) ? o.events : undefined;
  if (!detector) {
    if (!o.views) throw new DetectorDataError('no detector and no view source to fit one');
    let refRun: RunReader = run;
    if (o.referenceDir) {
      refRun = openRun(o.referenceDir);
      referenceDir = refRun.dir;
      progress('reading reference run');
      reference = loadEpisodes(refRun);
    } else {
      const frac = o.trainFraction ?? 0.5;
      const n = all.episodes.length;
      const k = Math.round(frac * n);
      // One long episode (a generator with no episode structure): split it in time.
      const cut = n === 1 ? splitEpisodeInTime(all.episodes[0]!, frac, SINGLE_EPISODE_PIECES) : null;
      if (cut) {
        reference = { ...all, episodes: cut.reference };
        scored = { ...all, episodes: [cut.scored] };
        splitInTime = cut.scored.step[0]!;
      } else if (n < 2 || k < 1 || k >= n) {
        throw new DetectorDataError(
          `cannot split run '${run.manifest.id}' (${n} episode${n === 1 ? '' : 's'}) into reference and held-out episodes at fraction ${frac}; give --reference <run> or --detector <file>`,
        );
      } else {
        reference = { ...all, episodes: all.episodes.slice(0, k) };
        scored = { ...all, episodes: all.episodes.slice(k) };
      }
    }
    const fe = fitEvents(reference, o.events);
    eventsNote = fe.note;
    progress('fitting detector');
    detector = fitDetector(reference, { events: fe.events, eventsNote, views: o.views, ...(o.config ? { config: o.config } : {}), run: refRun.manifest.id });
    if (splitInTime !== null) {
      detector.provenance.notes.push(
        `the run holds one episode: fitted on its steps before ${splitInTime} (cut into ${reference.episodes.length} consecutive reference segments), scored from step ${splitInTime} on; the report's intervals resample ${TIME_BLOCKS} consecutive time blocks of the scored steps (a block bootstrap: blocks taken as independent, each conflict with the block of its behavioural divergence; it says nothing about variation between episodes)`,
      );
    }
    fitted = true;
  } else {
    if (detector.agents.join(',') !== all.agents.join(',')) {
      throw new DetectorDataError(`the detector was fitted for agents ${detector.agents.join(', ')}; run '${run.manifest.id}' has ${all.agents.join(', ')}`);
    }
    if (eventOverride) detector = { ...detector, events: resolveEventSpec(all.agents, all.columnSpecs, eventOverride) };
    // Never evaluate on the episodes the detector was fitted or calibrated on.
    if (detector.provenance.run === run.manifest.id) {
      const seen = new Set([...detector.provenance.fitEpisodes, ...detector.provenance.calibrationEpisodes]);
      scored = { ...all, episodes: all.episodes.filter((e) => !seen.has(e.episode)) };
    }
  }
  progress('scoring');
  const allTruth = o.truth === false ? null : readConflictTruth(run.dir, all.agents);
  // Split in time: conflicts that were over before the scored steps belong to the reference part.
  const truth = allTruth && splitInTime !== null ? allTruth.filter((c) => c.divergenceStep >= splitInTime!) : allTruth;
  // Where truth plants conflicts, every figure is scored against its divergence steps (the detector
  // was never fitted on them), not against the behaviour rule's onsets, which may fire elsewhere too.
  const noBehaviour = detector.events.kind === 'none';
  const byTruth = truth !== null && truth.length > 0;
  const eventsOf = (s: ReturnType<typeof scoreEpisodes>) => (byTruth ? { ...s, episodes: withTruthDivergence(s.episodes, truth!) } : s);
  const raw = scoreEpisodes(detector, scored);
  const { episodes, flags } = eventsOf(raw);
  const eventsDefinition = eventsNote
    ? `${byTruth ? 'the divergence steps of truth/conflicts.json' : 'none'} (${eventsNote})`
    : byTruth && !noBehaviour
      ? truthEventsDefinition(raw.episodes, truth!, describeEventSpec(detector.events), detector.config.horizon)
      : undefined;
  progress('evaluating');
  const thoughts = truth ? readThoughtSeries(referenceDir, scored.agents) : null;
  const latentThoughts = thoughts ? latentThoughtMap(detector, reference ?? scored, thoughts) : null;
  const boot = { resamples: o.resamples ?? 1000, seed: o.seed ?? 0 };
  const baselines: BaselineResult[] = [];
  const baselineOutcomes: Record<string, EpisodeOutcome[]> = {};
  if (fitted && reference && o.baselines?.length) {
    for (const v of o.baselines) {
      if (noBehaviour && !v.fit) continue; // behaviour-only: nothing to read without behaviour
      progress(`baseline ${v.name}`);
      const b = fitDetector(reference, { events: detector.events, views: v, config: { ...(o.config ?? {}), horizon: detector.config.horizon }, run: detector.provenance.run ?? '' });
      const s = eventsOf(scoreEpisodes(b, scored));
      const bThoughts = thoughts && v.fit ? latentThoughtMap(b, reference, thoughts) : null;
      const out = outcomesOf(s.episodes, s.flags, b.config.horizon, truth, bThoughts);
      const hasEvents = s.episodes.some((e) => e.onsets.length > 0);
      baselineOutcomes[b.provenance.views] = out;
      baselines.push({
        views: b.provenance.views,
        threshold: Number.isFinite(b.calibration.threshold) ? b.calibration.threshold : null,
        horizon: b.config.horizon,
        evaluation: hasEvents ? evaluateOutcomes(out, b.config.horizon, { ...boot, rearm: b.config.rearm }) : null,
        notes: b.provenance.notes,
      });
    }
  }
  const report = buildReport(detector, episodes, flags, {
    runId: run.manifest.id,
    runDir: run.dir,
    detectorFile: o.detectorFile ?? null,
    ...(o.resamples !== undefined ? { resamples: o.resamples } : {}),
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    truth,
    latentThoughts,
    baselines,
    ...(eventsDefinition ? { eventsDefinition } : {}),
  });
  const outcomes = outcomesOf(episodes, flags, detector.config.horizon, truth, latentThoughts);
  return { detector, fitted, report, scoredEpisodes: episodes.map((e) => e.episode), outcomes, baselineOutcomes };
}

/** The report's event definition when truth's divergence steps replace the behaviour rule's onsets. */
function truthEventsDefinition(episodes: readonly ScoredEpisode[], truth: readonly TruthConflict[], own: string, horizon: number): string {
  const ids = new Set(episodes.map((e) => e.episode));
  const planted = truth.filter((c) => ids.has(c.episode)).length;
  const onsets = episodes.reduce((n, e) => n + e.onsets.length, 0);
  const outside = onsetsOutsideTruth(episodes, truth, horizon);
  const s = (n: number) => (n === 1 ? '' : 's');
  return `the divergence steps of truth/conflicts.json (${planted} planted conflict${s(planted)} in the scored episodes); the detector's own events, ${own}, had ${onsets} onset${s(onsets)} there, ${outside} at no planted divergence (within ${horizon} steps), not scored as conflicts`;
}
