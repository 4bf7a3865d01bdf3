// Mean with a 95% Student-t interval over independent replicates (e.g. seeds): mean ± t·sd/√n.
// Non-finite values are left out (n counts the finite ones); with none the estimate is NaN, with
// one the interval is the point itself.

export interface TInterval {
  estimate: number;
  lo: number;
  hi: number;
  /** Replicates with a finite value. */
  n: number;
}

/** Two-sided 95% quantiles of Student's t by degrees of freedom (1–30); above 30, 1.96 + 2.4/df. */
const T95 = [NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export function t95(df: number): number {
  return df < T95.length ? T95[df]! : 1.96 + 2.4 / df;
}

export function tInterval(values: readonly number[]): TInterval {
  const xs = values.filter(Number.isFinite);
  const n = xs.length;
  if (n === 0) return { estimate: NaN, lo: NaN, hi: NaN, n: 0 };
  const m = xs.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { estimate: m, lo: m, hi: m, n };
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1));
  const h = (t95(n - 1) * sd) / Math.sqrt(n);
  return { estimate: m, lo: m - h, hi: m + h, n };
}
