// Split and metrics of a model over a sample of runs (the training runs by default).
import type { SaeModel } from '../checkpoint/checkpoint.js';
import type { SplitThresholds } from '../config.js';
import { ShuffledBatches } from '../train/batchStream.js';
import { computeMetrics, type DictionaryMetrics } from './metrics.js';
import { collectSampleStats } from './sampleStats.js';
import { classifyLatents, type SplitResult } from './split.js';

/** Up to `rows` joined rows of the runs, shuffled with `seed` (copies). */
export function readSample(runs: string[], agents: string[], rows: number, seed: number): { xs: Float32Array[]; rows: number } {
  const probe = new ShuffledBatches({ runs, agents, batchSize: 1, seed, bufferRows: 1 });
  const n = Math.max(1, Math.min(rows, probe.rowsPerEpoch || rows));
  const s = new ShuffledBatches({ runs, agents, batchSize: n, seed, bufferRows: Math.max(n, 16384) });
  const b = s.next();
  return { xs: b.xs.map((x) => x.slice()), rows: n };
}

export interface Analysis {
  split: SplitResult;
  metrics: DictionaryMetrics;
}

export function analyseModel(model: SaeModel, sample: { xs: Float32Array[]; rows: number }, thresholds?: SplitThresholds): Analysis {
  const agents = model.cfg.agents.map((a) => a.id);
  const stats = collectSampleStats(model, sample.xs, sample.rows);
  const split = classifyLatents(agents, stats, thresholds ?? model.cfg.split);
  return { split, metrics: computeMetrics(agents, stats, split) };
}

/** Split and metrics on a sample of the given runs (default: the runs it was trained on). */
export function analyseOnRuns(model: SaeModel, runs?: string[], thresholds?: SplitThresholds): Analysis {
  const dirs = runs ?? model.meta.training.runs.map((r) => r.dir);
  const rows = (thresholds ?? model.cfg.split).sampleRows;
  const sample = readSample(dirs, model.cfg.agents.map((a) => a.id), rows, model.cfg.seed + 7919);
  return analyseModel(model, sample, thresholds);
}
