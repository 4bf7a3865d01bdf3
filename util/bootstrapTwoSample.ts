// Percentile bootstrap of a two-sample statistic: each group is resampled with replacement
// on its own (independent samples), the statistic recomputed, and the [α/2, 1−α/2]
// quantiles reported. Seeded.
import type { Interval } from './bootstrap.js';
import { quantileSorted } from './quantile.js';
import { makeRng } from './random.js';

export function bootstrapTwoSample(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  statistic: (a: Float64Array, b: Float64Array) => number,
  opts: { resamples?: number; level?: number; seed?: number } = {},
): Interval {
  const B = opts.resamples ?? 1000;
  const level = opts.level ?? 0.95;
  const rng = makeRng(opts.seed ?? 0);
  const fa = Float64Array.from(a as ArrayLike<number>);
  const fb = Float64Array.from(b as ArrayLike<number>);
  const estimate = statistic(fa, fb);
  const ra = new Float64Array(fa.length);
  const rb = new Float64Array(fb.length);
  const stats: number[] = [];
  let undefinedResamples = 0;
  for (let r = 0; r < B && fa.length > 0 && fb.length > 0; r++) {
    for (let i = 0; i < fa.length; i++) ra[i] = fa[rng.int(fa.length)]!;
    for (let i = 0; i < fb.length; i++) rb[i] = fb[rng.int(fb.length)]!;
    const s = statistic(ra, rb);
    if (Number.isFinite(s)) stats.push(s);
    else undefinedResamples++;
  }
  const sorted = Float64Array.from(stats).sort();
  const al = (1 - level) / 2;
  return { estimate, lo: quantileSorted(sorted, al), hi: quantileSorted(sorted, 1 - al), undefinedResamples };
}
