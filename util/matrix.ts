// Dense row-major Float64 matrix helpers shared by the synthetic source and the detector.

/** C = A·B for A (n×k), B (k×m). Skips zero entries of A (sparse thoughts, masked rows). */
export function matMul(a: Float64Array, b: Float64Array, n: number, k: number, m: number): Float64Array {
  const c = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p]!;
      if (av === 0) continue;
      for (let j = 0; j < m; j++) c[i * m + j]! += av * b[p * m + j]!;
    }
  }
  return c;
}

/** The transpose of an n×m matrix. */
export function transpose(a: Float64Array, n: number, m: number): Float64Array {
  const t = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) t[j * n + i] = a[i * m + j]!;
  return t;
}
