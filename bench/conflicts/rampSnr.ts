// Signal-to-noise ratios for a ramp in AR(1) noise (bench/conflicts/rampEfficiency.bench.ts): a
// unit-slope ramp r_t = t − onset + 1 from the onset on, noise with unit variance and
// correlation ρ^|i−j| between steps. The matched filter with known onset and slope is the
// bound √(rᵀ Σ⁻¹ r); an EWMA of weight λ reaches wᵀ r / √(wᵀ Σ w).
import { choleskySolve } from '../../util/choleskySolve.js';

/** SNR of the matched filter (known onset) and of EWMAs, n steps into a unit-slope ramp in AR(1) noise. */
export function rampSnr(rho: number, n: number, lams: number[], pre = 60): { matched: number; ewma: number[] } {
  const T = pre + n;
  const S = new Float64Array(T * T);
  for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) S[i * T + j] = rho ** Math.abs(i - j);
  const r = Float64Array.from({ length: T }, (_, i) => (i >= pre ? i - pre + 1 : 0));
  const x = choleskySolve(S, T, r, 1)!;
  let q = 0;
  for (let i = 0; i < T; i++) q += r[i]! * x[i]!;
  const ewma = lams.map((lam) => {
    const w = Float64Array.from({ length: T }, (_, i) => lam * (1 - lam) ** (T - 1 - i));
    let num = 0;
    let den = 0;
    for (let i = 0; i < T; i++) {
      num += w[i]! * r[i]!;
      for (let j = 0; j < T; j++) den += w[i]! * S[i * T + j]! * w[j]!;
    }
    return num / Math.sqrt(den);
  });
  return { matched: Math.sqrt(q), ewma };
}

