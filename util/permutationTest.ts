// Two-sample permutation test of a difference in means: the group labels are reshuffled
// `permutations` times and the p-value is (1 + #{|Δ_perm| ≥ |Δ_obs|}) / (1 + permutations),
// which is never 0 and is valid (P(p ≤ α) ≤ α under exchangeability). Seeded.
import { makeRng } from './random.js';

export interface PermutationOptions {
  permutations?: number;
  seed?: number;
}

export function permutationTest(a: ArrayLike<number>, b: ArrayLike<number>, opts: PermutationOptions = {}): number {
  const na = a.length;
  const nb = b.length;
  if (na === 0 || nb === 0) return NaN;
  const P = opts.permutations ?? 1000;
  const rng = makeRng(opts.seed ?? 0);
  const all = new Float64Array(na + nb);
  for (let i = 0; i < na; i++) all[i] = a[i]!;
  for (let i = 0; i < nb; i++) all[na + i] = b[i]!;
  let total = 0;
  for (const x of all) total += x;
  let sa = 0;
  for (let i = 0; i < na; i++) sa += all[i]!;
  const diff = (sumA: number): number => sumA / na - (total - sumA) / nb;
  const observed = Math.abs(diff(sa));
  // a relative tolerance so that ties in floating point count as "at least as extreme"
  const tol = 1e-12 * Math.max(1, observed);
  let extreme = 0;
  for (let p = 0; p < P; p++) {
    // partial Fisher–Yates: the first na slots become a random subset
    let s = 0;
    for (let i = 0; i < na; i++) {
      const j = i + rng.int(all.length - i);
      const x = all[j]!;
      all[j] = all[i]!;
      all[i] = x;
      s += x;
    }
    if (Math.abs(diff(s)) >= observed - tol) extreme++;
  }
  return (1 + extreme) / (1 + P);
}
