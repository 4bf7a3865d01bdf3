// Small dense linear algebra for building the mixing networks (row-major Float64Arrays).
import { symmetricEigen } from '../../util/symmetricEigen.js';
import type { Rng } from '../../util/random.js';
import { matMul, transpose } from '../../util/matrix.js';

export interface InjectiveMap {
  /** W, m×n row-major. */
  w: Float64Array;
  /** W⁺ = W's left inverse, n×m row-major. */
  pinv: Float64Array;
  /** Singular values of W, descending. */
  singular: Float64Array;
}

/**
 * A random m×n (m ≥ n) injective map W = Q·diag(s)·R (Q orthonormal columns, R orthogonal,
 * s log-uniform in [1/condition, 1]) and its left inverse W⁺ = Rᵀ·diag(1/s)·Qᵀ.
 */
export function randomInjectiveMap(rng: Rng, m: number, n: number, condition: number): InjectiveMap {
  const q = randomOrthonormalColumns(rng, m, n); // m×n
  const r = randomOrthonormalColumns(rng, n, n); // n×n
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) s[i] = Math.pow(condition, -(n === 1 ? 0 : i / (n - 1)));
  const qs = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let k = 0; k < n; k++) qs[i * n + k] = q[i * n + k]! * s[k]!;
  const w = matMul(qs, r, m, n, n);
  const rts = transpose(r, n, n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) rts[i * n + k]! /= s[k]!;
  const pinv = matMul(rts, transpose(q, m, n), n, n, m);
  return { w, pinv, singular: s };
}

/** A rows×cols matrix (rows ≥ cols) with orthonormal columns: Gram–Schmidt of a Gaussian. */
export function randomOrthonormalColumns(rng: Rng, rows: number, cols: number): Float64Array {
  if (cols > rows) throw new RangeError(`cannot have ${cols} orthonormal columns in ${rows} dimensions`);
  const q = new Float64Array(rows * cols);
  const v = new Float64Array(rows);
  for (let c = 0; c < cols; c++) {
    for (;;) {
      for (let r = 0; r < rows; r++) v[r] = rng.normal();
      // Two passes of modified Gram–Schmidt keep the columns orthonormal to rounding.
      for (let pass = 0; pass < 2; pass++) {
        for (let k = 0; k < c; k++) {
          let dot = 0;
          for (let r = 0; r < rows; r++) dot += q[r * cols + k]! * v[r]!;
          for (let r = 0; r < rows; r++) v[r]! -= dot * q[r * cols + k]!;
        }
      }
      let norm = 0;
      for (let r = 0; r < rows; r++) norm += v[r]! * v[r]!;
      norm = Math.sqrt(norm);
      if (norm < 1e-8) continue; // astronomically unlikely: draw again
      for (let r = 0; r < rows; r++) q[r * cols + c] = v[r]! / norm;
      break;
    }
  }
  return q;
}

/** Eigenvalues (descending) of a symmetric n×n matrix, by cyclic Jacobi rotations. */
export function symmetricEigenvalues(s: ArrayLike<number>, n: number): Float64Array {
  return symmetricEigen(Float64Array.from(s), n, 100).values;
}
