// Split and metrics of a model over a sample of runs: by default the episodes of the training
// runs that were held out of training (split/heldOut.ts).
import type { SaeModel } from '../checkpoint/checkpoint.js';
import type { SplitThresholds } from '../config.js';
import {
  episodeFilter,
  readEpisodeSample,
  type EpisodeSample,
  type EpisodeSet,
} from './heldOut.js';
import { computeMetrics, type DictionaryMetrics } from './metrics.js';
import { classifyLatents, type SplitResult, type Witness } from './split.js';
import { modelDecoderBlocks, signedPairCandidates } from './signedPairs.js';
import { unitBlocks } from './absorbedUse.js';
import { collectUsageStats, episodeSpreadOnSample } from './usageStats.js';

export interface Analysis {
  split: SplitResult;
  metrics: DictionaryMetrics;
}

/**
 * `spreadSample` (rows from every episode of the runs, training ones included) replaces the
 * sample's own episode spread: the few-episodes rule needs more episodes than are held out.
 */
export function analyseModel(
  model: SaeModel,
  sample: EpisodeSample,
  thresholds?: SplitThresholds,
  set: SplitResult['sampleSet'] = 'heldout',
  witness?: Witness,
  spreadSample?: EpisodeSample,
): Analysis {
  const agents = model.cfg.agents.map((a) => a.id);
  // A partitioned dictionary fixes by construction which agents can read each latent (its private
  // blocks decode to one agent only): the decoupled-readings and signed-pair unions do not apply there.
  const t0 = thresholds ?? model.cfg.split;
  const t = model.cfg.mode === 'partitioned' ? { ...t0, pairCorrelation: 1, signedCosine: 1, absorbedCosine: 1 } : t0;
  const stats = collectUsageStats(model, sample, {
    permutations: t.permutations,
    seed: model.cfg.seed,
  });
  if (spreadSample && spreadSample !== sample) {
    const s = episodeSpreadOnSample(model, spreadSample);
    stats.episodeSpread = s.spread;
    stats.spreadEpisodes = s.episodes;
    stats.spreadActive = s.active;
  }
  const signed = signedPairCandidates(
    model,
    sample,
    stats.codes,
    (j) => stats.active[j]! >= t.minActive,
    t.signedCosine ?? 1,
  );
  const blocks = (t.absorbedCosine ?? 1) < 1 ? unitBlocks(modelDecoderBlocks(model)) : null;
  const split = classifyLatents(agents, stats, t, set, witness, signed, blocks);
  return { split, metrics: computeMetrics(agents, stats, split) };
}

/** The sample the split is decided on: held-out episodes when the checkpoint holds some out, else all. */
export function analysisSample(
  model: SaeModel,
  runs?: string[],
  rows?: number,
): { sample: EpisodeSample; set: SplitResult['sampleSet']; spreadSample: EpisodeSample } {
  const dirs = runs ?? model.meta.training.runs.map((r) => r.dir);
  const every = model.cfg.holdoutEvery;
  const set: EpisodeSet = every >= 2 ? 'heldout' : 'all';
  const ids = model.cfg.agents.map((a) => a.id);
  const n = rows ?? model.cfg.split.sampleRows;
  const sample = readEpisodeSample(dirs, ids, n, episodeFilter(set, every));
  return {
    sample,
    set,
    spreadSample: set === 'all' ? sample : readEpisodeSample(dirs, ids, n, null),
  };
}

/**
 * Split and metrics on the held-out episodes of the given runs (default: the training runs).
 * `previous` (the checkpoint's stored split) carries the witness seed's per-latent stability
 * and leftover over, so a recomputed split applies the same reproducibility check as training did.
 */
export function analyseOnRuns(
  model: SaeModel,
  runs?: string[],
  thresholds?: SplitThresholds,
  previous?: Pick<SplitResult, 'stability' | 'stabilityAny' | 'seedAgreement' | 'witnessLeftover'> | null,
): Analysis {
  const { sample, set, spreadSample } = analysisSample(
    model,
    runs,
    (thresholds ?? model.cfg.split).sampleRows,
  );
  const witness: Witness | undefined = previous?.stability
    ? {
        r: previous.stability.map((x) => x ?? 0),
        rAny: previous.stabilityAny?.map((x) => x ?? 0) ?? null,
        leftover: previous.witnessLeftover?.map((x) => x ?? 0) ?? null,
        agreement: previous.seedAgreement,
      }
    : undefined;
  return analyseModel(model, sample, thresholds, set, witness, spreadSample);
}
