// Percentile bootstrap over groups (e.g. episodes): resample groups with replacement, recompute
// a statistic, report the point estimate and the [α/2, 1−α/2] interval. Seeded, so the
// interval reproduces. The statistic sees the resampled groups (duplicates included).
import { makeRng } from './random.js';
import { quantileSorted } from './quantile.js';

export interface Interval {
  estimate: number;
  lo: number;
  hi: number;
  /** Resamples whose statistic was NaN (skipped). */
  undefinedResamples: number;
}

export interface BootstrapOptions {
  resamples?: number;
  /** Two-sided level (default 0.95). */
  level?: number;
  seed?: number;
}

export function bootstrapGroups<G>(groups: readonly G[], statistic: (sample: readonly G[]) => number, opts: BootstrapOptions = {}): Interval {
  const B = opts.resamples ?? 1000;
  const level = opts.level ?? 0.95;
  const rng = makeRng(opts.seed ?? 0);
  const estimate = statistic(groups);
  const stats: number[] = [];
  let undefinedResamples = 0;
  const sample: G[] = new Array(groups.length);
  for (let b = 0; b < B && groups.length > 0; b++) {
    for (let i = 0; i < groups.length; i++) sample[i] = groups[rng.int(groups.length)]!;
    const s = statistic(sample);
    if (Number.isNaN(s)) undefinedResamples++;
    else stats.push(s);
  }
  const sorted = Float64Array.from(stats).sort();
  const a = (1 - level) / 2;
  return { estimate, lo: quantileSorted(sorted, a), hi: quantileSorted(sorted, 1 - a), undefinedResamples };
}
