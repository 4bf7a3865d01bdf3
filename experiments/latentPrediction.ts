// Do the latents that shift with a condition predict the behaviour shift? Per non-baseline
// condition, over the held-out episodes of the condition and of the baseline (one dictionary
// across conditions, experiments/representationShift.ts), a cross-validated ridge regression
// predicts each episode's defection rate and first-defection round from
//   - label: the condition label alone (condition vs baseline),
//   - latents: the K latents that shift most between the two (|Cohen's d|, chosen on the
//     training folds only),
//   - label + latents: both (its R² minus the label's: what the latents add beyond the label),
//   - raw: the raw hidden states the dictionary reads (every agent's, concatenated),
// and, within the condition alone (the label is then constant), latents and raw. Folds are
// (seed, co-player) groups, so an episode is never scored by a model fitted on it or on an
// episode of the same co-player and seed; held-out R², and the AUROC of the prediction for
// "defection rate above the median of the scored episodes", have 95% bootstrap intervals over
// the (seed, co-player) groups of the out-of-fold predictions. Two feature windows: the mean
// over the episode's rounds (the hidden state at round t is the one round t's move is read
// from, so this is close to reading the policy), and the state at round 0 (after the peer
// memory and the start symbol, before any move or any sight of the co-player). The ridge
// penalty is chosen per fit by an inner cross-validation on the training folds' groups, and
// predictions are clipped to the training targets' range.
import { choleskySolve } from '../conflicts/math/linalg.js';
import { openRun } from '../data/index.js';
import { auroc } from '../util/auroc.js';
import { bootstrapGroups, type Interval } from '../util/bootstrap.js';
import { cohensD } from '../util/cohensD.js';
import { makeRng, shuffleInPlace } from '../util/random.js';
import { encodeJoint, isHeldOut, type SaeModel } from '../sae/index.js';
import type { ResolvedExperimentSpec } from './experimentSpec.js';
import { CONDITION_AGENTS, type ConditionRun } from './recordConditionRuns.js';
import { agentKey } from './runExperiment.js';

/** One episode as the predictors see it. */
export interface PredictionEpisode {
  /** Folds and bootstrap resample whole groups (seed and co-player). */
  group: string;
  /** The condition (true) or the baseline (false). */
  inCondition: boolean;
  /** Per latent activation (dictionary index). */
  latents: ArrayLike<number>;
  /** Raw hidden state (every agent's, concatenated). */
  raw: ArrayLike<number>;
  /** Share of the episode's rounds played D. */
  defection: number;
  /** Round of the first D (the number of rounds if none). */
  firstDefection: number;
}

export interface ModelScore {
  /** Features the model reads. */
  features: number;
  /** Held-out R² of the defection rate (1 − SSE/SST over the scored episodes). */
  r2: Interval;
  /** Held-out AUROC of the predicted defection rate for "defection rate above the median". */
  auroc: Interval;
  /** Held-out R² of the first-defection round. */
  r2First: Interval;
}

export interface PredictiveLatent {
  latent: number;
  /** Held-out R² of the defection rate from this latent alone (same folds). */
  r2: number;
  /** Pearson r of the latent with the defection rate over the scored episodes. */
  r: number;
  /** Cohen's d, condition − baseline, over the pair's episodes. */
  d: number;
}

export interface PredictionScores {
  episodes: number;
  /** The median defection rate of the scored episodes (the AUROC's threshold: above it = positive; at or above it when it is the maximum). */
  median: number;
  /** Null within a condition (the label is constant there). */
  label: ModelScore | null;
  latents: ModelScore;
  labelLatents: ModelScore | null;
  raw: ModelScore;
  /** R²(label + latents) − R²(label), paired over the same resamples. */
  gain: Interval | null;
  /** R²(latents) − R²(raw), paired. */
  latentsMinusRaw: Interval;
  /** The single latents with the highest held-out R² (top 5). */
  top: PredictiveLatent[];
}

export type PredictionWindow = 'episode' | 'start';

export interface ConditionPrediction {
  condition: string;
  sameAgent: boolean;
  window: PredictionWindow;
  /** Condition and baseline episodes together. */
  pooled: PredictionScores;
  /** The condition's episodes alone. */
  within: PredictionScores;
}

export interface LatentPrediction {
  baseline: string;
  folds: number;
  /** Latents per model (the top |d| on the training folds). */
  latentsPerModel: number;
  /** Ridge penalties the inner cross-validation chose from. */
  lambdas: number[];
  resamples: number;
  conditions: ConditionPrediction[];
}

export interface PredictionOptions {
  folds?: number;
  /** Shifting latents per model (default 10). */
  top?: number;
  /** Ridge penalties on standardized features, chosen per fit by an inner 4-fold CV over groups (default RIDGE_LAMBDAS). */
  lambdas?: readonly number[];
  resamples?: number;
  seed?: number;
}

const mean = (xs: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return xs.length ? s / xs.length : NaN;
};

/** Ridge fit on standardized features: returns a predictor for one feature vector. */
function ridge(X: number[][], y: number[], lambda: number): (x: ArrayLike<number>) => number {
  const n = X.length;
  const p = X[0]?.length ?? 0;
  const ym = mean(y);
  if (n === 0 || p === 0) return () => ym;
  const mu = new Float64Array(p);
  const sd = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += X[i]![j]!;
    mu[j] = s / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (X[i]![j]! - mu[j]!) ** 2;
    sd[j] = Math.sqrt(v / n);
  }
  const keep = [...Array(p).keys()].filter((j) => sd[j]! > 1e-12);
  const q = keep.length;
  if (q === 0) return () => ym;
  const A = new Float64Array(q * q);
  const b = new Float64Array(q);
  const z = new Float64Array(q);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < q; a++) z[a] = (X[i]![keep[a]!]! - mu[keep[a]!]!) / sd[keep[a]!]!;
    const r = y[i]! - ym;
    for (let a = 0; a < q; a++) {
      b[a] = b[a]! + z[a]! * r;
      for (let c = 0; c <= a; c++) A[a * q + c] = A[a * q + c]! + z[a]! * z[c]!;
    }
  }
  for (let a = 0; a < q; a++) {
    for (let c = 0; c < a; c++) A[c * q + a] = A[a * q + c]!;
    A[a * q + a] = A[a * q + a]! + lambda;
  }
  const beta = choleskySolve(A, q, b, 1) ?? new Float64Array(q);
  return (x) => {
    let s = ym;
    for (let a = 0; a < q; a++) s += beta[a]! * ((x[keep[a]!]! - mu[keep[a]!]!) / sd[keep[a]!]!);
    return s;
  };
}

/** Fold of each episode: its group's position in a seeded shuffle of the groups, mod `folds`. */
export function groupFolds(eps: readonly PredictionEpisode[], folds: number, seed: number): Int32Array {
  const groups = [...new Set(eps.map((e) => e.group))].sort();
  shuffleInPlace(makeRng(seed), groups);
  const at = new Map(groups.map((g, i) => [g, i % folds]));
  return Int32Array.from(eps, (e) => at.get(e.group)!);
}

type Featurize = (train: (i: number) => boolean) => { features: number; x: (i: number) => ArrayLike<number> };

/** Ridge penalties tried by the inner cross-validation (on standardized features). */
export const RIDGE_LAMBDAS = [0.1, 1, 10, 100, 1000] as const;

/**
 * Fits on the given rows: the penalty chosen by an inner cross-validation over the rows' own
 * groups (inner folds: fold index of a second seeded shuffle), then refitted on all of them;
 * predictions clipped to the fitted targets' range (a rate stays in [0, 1]).
 */
function fitTarget(eps: readonly PredictionEpisode[], rows: readonly number[], X: number[][], y: number[], lambdas: readonly number[], seed: number): (x: ArrayLike<number>) => number {
  let lambda = lambdas[0]!;
  if (lambdas.length > 1) {
    const inner = groupFolds(rows.map((i) => eps[i]!), 4, seed);
    let best = Infinity;
    for (const l of lambdas) {
      let sse = 0;
      for (let f = 0; f < 4; f++) {
        const tr = rows.map((_, k) => k).filter((k) => inner[k] !== f);
        const te = rows.map((_, k) => k).filter((k) => inner[k] === f);
        if (!tr.length || !te.length) continue;
        const pr = ridge(tr.map((k) => X[k]!), tr.map((k) => y[k]!), l);
        for (const k of te) sse += (y[k]! - pr(X[k]!)) ** 2;
      }
      if (sse < best - 1e-12) {
        best = sse;
        lambda = l;
      }
    }
  }
  const pr = ridge(X, y, lambda);
  const lo = Math.min(...y);
  const hi = Math.max(...y);
  return (x) => Math.min(hi, Math.max(lo, pr(x)));
}

/** Out-of-fold predictions of both targets for the scored episodes (fit on the scored episodes of the other folds). */
function outOfFold(eps: readonly PredictionEpisode[], scored: readonly number[], fold: Int32Array, folds: number, featurize: Featurize, lambdas: readonly number[], seed: number): { defection: Float64Array; first: Float64Array; features: number } {
  const defection = new Float64Array(eps.length).fill(NaN);
  const first = new Float64Array(eps.length).fill(NaN);
  let features = 0;
  for (let f = 0; f < folds; f++) {
    const test = scored.filter((i) => fold[i] === f);
    if (!test.length) continue;
    const fit = scored.filter((i) => fold[i] !== f);
    const F = featurize((i) => fold[i] !== f);
    features = Math.max(features, F.features);
    const X = fit.map((i) => Array.from(F.x(i)));
    const pd = fitTarget(eps, fit, X, fit.map((i) => eps[i]!.defection), lambdas, seed + f);
    const pf = fitTarget(eps, fit, X, fit.map((i) => eps[i]!.firstDefection), lambdas, seed + f);
    for (const i of test) {
      const x = F.x(i);
      defection[i] = pd(x);
      first[i] = pf(x);
    }
  }
  return { defection, first, features };
}

function r2(idx: readonly number[], pred: Float64Array, y: (i: number) => number): number {
  const ym = mean(idx.map(y));
  let sse = 0;
  let sst = 0;
  for (const i of idx) {
    sse += (y(i) - pred[i]!) ** 2;
    sst += (y(i) - ym) ** 2;
  }
  return sst > 0 ? 1 - sse / sst : NaN;
}

function pearson(a: readonly number[], b: readonly number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/** The K latents with the largest |Cohen's d| (condition − baseline) among the training episodes. */
function shiftingLatents(eps: readonly PredictionEpisode[], train: (i: number) => boolean, k: number): number[] {
  const m = eps[0]?.latents.length ?? 0;
  const inC: number[] = [];
  const inB: number[] = [];
  eps.forEach((e, i) => {
    if (train(i)) (e.inCondition ? inC : inB).push(i);
  });
  const ds: { j: number; d: number }[] = [];
  for (let j = 0; j < m; j++) {
    const d = cohensD(
      inC.map((i) => eps[i]!.latents[j]!),
      inB.map((i) => eps[i]!.latents[j]!),
    );
    if (Number.isFinite(d) && d !== 0) ds.push({ j, d: Math.abs(d) });
  }
  return ds.sort((a, b) => b.d - a.d || a.j - b.j).slice(0, k).map((x) => x.j);
}

/**
 * Scores the predictors on the scored episodes (`scope` 'pooled': all; 'within': the condition's).
 * Shifting latents are chosen on the training folds' episodes of both conditions; models are
 * fitted on the training folds' scored episodes only.
 */
export function scorePredictors(eps: readonly PredictionEpisode[], scope: 'pooled' | 'within', o: PredictionOptions = {}): PredictionScores {
  const folds = o.folds ?? 5;
  const K = o.top ?? 10;
  const lambdas = o.lambdas ?? RIDGE_LAMBDAS;
  const R = o.resamples ?? 1000;
  const seed = o.seed ?? 1;
  const fold = groupFolds(eps, folds, seed);
  const scored = eps.map((_, i) => i).filter((i) => scope === 'pooled' || eps[i]!.inCondition);
  const y = (i: number): number => eps[i]!.defection;
  const yf = (i: number): number => eps[i]!.firstDefection;
  const med = quantileMedian(scored.map(y));
  // positive: above the median; at or above it when nothing lies above (the median is the maximum)
  const strict = scored.some((i) => y(i) > med);
  const pos = (i: number): boolean => (strict ? y(i) > med : y(i) >= med);
  const label: Featurize = () => ({ features: 1, x: (i) => [eps[i]!.inCondition ? 1 : 0] });
  const lat: Featurize = (train) => {
    const js = shiftingLatents(eps, train, K);
    return { features: js.length, x: (i) => js.map((j) => eps[i]!.latents[j]!) };
  };
  const both: Featurize = (train) => {
    const js = shiftingLatents(eps, train, K);
    return { features: js.length + 1, x: (i) => [eps[i]!.inCondition ? 1 : 0, ...js.map((j) => eps[i]!.latents[j]!)] };
  };
  const raw: Featurize = () => ({ features: eps[0]?.raw.length ?? 0, x: (i) => eps[i]!.raw });
  const preds = {
    label: scope === 'pooled' ? outOfFold(eps, scored, fold, folds, label, lambdas, seed) : null,
    latents: outOfFold(eps, scored, fold, folds, lat, lambdas, seed),
    labelLatents: scope === 'pooled' ? outOfFold(eps, scored, fold, folds, both, lambdas, seed) : null,
    raw: outOfFold(eps, scored, fold, folds, raw, lambdas, seed),
  };
  // bootstrap over the scored episodes' groups
  const byGroup = new Map<string, number[]>();
  for (const i of scored) {
    const g = eps[i]!.group;
    if (!byGroup.has(g)) byGroup.set(g, []);
    byGroup.get(g)!.push(i);
  }
  const groups = [...byGroup.keys()].sort().map((g) => byGroup.get(g)!);
  const flat = (s: readonly number[][]): number[] => s.flat();
  const boot = (stat: (idx: number[]) => number, k: number): Interval => bootstrapGroups(groups, (s) => stat(flat(s)), { resamples: R, seed: seed * 7919 + k });
  const score = (p: { defection: Float64Array; first: Float64Array; features: number }, k: number): ModelScore => ({
    features: p.features,
    r2: boot((idx) => r2(idx, p.defection, y), 10 * k),
    auroc: boot((idx) => auroc(idx.map((i) => p.defection[i]!), idx.map(pos)), 10 * k + 1),
    r2First: boot((idx) => r2(idx, p.first, yf), 10 * k + 2),
  });
  // single latents: held-out R² of each alone (same folds), Pearson r over the scored episodes
  const m = eps[0]?.latents.length ?? 0;
  const ys = scored.map(y);
  const top: PredictiveLatent[] = [];
  for (let j = 0; j < m; j++) {
    const xs = scored.map((i) => eps[i]!.latents[j]!);
    if (!(Math.max(...xs) > Math.min(...xs))) continue;
    const p = outOfFold(eps, scored, fold, folds, () => ({ features: 1, x: (i) => [eps[i]!.latents[j]!] }), lambdas, seed);
    top.push({
      latent: j,
      r2: r2(scored, p.defection, y),
      r: pearson(xs, ys),
      d: cohensD(
        eps.filter((e) => e.inCondition).map((e) => e.latents[j]!),
        eps.filter((e) => !e.inCondition).map((e) => e.latents[j]!),
      ),
    });
  }
  top.sort((a, b) => b.r2 - a.r2 || a.latent - b.latent);
  return {
    episodes: scored.length,
    median: med,
    label: preds.label ? score(preds.label, 1) : null,
    latents: score(preds.latents, 2),
    labelLatents: preds.labelLatents ? score(preds.labelLatents, 3) : null,
    raw: score(preds.raw, 4),
    gain: preds.label && preds.labelLatents ? boot((idx) => r2(idx, preds.labelLatents!.defection, y) - r2(idx, preds.label!.defection, y), 50) : null,
    latentsMinusRaw: boot((idx) => r2(idx, preds.latents.defection, y) - r2(idx, preds.raw.defection, y), 51),
    top: top.slice(0, 5),
  };
}

function quantileMedian(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const h = (s.length - 1) / 2;
  return (s[Math.floor(h)]! + s[Math.ceil(h)]!) / 2;
}

/** One held-out episode of a condition run: features in both windows and its behaviour. */
export interface EpisodeRecord {
  seed: number;
  episode: number;
  coPlayer: number;
  latMean: Float64Array;
  latStart: Float64Array;
  rawMean: Float64Array;
  rawStart: Float64Array;
  defection: number;
  firstDefection: number;
}

/** The held-out episodes of a condition's runs (null when a run has no `move` column: recorded before it). */
export function readPredictionEpisodes(model: SaeModel, runs: readonly ConditionRun[]): EpisodeRecord[] | null {
  const ids = [...CONDITION_AGENTS];
  const m = model.cfg.latents;
  const every = model.cfg.holdoutEvery;
  const out: EpisodeRecord[] = [];
  for (const run of runs) {
    const xs: number[][] = ids.map(() => []);
    const episode: number[] = [];
    const step: number[] = [];
    const move: number[] = [];
    const coPlayer: number[] = [];
    let dims: number[] = [];
    for (const b of openRun(run.dir).joined({ agents: ids, reuseBuffer: true, validate: false })) {
      const mv = b.columns[0]?.['move'];
      const co = b.columns[0]?.['co_player'];
      if (!mv || !co) return null;
      dims = b.hidden.map((h) => h.length / Math.max(1, b.length));
      for (let r = 0; r < b.length; r++) {
        if (every >= 2 && !isHeldOut(b.episode[r]!, every)) continue;
        episode.push(b.episode[r]!);
        step.push(b.step[r]!);
        move.push(Number(mv[r]));
        coPlayer.push(Number(co[r]));
        b.hidden.forEach((h, a) => {
          for (let k = 0; k < dims[a]!; k++) xs[a]!.push(h[r * dims[a]! + k]!);
        });
      }
    }
    const rows = episode.length;
    if (!rows) continue;
    const z = encodeJoint(model, xs.map((x) => Float32Array.from(x)), rows);
    const D = dims.reduce((a, b) => a + b, 0);
    const T = Math.max(...step) + 1;
    const byEp = new Map<number, { rows: number[] }>();
    for (let i = 0; i < rows; i++) {
      if (!byEp.has(episode[i]!)) byEp.set(episode[i]!, { rows: [] });
      byEp.get(episode[i]!)!.rows.push(i);
    }
    for (const [e, { rows: rs }] of [...byEp].sort((a, b) => a[0] - b[0])) {
      const latMean = new Float64Array(m);
      const rawMean = new Float64Array(D);
      const latStart = new Float64Array(m);
      const rawStart = new Float64Array(D);
      let firstDefection = T;
      let d = 0;
      const rawRow = (i: number, into: Float64Array, w: number): void => {
        let o = 0;
        ids.forEach((_, a) => {
          for (let k = 0; k < dims[a]!; k++) into[o + k] = into[o + k]! + w * xs[a]![i * dims[a]! + k]!;
          o += dims[a]!;
        });
      };
      for (const i of rs) {
        for (let j = 0; j < m; j++) latMean[j] = latMean[j]! + z[i * m + j]! / rs.length;
        rawRow(i, rawMean, 1 / rs.length);
        if (step[i] === 0) {
          for (let j = 0; j < m; j++) latStart[j] = z[i * m + j]!;
          rawRow(i, rawStart, 1);
        }
        if (move[i] === 1) {
          d++;
          firstDefection = Math.min(firstDefection, step[i]!);
        }
      }
      out.push({ seed: run.seed, episode: e, coPlayer: coPlayer[rs[0]!]!, latMean, latStart, rawMean, rawStart, defection: d / rs.length, firstDefection });
    }
  }
  return out;
}

/** Per non-baseline condition and window: pooled (condition + baseline) and within-condition scores. */
export function latentPrediction(spec: ResolvedExperimentSpec, model: SaeModel, runs: readonly ConditionRun[], o: PredictionOptions = {}): LatentPrediction | null {
  const recs = new Map<string, EpisodeRecord[]>();
  for (const c of spec.conditions) {
    const r = readPredictionEpisodes(model, runs.filter((x) => x.condition === c.name));
    if (!r) return null;
    recs.set(c.name, r);
  }
  const base = recs.get(spec.baseline)!;
  const baseKey = agentKey(spec.conditions.find((c) => c.name === spec.baseline)!.agent);
  const conditions: ConditionPrediction[] = [];
  spec.conditions.forEach((c, ci) => {
    if (c.name === spec.baseline) return;
    for (const window of ['episode', 'start'] as const) {
      const toEp = (r: EpisodeRecord, inCondition: boolean): PredictionEpisode => ({
        group: `${r.seed}|${r.coPlayer}`,
        inCondition,
        latents: window === 'episode' ? r.latMean : r.latStart,
        raw: window === 'episode' ? r.rawMean : r.rawStart,
        defection: r.defection,
        firstDefection: r.firstDefection,
      });
      const eps = [...recs.get(c.name)!.map((r) => toEp(r, true)), ...base.map((r) => toEp(r, false))];
      const oo = { ...o, seed: (o.seed ?? 1) + 1000 * ci };
      conditions.push({ condition: c.name, sameAgent: agentKey(c.agent) === baseKey, window, pooled: scorePredictors(eps, 'pooled', oo), within: scorePredictors(eps, 'within', oo) });
    }
  });
  return { baseline: spec.baseline, folds: o.folds ?? 5, latentsPerModel: o.top ?? 10, lambdas: [...(o.lambdas ?? RIDGE_LAMBDAS)], resamples: o.resamples ?? 1000, conditions };
}
