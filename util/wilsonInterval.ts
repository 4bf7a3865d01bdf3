// Wilson score interval for a binomial proportion: k successes in n trials, two-sided at
// normal quantile z (1.96 ≈ 95 %). Stays inside [0, 1] and is sensible at k = 0 or k = n,
// where the plain normal interval collapses to a point. n = 0 gives NaNs.

export function wilsonInterval(k: number, n: number, z = 1.96): { estimate: number; lo: number; hi: number } {
  if (!(n > 0)) return { estimate: NaN, lo: NaN, hi: NaN };
  const p = k / n;
  const z2 = z * z;
  const den = 1 + z2 / n;
  const mid = (p + z2 / (2 * n)) / den;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / den;
  return { estimate: p, lo: Math.max(0, mid - half), hi: Math.min(1, mid + half) };
}
