// Fits a detector on reference episodes: view maps and normalisation on one part (the fit
// episodes), precursor selection and the combined score on the same part, and the threshold
// for the target false-alarm rate on the held-back calibration episodes.
import type { ColumnSpec } from '../../data/index.js';
import { auroc } from '../../util/auroc.js';
import { makeRng, shuffleInPlace } from '../../util/random.js';
import { BehaviourChannel } from '../score/behaviourChannel.js';
import { calibrateThreshold, type CalibrationInput } from '../calibrate/calibrate.js';
import type { Channel } from '../score/channel.js';
import { Combiner } from '../score/combiner.js';
import type { Detector, PrecursorInfo } from '../detector.js';
import { resolveDetectorConfig, type DetectorConfig, type ResolvedDetectorConfig } from '../detectorConfig.js';
import type { EpisodeSet } from '../input/episodes.js';
import { DetectorDataError } from '../errors.js';
import { describeEventSpec, episodeEvents, eventLabels, makeEventPredicate, nullStepShare, resolveEventSpec, type EventOptions, type EventSpec } from '../input/events.js';
import { fitCcaViews, fitDictionaryViews, type RowMask } from './fitViews.js';
import { fitPairChannel } from './fitPairChannel.js';
import type { LatentCoder } from '../input/latentCoder.js';
import { ConflictScorer } from '../score/scorer.js';
import { episodeRows } from '../input/stepRowsOf.js';
import type { SharedViewModel } from '../score/viewModel.js';

/** Fits a shared view model for one agent pair on reference episodes (rows outside conflicts). */
export type ViewModelFitter = (set: EpisodeSet, pair: [number, number], mask: RowMask) => SharedViewModel;

export interface ViewSource {
  /** Recorded in the detector ('dictionary-shared', 'cca-raw', 'behaviour', …). */
  name: string;
  /** Absent for the behaviour baseline. */
  fit?: ViewModelFitter;
  /** Recorded in the detector's provenance. */
  info?: Record<string, unknown>;
}

export interface ViewSourceOptions {
  /** Random tanh features per agent before the linear maps (default 256; 0 = raw states only). */
  randomFeatures?: number;
  featureSeed?: number;
}

export const DEFAULT_RANDOM_FEATURES = 256;

/**
 * Defaults of the dictionary's views (chosen on development seeds 101–102 of the planted
 * benchmark, never on its held-out seeds): ridge 1e-3 (as canonical correlation's), two
 * consensus passes, and only the latents whose two first-pass views correlate ≥ 0.9 on
 * reference steps. Without that filter ('all') no latent is dropped.
 */
export const DICTIONARY_VIEW_DEFAULTS = { ridge: 1e-3, consensus: 2, minReliability: 0.9 } as const;

/**
 * Which of the dictionary's latents the agents are compared on:
 * - 'read-alike' (default): every live latent, whatever its split class, that both agents'
 *   states read alike (first-pass views correlate ≥ minReliability). What two agents share is
 *   then measured on the data the detector fits, not taken from the split: a shared thought the
 *   split gave one latent per agent (each labelled private) is still compared, a truly private
 *   latent (the other agent's state cannot predict it) is not. docs/RESULTS.md, "EWMA weight,
 *   horizon rule and the latents the views compare".
 * - 'shared': only latents the split calls shared (or partial), then the same filter (the
 *   default before the sixth session).
 * - 'all': every live latent, no filter (the no-split baseline).
 */
export const DICTIONARY_VIEW_LATENTS = ['read-alike', 'shared', 'all'] as const;
export type DictionaryViewLatents = (typeof DICTIONARY_VIEW_LATENTS)[number];

export interface DictionaryViewSourceOptions extends ViewSourceOptions {
  ridge?: number;
  consensus?: number;
  minReliability?: number;
}

const VIEW_SOURCE_NAMES: Record<DictionaryViewLatents, string> = { 'read-alike': 'dictionary-read-alike', shared: 'dictionary-shared', all: 'dictionary-all' };

/** The dictionary's views on the chosen latents (DICTIONARY_VIEW_LATENTS). */
export function dictionaryViews(coder: LatentCoder, which: DictionaryViewLatents = 'read-alike', o: DictionaryViewSourceOptions = {}): ViewSource {
  const f = { randomFeatures: o.randomFeatures ?? DEFAULT_RANDOM_FEATURES, featureSeed: o.featureSeed ?? 0 };
  const d = DICTIONARY_VIEW_DEFAULTS;
  const v = { ridge: o.ridge ?? d.ridge, consensus: o.consensus ?? d.consensus, minReliability: o.minReliability ?? (which === 'all' ? 0 : d.minReliability) };
  const name = VIEW_SOURCE_NAMES[which];
  return {
    name,
    fit: (set, pair, mask) => fitDictionaryViews(set, pair, coder, { split: which === 'shared', kind: name, mask, ...v, ...f }),
    info: { ...(coder.source ?? {}), views: { latents: which, ...v, randomFeatures: f.randomFeatures } },
  };
}

export function ccaViews(components = 8, o: ViewSourceOptions = {}): ViewSource {
  const f = { randomFeatures: o.randomFeatures ?? DEFAULT_RANDOM_FEATURES, featureSeed: o.featureSeed ?? 0 };
  return { name: 'cca-raw', fit: (set, pair, mask) => fitCcaViews(set, pair, { components, mask, ...f }) };
}

export const behaviourOnly: ViewSource = { name: 'behaviour' };

export interface FitDetectorOptions {
  config?: DetectorConfig;
  events: EventSpec;
  views: ViewSource;
  run?: string;
  /** Fit on all reference episodes, calibrate on these instead of a held-back part. */
  calibration?: EpisodeSet;
  /** Why the events are what they are (fitEvents' note), put first among the detector's notes. */
  eventsNote?: string | null;
}

/** Horizons the reference data can choose from (chooseHorizon). */
export const HORIZON_RANGE = { min: 3, max: 60 } as const;
/** A lag counts as showing the signal when its steps score above null steps with at least this AUROC. */
export const HORIZON_LAG_AUROC = 0.7;
/** A rise of the lag curve by more than this above its lowest point so far ends the horizon (horizonFromLagAuroc). */
export const HORIZON_RISE = 0.02;
/** Below this AUROC on the calibration episodes the report says no representational precursor was found. */
export const PRECURSOR_CHANCE_AUROC = 0.6;

/** Below this share of null reference steps a default event is set aside (fitEvents). */
export const MIN_NULL_SHARE = 0.05;

/**
 * The events to fit a detector on: those the user named, else the run's default (resolveEventSpec)
 * — unless that default is on nearly all the time (agents whose actions differ for reasons of their
 * own), leaving under MIN_NULL_SHARE of the reference steps HORIZON_RANGE.max steps from a conflict
 * to fit on; then none, as for a run without behaviour, with a note saying why. A rule the user named
 * is kept (fitDetector then stops, saying it leaves no null step).
 */
export function fitEvents(reference: EpisodeSet, given?: EventOptions): { events: EventSpec; note: string | null } {
  const events = resolveEventSpec(reference.agents, reference.columnSpecs, given);
  if (given?.rule || given?.column || events.kind === 'none') return { events, note: null };
  const share = nullStepShare(reference, events, HORIZON_RANGE.max);
  if (share >= MIN_NULL_SHARE) return { events, note: null };
  return {
    events: { kind: 'none' },
    note: `the default behavioural event, ${describeEventSpec(events)}, leaves ${(100 * share).toFixed(1)}% of the reference steps at least ${HORIZON_RANGE.max} steps from a behavioural conflict (under ${100 * MIN_NULL_SHARE}%: it is on nearly all the time), so the detector is fitted as for a run without behaviour; name a sparser event with --event '<rule>' or --event-column`,
  };
}

export function fitDetector(reference: EpisodeSet, opts: FitDetectorOptions): Detector {
  let cfg = resolveDetectorConfig(opts.config);
  const autoHorizon = opts.config?.horizon === undefined;
  if (autoHorizon) cfg = resolveDetectorConfig({ ...cfg, horizon: HORIZON_RANGE.max });
  const notes: string[] = opts.eventsNote ? [opts.eventsNote] : [];
  if (opts.events.kind === 'none') {
    notes.push(
      'no behavioural events (the run records no behaviour, or its default event rule was set aside): every reference step counts as a null step (reference episodes that hold conflicts raise the threshold: fit on a conflict-free run with --reference, or record a behaviour column); without behavioural conflicts no precursor latent can be learned, so the score is the disagreement alone; with truth/conflicts.json the report is evaluated against its divergence steps',
    );
  }
  const behaviour = opts.views.fit === undefined;
  const mode = behaviour ? 'behaviour' : cfg.mode === 'behaviour' ? 'combined' : cfg.mode;
  if (reference.episodes.length === 0) throw new DetectorDataError('no reference episodes to fit the detector on');
  let fitSet: EpisodeSet;
  let calSet: EpisodeSet;
  if (opts.calibration) {
    fitSet = reference;
    calSet = opts.calibration;
  } else if (reference.episodes.length < 2) {
    fitSet = calSet = reference;
    notes.push('only one reference episode: the threshold is calibrated on the same episode the views were fitted on');
  } else {
    const order = reference.episodes.map((_, i) => i);
    shuffleInPlace(makeRng(cfg.seed), order);
    let nCal = Math.min(reference.episodes.length - 1, Math.max(1, Math.round(cfg.calibrationFraction * order.length)));
    if (opts.config?.calibrationFraction === undefined) {
      // Enough null steps that the target rate is resolvable (≥ 3 false alarms' worth), holding
      // back at most half the reference episodes.
      const need = Math.ceil(3 / cfg.far);
      const perEpisode = reference.episodes.reduce((s, e) => s + e.length, 0) / reference.episodes.length;
      const want = Math.ceil(need / Math.max(1, perEpisode * 0.7));
      nCal = Math.min(Math.max(nCal, Math.min(want, Math.floor(order.length / 2))), reference.episodes.length - 1);
    }
    const cal = new Set(order.slice(0, nCal));
    fitSet = { ...reference, episodes: reference.episodes.filter((_, i) => !cal.has(i)) };
    calSet = { ...reference, episodes: reference.episodes.filter((_, i) => cal.has(i)) };
  }
  const pred = makeEventPredicate(opts.events, reference.agents, reference.columnSpecs);
  const labelsOf = (set: EpisodeSet) => eventLabels(set, pred, cfg.horizon);
  // With the horizon unset, views and spreads are fitted on steps at least HORIZON_RANGE.max
  // away from any conflict (the most cautious choice), and the horizon is read off these fits
  // on the held-back calibration episodes.
  let fitLabels = labelsOf(fitSet);
  const mask: RowMask = (ei, r) => fitLabels[ei]![r] === 0;
  if (opts.events.kind !== 'none' && !fitLabels.some((y) => y.includes(0))) {
    throw new DetectorDataError(
      `the behavioural events (${describeEventSpec(opts.events)}) leave no reference step at least ${cfg.horizon} steps from a behavioural conflict to fit the views on: name a sparser event with --event '<rule>', or fit on a conflict-free run with --reference`,
    );
  }

  const channels: Channel[] = [];
  if (behaviour) {
    channels.push(BehaviourChannel.forRun(reference.agents, reference.columnSpecs, opts.events, cfg.lambda) as Channel);
  } else {
    for (let i = 0; i < reference.agents.length; i++) {
      for (let j = i + 1; j < reference.agents.length; j++) {
        const vm = opts.views.fit!(fitSet, [i, j], mask);
        channels.push(fitPairChannel(vm, fitSet, [i, j], cfg.lambda, fitLabels, cfg.statistic, cfg.levelBins) as Channel);
      }
    }
  }

  let horizonInfo: NonNullable<Detector['provenance']['horizon']> = { chosen: cfg.horizon, from: 'option' };
  if (autoHorizon) {
    // On the calibration episodes: on the fit episodes the views were fitted to exactly the
    // null steps, so every other step looks like disagreement there.
    const h = behaviour ? null : chooseHorizon(channels, calSet, pred, labelsOf(calSet));
    const chosen = h?.horizon ?? resolveDetectorConfig({}).horizon;
    if (!h) notes.push(`horizon ${chosen}: the reference data could not set one (${behaviour ? 'behaviour baseline' : 'no behavioural conflict in the calibration episodes to read it from'})`);
    else if (h.signal) notes.push(`horizon ${chosen}: the farthest lag before a behavioural conflict at which the disagreement still separates from null steps (AUROC ≥ ${HORIZON_LAG_AUROC}) on the calibration episodes`);
    else notes.push(`horizon ${chosen}: on the calibration episodes the disagreement does not rise before behavioural conflicts at any lag (AUROC < ${HORIZON_LAG_AUROC})`);
    cfg = resolveDetectorConfig({ ...cfg, horizon: chosen });
    fitLabels = labelsOf(fitSet);
    horizonInfo = { chosen, from: 'reference', ...(h ? { lagAuroc: h.lagAuroc } : {}) };
  }

  const combiners: Combiner[] = [];
  const precursors: PrecursorInfo[][] = [];
  for (const ch of channels) {
    const { x, y, F } = featureMatrix(ch, fitSet, fitLabels);
    const positives = y.reduce((s, v) => s + v, 0);
    if (mode === 'disagreement') {
      combiners.push(Combiner.feature(0, ch.featureNames[0]!));
      precursors.push([]);
      continue;
    }
    if (positives === 0 || positives === y.length) {
      notes.push(`${ch.name}: no behavioural conflicts in the fit episodes to learn from; ${behaviour ? 'the behaviour score is the conflict-state average' : 'using the disagreement score alone'}`);
      combiners.push(Combiner.feature(behaviour ? ch.featureNames.indexOf('conflict state (ewma)') : 0, behaviour ? 'conflict state (ewma)' : ch.featureNames[0]!));
      precursors.push([]);
      continue;
    }
    if (behaviour) {
      combiners.push(Combiner.logistic(x, F, y, ch.featureNames.map((_, f) => f), ch.featureNames));
      precursors.push([]);
      continue;
    }
    const picked = selectPrecursors(x, F, y, cfg);
    precursors.push(picked.map((f) => ({ feature: ch.featureNames[f.index]!, auroc: round(f.auroc) })));
    const feats = mode === 'precursor' ? picked.map((p) => p.index) : [0, ...picked.map((p) => p.index)];
    // No precursor: the disagreement as it is. A logistic over it alone could only rescale it,
    // or flip its sign where it is lower before conflicts — a below-chance score kept inverted.
    if (picked.length === 0) {
      notes.push(`${ch.name}: no latent predicts behavioural conflicts on the fit episodes; using the disagreement score alone`);
      combiners.push(Combiner.feature(0, ch.featureNames[0]!));
    } else {
      combiners.push(Combiner.logistic(x, F, y, feats, ch.featureNames));
    }
  }

  const partial: Detector = {
    createdAt: new Date().toISOString(),
    config: { ...cfg, mode },
    agents: reference.agents,
    columnSpecs: reference.columnSpecs as ColumnSpec[][],
    events: opts.events,
    channels,
    combiners,
    precursors,
    calibration: { threshold: Infinity, targetRate: cfg.far, achievedRate: NaN, falseAlarms: 0, nullSteps: 0, episodes: 0, resolution: NaN },
    provenance: {
      ...(opts.run ? { run: opts.run } : {}),
      fitEpisodes: fitSet.episodes.map((e) => e.episode),
      calibrationEpisodes: calSet.episodes.map((e) => e.episode),
      views: opts.views.name,
      ...(opts.views.info ? { dictionary: opts.views.info } : {}),
      notes,
      horizon: horizonInfo,
    },
  };
  const calLabels = labelsOf(calSet);
  let calInputs: CalibrationInput[] = calSet.episodes.map((e, i) => ({ scores: scoreOnly(partial, e), labels: calLabels[i]! }));
  // The combined score keeps its precursors only if they help on episodes it was not fitted
  // on: on the calibration episodes, its AUROC must not fall below the disagreement score's.
  if (mode === 'combined' && combiners.some((c) => c.spec.kind === 'logistic')) {
    const plain: Detector = { ...partial, combiners: channels.map((ch) => Combiner.feature(0, ch.featureNames[0]!)) };
    const plainInputs = calSet.episodes.map((e, i) => ({ scores: scoreOnly(plain, e), labels: calLabels[i]! }));
    const aCombined = calibrationAuroc(calInputs);
    const aPlain = calibrationAuroc(plainInputs);
    // Dropped when they lose to the disagreement score, and when there is nothing to check them on:
    // precursors fitted to the fit episodes' few conflicts are not kept unchecked (seen: one conflict
    // in the fit episodes, none held back — 8 precursors kept, AUROC 0.246 and 2.92 false alarms per
    // 1000 steps on the scored episodes; docs/RESULTS.md).
    const why = !Number.isFinite(aCombined) || !Number.isFinite(aPlain)
      ? 'the calibration episodes hold no behavioural conflict to check them on; using the disagreement score alone'
      : aPlain > aCombined
        ? `on the calibration episodes the combined score reached AUROC ${aCombined.toFixed(3)}, the disagreement score alone ${aPlain.toFixed(3)}`
        : null;
    if (why) {
      notes.push(`precursor latents dropped: ${why}`);
      partial.combiners = plain.combiners;
      partial.precursors = channels.map(() => []);
      calInputs = plainInputs;
    } else {
      notes.push(`precursor latents kept: calibration AUROC ${aCombined.toFixed(3)} combined vs ${aPlain.toFixed(3)} disagreement alone`);
    }
  }
  const referenceAuroc = calibrationAuroc(calInputs);
  partial.provenance.referenceAuroc = round(referenceAuroc);
  // Not found unless shown: a NaN AUROC (no behavioural conflict in the held-back reference
  // episodes) is no evidence of a precursor either.
  partial.provenance.precursorFound = Number.isFinite(referenceAuroc) && referenceAuroc >= PRECURSOR_CHANCE_AUROC;
  if (!Number.isFinite(referenceAuroc)) {
    notes.push(
      `no representational precursor could be assessed: the calibration episodes hold no behavioural conflict within ${cfg.horizon} steps, so the score's AUROC there is undefined`,
    );
  } else if (referenceAuroc < PRECURSOR_CHANCE_AUROC) {
    notes.push(
      `no representational precursor found: on the calibration episodes the score reaches AUROC ${referenceAuroc.toFixed(3)} for conflicts within ${cfg.horizon} steps (chance 0.5; below ${PRECURSOR_CHANCE_AUROC} counts as none)`,
    );
  }
  const calibration = calibrateThreshold(calInputs, cfg.far, cfg.rearm);
  if (calibration.nullSteps * cfg.far < 3) {
    notes.push(
      `calibration has ${calibration.nullSteps} null steps: a false-alarm rate of ${cfg.far} is ${(calibration.nullSteps * cfg.far).toFixed(1)} false alarms there, too few to set the threshold precisely`,
    );
  }
  return { ...partial, calibration };
}

function calibrationAuroc(inputs: readonly CalibrationInput[]): number {
  const s: number[] = [];
  const y: number[] = [];
  for (const e of inputs) {
    for (let r = 0; r < e.labels.length; r++) {
      if (e.labels[r]! < 0) continue;
      s.push(e.scores[r]!);
      y.push(e.labels[r]!);
    }
  }
  return auroc(s, y);
}

export function scoreOnly(d: Detector, e: EpisodeSet['episodes'][number]): Float64Array {
  return new ConflictScorer(d, { threshold: Infinity }).push(episodeRows(e)).score;
}

/** Features of every fit row that is labelled (not ignored), and the labels. */
function featureMatrix(ch: Channel, set: EpisodeSet, labels: Int8Array[]): { x: Float64Array; y: number[]; F: number } {
  const F = ch.featureNames.length;
  let n = 0;
  for (const l of labels) for (const v of l) if (v >= 0) n++;
  const x = new Float64Array(n * F);
  const y: number[] = [];
  const row = new Float64Array(F);
  set.episodes.forEach((e, ei) => {
    const st = ch.newState();
    const rows = episodeRows(e);
    const prep = ch.prepare(rows);
    for (let r = 0; r < e.length; r++) {
      ch.step(st, prep, rows, r, row);
      const l = labels[ei]![r]!;
      if (l < 0) continue;
      x.set(row, y.length * F);
      y.push(l);
    }
  });
  return { x, y, F };
}

/**
 * Precursor features: those whose AUROC alone on the training rows is at least
 * 0.5 + precursorMinGap. A feature worse than chance (AUROC < 0.5) is dropped, never kept
 * with a flipped sign: a precursor is something that rises before a conflict.
 */
export function selectPrecursors(x: Float64Array, F: number, y: number[], cfg: Pick<ResolvedDetectorConfig, 'precursors' | 'precursorMinGap'>): { index: number; auroc: number }[] {
  if (cfg.precursors === 0) return [];
  const n = y.length;
  const col = new Float64Array(n);
  const scored: { index: number; auroc: number }[] = [];
  for (let f = 1; f < F; f++) {
    for (let r = 0; r < n; r++) col[r] = x[r * F + f]!;
    const a = auroc(col, y);
    if (Number.isFinite(a) && a - 0.5 >= Math.max(cfg.precursorMinGap, 1e-9)) scored.push({ index: f, auroc: a });
  }
  return scored.sort((p, q) => q.auroc - p.auroc).slice(0, cfg.precursors);
}

/**
 * The horizon read off reference data: the disagreement score (each pair's feature 0, the
 * largest over pairs) of steps ℓ steps before a behavioural conflict is compared with null
 * steps (AUROC), pooled over lags ℓ−2..ℓ+2 for stability. The horizon is the farthest lag
 * ℓ such that every lag 1..ℓ reaches HORIZON_LAG_AUROC and the curve has not turned up
 * (horizonFromLagAuroc), within HORIZON_RANGE; with none, the smallest lag of the range (and
 * `signal` false).
 */
export function chooseHorizon(
  channels: readonly Channel[],
  set: EpisodeSet,
  pred: ReturnType<typeof makeEventPredicate>,
  nullLabels: readonly Int8Array[],
): { horizon: number; signal: boolean; lagAuroc: number[] } | null {
  const Hmax = HORIZON_RANGE.max;
  const byLag: number[][] = Array.from({ length: Hmax + 1 }, () => []);
  const nulls: number[] = [];
  let events = 0;
  set.episodes.forEach((e, ei) => {
    const rows = episodeRows(e);
    const states = channels.map((c) => c.newState());
    const preps = channels.map((c) => c.prepare(rows));
    const out = channels.map((c) => new Float64Array(c.featureNames.length));
    const score = new Float64Array(e.length);
    for (let r = 0; r < e.length; r++) {
      let best = -Infinity;
      channels.forEach((c, i) => {
        c.step(states[i], preps[i], rows, r, out[i]!);
        if (out[i]![0]! > best) best = out[i]![0]!;
      });
      score[r] = best;
      if (nullLabels[ei]![r] === 0) nulls.push(best);
    }
    const ev = episodeEvents(pred, e.columns, e.length);
    for (const o of ev.onsets) {
      events++;
      const te = e.step[o]!;
      for (let r = 0; r < e.length; r++) {
        const lag = te - e.step[r]!;
        if (lag >= 1 && lag <= Hmax && !ev.active[r]) byLag[lag]!.push(score[r]!);
      }
    }
  });
  if (events === 0 || nulls.length === 0) return null;
  const lagAuroc: number[] = [];
  for (let l = 1; l <= Hmax; l++) {
    const pos: number[] = [];
    for (let k = Math.max(1, l - 2); k <= Math.min(Hmax, l + 2); k++) pos.push(...byLag[k]!);
    lagAuroc.push(pos.length ? round(auroc([...pos, ...nulls], [...pos.map(() => 1), ...nulls.map(() => 0)])) : NaN);
  }
  const { horizon, signal } = horizonFromLagAuroc(lagAuroc);
  return { horizon, signal, lagAuroc };
}

/**
 * The horizon from the lag curve (lagAuroc[l − 1] is lag l): contiguous from lag 1 while the
 * AUROC reaches HORIZON_LAG_AUROC — a lone lag far back that clears the bar by chance does not
 * count — and, past the curve's peak, no further than its lowest point before it turns up again
 * by more than HORIZON_RISE. A drift that precedes behaviour shows less the further back one
 * looks, so a rise means the lags beyond hold something else (seen: a few calibration episodes whose whole
 * level sits high carried the curve back above the bar at lags 25–45, horizon 52 for a lag of
 * 10, and with it 3.5 false alarms per 1000 steps before the onsets).
 */
export function horizonFromLagAuroc(lagAuroc: readonly number[]): { horizon: number; signal: boolean } {
  const Hmax = Math.min(HORIZON_RANGE.max, lagAuroc.length);
  let horizon = 0;
  let peak = -Infinity;
  let low = Infinity;
  let lowAt = 0;
  while (horizon < Hmax && lagAuroc[horizon]! >= HORIZON_LAG_AUROC) {
    const a = lagAuroc[horizon]!;
    if (a >= peak) {
      // still climbing to the curve's peak (the smoothing delays it a few lags): no low point yet
      peak = low = a;
      lowAt = horizon + 1;
    } else if (a > low + HORIZON_RISE) {
      horizon = lowAt;
      break;
    } else if (a <= low) {
      low = a;
      lowAt = horizon + 1;
    }
    horizon++;
  }
  const signal = horizon > 0;
  return { horizon: Math.max(HORIZON_RANGE.min, signal ? horizon : HORIZON_RANGE.min), signal };
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
