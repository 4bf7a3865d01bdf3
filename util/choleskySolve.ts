// Cholesky solve of a symmetric positive definite system (the detector's ridge regressions and
// the split's least squares on latent codes).
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
