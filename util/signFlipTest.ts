// Paired permutation test (sign flip) of a mean difference: under the null each paired
// difference is as likely to have either sign, so the signs are flipped at random
// `permutations` times; p = (1 + #{|mean_flipped| ≥ |mean_observed|}) / (1 + permutations).
// Seeded; NaN for no pairs.
import { makeRng } from './random.js';

export function signFlipTest(diffs: ArrayLike<number>, opts: { permutations?: number; seed?: number } = {}): number {
  const n = diffs.length;
  if (n === 0) return NaN;
  const P = opts.permutations ?? 1000;
  const rng = makeRng(opts.seed ?? 0);
  let s = 0;
  for (let i = 0; i < n; i++) s += diffs[i]!;
  const observed = Math.abs(s);
  const tol = 1e-12 * Math.max(1, observed);
  let extreme = 0;
  for (let p = 0; p < P; p++) {
    let f = 0;
    for (let i = 0; i < n; i++) f += rng.next() < 0.5 ? -diffs[i]! : diffs[i]!;
    if (Math.abs(f) >= observed - tol) extreme++;
  }
  return (1 + extreme) / (1 + P);
}
