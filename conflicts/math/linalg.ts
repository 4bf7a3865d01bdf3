// Small dense linear algebra on row-major Float64Arrays, enough for ridge regression and
// canonical correlation on hidden sizes up to a few thousand: Cholesky solve and the
// cyclic Jacobi eigendecomposition of a symmetric matrix. Plain loops, no tensors.

/** Solves A X = B in place of a copy; A is n×n symmetric positive definite, B is n×m. Returns X (n×m), or null if A is not PD. */
export function choleskySolve(A: Float64Array, n: number, B: Float64Array, m: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j]!;
      for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * n + i] = Math.sqrt(s);
      } else {
        L[i * n + j] = s / L[j * n + j]!;
      }
    }
  }
  const X = Float64Array.from(B);
  // Forward: L Y = B.
  for (let i = 0; i < n; i++) {
    const lii = L[i * n + i]!;
    for (let c = 0; c < m; c++) {
      let s = X[i * m + c]!;
      for (let k = 0; k < i; k++) s -= L[i * n + k]! * X[k * m + c]!;
      X[i * m + c] = s / lii;
    }
  }
  // Backward: Lᵀ X = Y.
  for (let i = n - 1; i >= 0; i--) {
    const lii = L[i * n + i]!;
    for (let c = 0; c < m; c++) {
      let s = X[i * m + c]!;
      for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * X[k * m + c]!;
      X[i * m + c] = s / lii;
    }
  }
  return X;
}

export interface Eigen {
  /** Eigenvalues, descending. */
  values: Float64Array;
  /** n×n, column c is the eigenvector of values[c]. */
  vectors: Float64Array;
}

/** Eigendecomposition of a symmetric n×n matrix (cyclic Jacobi rotations). */
export function symmetricEigen(S: Float64Array, n: number, maxSweeps = 60): Eigen {
  const A = Float64Array.from(S);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += A[i * n + i]! * A[i * n + i]!;
      for (let j = i + 1; j < n; j++) off += A[i * n + j]! * A[i * n + j]!;
    }
    if (off <= 1e-24 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const app = A[p * n + p]!;
        const aqq = A[q * n + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p]!;
          const akq = A[k * n + q]!;
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k]!;
          const aqk = A[q * n + k]!;
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p]!;
          const vkq = V[k * n + q]!;
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => A[b * n + b]! - A[a * n + a]!);
  const values = Float64Array.from(order, (i) => A[i * n + i]!);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    for (let k = 0; k < n; k++) vectors[k * n + dst] = V[k * n + src]!;
  });
  return { values, vectors };
}

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
