// Small dense linear algebra on row-major Float64Arrays, enough for ridge regression and
// canonical correlation on hidden sizes up to a few thousand: Cholesky solve and the
// cyclic Jacobi eigendecomposition of a symmetric matrix. Plain loops, no tensors.
import { symmetricEigen } from '../../util/symmetricEigen.js';
export { symmetricEigen, type Eigen } from '../../util/symmetricEigen.js';
export { choleskySolve } from '../../util/choleskySolve.js';

/** S^(-1/2) of a symmetric positive definite matrix (eigenvalues floored at `floor`). */
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
