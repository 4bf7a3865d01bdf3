// Cohen's d: (mean(a) − mean(b)) / pooled standard deviation. NaN with fewer than two values
// in a group; ±Infinity is avoided by returning 0 when both groups are constant and equal
// and NaN when they are constant and differ (the effect is then not a number of SDs).
export function cohensD(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const na = a.length;
  const nb = b.length;
  if (na < 2 || nb < 2) return NaN;
  const m = (x: ArrayLike<number>): number => {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i]!;
    return s / x.length;
  };
  const ma = m(a);
  const mb = m(b);
  let ss = 0;
  for (let i = 0; i < na; i++) ss += (a[i]! - ma) ** 2;
  for (let i = 0; i < nb; i++) ss += (b[i]! - mb) ** 2;
  const sd = Math.sqrt(ss / (na + nb - 2));
  if (sd === 0) return ma === mb ? 0 : NaN;
  return (ma - mb) / sd;
}
