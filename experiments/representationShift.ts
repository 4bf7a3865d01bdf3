// The representational shift between conditions: one dictionary trained across all
// conditions' runs (sae/ trainDictionary), each condition's held-out episodes encoded with it,
// and per latent the shift from the baseline condition: Δ mean activation and Δ firing rate
// (per-episode means), Cohen's d over episodes with a two-sample bootstrap interval (episodes
// resampled), and a two-sample permutation test over episodes, Benjamini–Hochberg corrected over
// all condition × latent tests. Latents that fire in neither condition are not tested.
// Resumable: a finished dictionary in <dir>/dictionary is loaded, not retrained.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { benjaminiHochberg } from '../util/benjaminiHochberg.js';
import type { Interval } from '../util/bootstrap.js';
import { bootstrapTwoSample } from '../util/bootstrapTwoSample.js';
import { cohensD } from '../util/cohensD.js';
import { permutationTest } from '../util/permutationTest.js';
import { loadCheckpoint, trainDictionary, type SaeModel, type TrainProgress } from '../sae/index.js';
import { episodeLatentStats } from './episodeLatentStats.js';
import { DEFAULT_DICTIONARY, type DictionarySpec, type ResolvedExperimentSpec } from './experimentSpec.js';
import { latentPrediction, type LatentPrediction } from './latentPrediction.js';
import { CONDITION_AGENTS, type ConditionRun } from './recordConditionRuns.js';
import { agentKey } from './runExperiment.js';


export interface LatentShift {
  latent: number;
  /** Mean activation over the condition's / the baseline's held-out rows (per-episode means, averaged). */
  mean: number;
  baseMean: number;
  deltaMean: number;
  /** Share of rows on which the latent fires. */
  rate: number;
  baseRate: number;
  deltaRate: number;
  /** Cohen's d of the per-episode mean activation, condition − baseline, with a bootstrap interval over episodes. */
  d: Interval;
  /** Two-sample permutation test over episodes of the per-episode mean activation. */
  p: number;
  q: number;
}

export interface ConditionLatentShift {
  condition: string;
  /** The condition shares the baseline's agent weights (test-time condition): only then is the shift about the context alone. */
  sameAgent: boolean;
  episodes: number;
  baseEpisodes: number;
  /** Latents with q ≤ alpha. */
  significant: number;
  /** The top latents by |d| (ties: by q). */
  top: LatentShift[];
}

export interface RepresentationShift {
  dictionary: { dir: string; latents: number; k: number; steps: number; holdoutEvery: number; resumed: boolean; seconds: number };
  baseline: string;
  /** Episodes held out of the dictionary's training (id ≡ holdoutEvery − 1 mod holdoutEvery), per run. */
  heldOut: string;
  tests: number;
  alpha: number;
  conditions: ConditionLatentShift[];
  /** Whether the shifting latents predict each episode's defection (experiments/latentPrediction.ts); null for runs recorded without moves. */
  prediction: LatentPrediction | null;
}

export interface RepresentationOptions {
  dictionary?: DictionarySpec;
  top?: number;
  resamples?: number;
  permutations?: number;
  alpha?: number;
  onTrain?: (p: TrainProgress) => void;
  log?: (line: string) => void;
}

/** Trains the dictionary across all runs, or loads it when <dir>/dictionary holds a finished one. */
export async function trainConditionDictionary(runs: readonly ConditionRun[], dir: string, config: DictionarySpec, o: Pick<RepresentationOptions, 'onTrain' | 'log'> = {}): Promise<{ model: SaeModel; resumed: boolean; seconds: number }> {
  const out = join(dir, 'dictionary');
  const t0 = performance.now();
  if (existsSync(join(out, 'cfg.json'))) {
    const m = loadCheckpoint(out);
    if (m.meta.training.finished) return { model: m, resumed: true, seconds: 0 };
  }
  const r = await trainDictionary({ runs: runs.map((x) => x.dir), out, config: { ...config }, resume: true, skipAnalysis: true, onProgress: o.onTrain, log: o.log });
  return { model: r.model, resumed: false, seconds: (performance.now() - t0) / 1000 };
}

/** Per held-out episode (of every seed's run of a condition), per latent: mean activation and firing rate, [episode·m + j]. */
function episodeStats(model: SaeModel, runs: readonly ConditionRun[]): { mean: Float64Array; rate: Float64Array; episodes: number } {
  const means: number[][] = [];
  const rates: number[][] = [];
  const ids = [...CONDITION_AGENTS];
  for (const r of runs) {
    for (const st of episodeLatentStats(model, r.dir, ids)) {
      means.push(Array.from(st.mean));
      rates.push(Array.from(st.rate));
    }
  }
  return { mean: Float64Array.from(means.flat()), rate: Float64Array.from(rates.flat()), episodes: means.length };
}

const column = (x: Float64Array, episodes: number, m: number, j: number): Float64Array => Float64Array.from({ length: episodes }, (_, e) => x[e * m + j]!);
const avg = (x: Float64Array): number => (x.length ? x.reduce((a, b) => a + b, 0) / x.length : NaN);

/** Per condition (other than the baseline) the latents whose activation shifts most from the baseline. */
export function latentShifts(spec: ResolvedExperimentSpec, model: SaeModel, runs: readonly ConditionRun[], o: { top?: number; resamples?: number; permutations?: number; alpha?: number } = {}): Omit<RepresentationShift, 'dictionary' | 'prediction'> {
  const m = model.cfg.latents;
  const stats = new Map(spec.conditions.map((c) => [c.name, episodeStats(model, runs.filter((r) => r.condition === c.name))]));
  const base = stats.get(spec.baseline)!;
  const baseKey = agentKey(spec.conditions.find((c) => c.name === spec.baseline)!.agent);
  const rows: { ci: number; s: Omit<LatentShift, 'q'> }[] = [];
  const others = spec.conditions.filter((c) => c.name !== spec.baseline);
  others.forEach((c, ci) => {
    const st = stats.get(c.name)!;
    for (let j = 0; j < m; j++) {
      const a = column(st.mean, st.episodes, m, j);
      const b = column(base.mean, base.episodes, m, j);
      const ra = column(st.rate, st.episodes, m, j);
      const rb = column(base.rate, base.episodes, m, j);
      if (avg(ra) === 0 && avg(rb) === 0) continue; // fires in neither: nothing to test
      const seed = 100_003 * (ci + 1) + j;
      rows.push({
        ci,
        s: {
          latent: j,
          mean: avg(a),
          baseMean: avg(b),
          deltaMean: avg(a) - avg(b),
          rate: avg(ra),
          baseRate: avg(rb),
          deltaRate: avg(ra) - avg(rb),
          d: bootstrapTwoSample(a, b, cohensD, { resamples: o.resamples ?? 1000, seed }),
          p: permutationTest(a, b, { permutations: o.permutations ?? 1000, seed: seed ^ 0x5eed }),
        },
      });
    }
  });
  const q = benjaminiHochberg(rows.map((r) => r.s.p));
  const alpha = o.alpha ?? 0.05;
  const all = rows.map((r, i) => ({ ci: r.ci, s: { ...r.s, q: q[i]! } }));
  const mag = (s: LatentShift): number => (Number.isFinite(s.d.estimate) ? Math.abs(s.d.estimate) : -1);
  return {
    baseline: spec.baseline,
    heldOut: model.cfg.holdoutEvery >= 2 ? `episode id ≡ ${model.cfg.holdoutEvery - 1} (mod ${model.cfg.holdoutEvery})` : 'none (too few episodes to hold any out: all episodes)',
    tests: all.length,
    alpha,
    conditions: others.map((c, ci) => {
      const mine = all.filter((r) => r.ci === ci).map((r) => r.s);
      return {
        condition: c.name,
        sameAgent: agentKey(c.agent) === baseKey,
        episodes: stats.get(c.name)!.episodes,
        baseEpisodes: base.episodes,
        significant: mine.filter((s) => s.q <= alpha).length,
        top: mine.sort((x, y) => mag(y) - mag(x) || x.q - y.q).slice(0, o.top ?? 10),
      };
    }),
  };
}

/** Trains (or loads) the dictionary across the runs and measures the shift per latent. */
export async function representationShift(spec: ResolvedExperimentSpec, dir: string, runs: readonly ConditionRun[], o: RepresentationOptions = {}): Promise<RepresentationShift> {
  const config = { ...DEFAULT_DICTIONARY, ...(o.dictionary ?? {}) };
  const t = await trainConditionDictionary(runs, dir, config, o);
  const cfg = t.model.cfg as { latents: number; k?: number; steps: number; holdoutEvery: number };
  return {
    dictionary: { dir: join(dir, 'dictionary'), latents: cfg.latents, k: cfg.k ?? NaN, steps: cfg.steps, holdoutEvery: cfg.holdoutEvery, resumed: t.resumed, seconds: t.seconds },
    ...latentShifts(spec, t.model, runs, o),
    prediction: latentPrediction(spec, t.model, runs, { resamples: o.resamples }),
  };
}
