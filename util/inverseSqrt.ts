// S^(-1/2) of a symmetric positive definite matrix through its eigendecomposition (used by the
// detector's CCA and whitening, and by the dictionary's dense-subspace step).
import { symmetricEigen } from './symmetricEigen.js';

/** S^(-1/2) of a symmetric positive definite n×n matrix (eigenvalues floored at `floor`). */
export function inverseSqrt(S: Float64Array, n: number, floor = 1e-12): Float64Array {
  const { values, vectors } = symmetricEigen(S, n);
  const out = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    const w = 1 / Math.sqrt(Math.max(values[c]!, floor));
    for (let i = 0; i < n; i++) {
      const vi = vectors[i * n + c]! * w;
      for (let j = 0; j < n; j++) out[i * n + j]! += vi * vectors[j * n + c]!;
    }
  }
  return out;
}
