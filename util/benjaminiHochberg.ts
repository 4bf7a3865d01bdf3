// Benjamini–Hochberg adjusted p-values (q-values): q_(i) = min_{j ≥ i} p_(j)·m / j, capped at
// 1, in the input order. Rejecting q ≤ α controls the false-discovery rate at α for
// independent or positively dependent tests. NaN p-values stay NaN and do not count in m.
export function benjaminiHochberg(p: readonly number[]): number[] {
  const idx = p.map((_, i) => i).filter((i) => Number.isFinite(p[i]!));
  idx.sort((x, y) => p[x]! - p[y]!);
  const m = idx.length;
  const q = p.map(() => NaN);
  let min = 1;
  for (let r = m - 1; r >= 0; r--) {
    const i = idx[r]!;
    min = Math.min(min, (p[i]! * m) / (r + 1));
    q[i] = min;
  }
  return q;
}
