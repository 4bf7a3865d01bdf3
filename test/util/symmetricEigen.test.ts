// The two symmetric eigensolvers agree, and the large-matrix one (Householder + QL) is exact to
// rounding: A v = λ v, orthonormal vectors, eigenvalues descending, repeated eigenvalues handled.
import { describe, expect, it } from 'vitest';
import { householderQl, jacobiEigen, JACOBI_MAX_N, symmetricEigen } from '../../util/symmetricEigen.js';
import { makeRng } from '../../util/random.js';

function randomSpd(n: number, seed: number): Float64Array {
  const rng = makeRng(seed);
  const B = Float64Array.from({ length: n * n }, () => rng.normal());
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) A[i * n + j]! += B[i * n + k]! * B[j * n + k]!;
  return A;
}

function check(A: Float64Array, n: number, e: ReturnType<typeof householderQl>): void {
  const scale = Math.max(1, Math.abs(e.values[0]!));
  for (let c = 0; c < n; c++) {
    if (c > 0) expect(e.values[c]!).toBeLessThanOrEqual(e.values[c - 1]! + 1e-12 * scale);
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let k = 0; k < n; k++) av += A[i * n + k]! * e.vectors[k * n + c]!;
      expect(Math.abs(av - e.values[c]! * e.vectors[i * n + c]!)).toBeLessThan(1e-10 * scale);
    }
    for (let c2 = c; c2 < n; c2++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += e.vectors[k * n + c]! * e.vectors[k * n + c2]!;
      expect(Math.abs(s - (c === c2 ? 1 : 0))).toBeLessThan(1e-10);
    }
  }
}

describe('symmetricEigen', () => {
  it('Householder + QL matches Jacobi on random matrices', () => {
    for (const n of [1, 2, 7, 40]) {
      const A = randomSpd(n, n);
      const h = householderQl(A, n);
      const j = jacobiEigen(A, n);
      check(A, n, h);
      h.values.forEach((v, c) => expect(v).toBeCloseTo(j.values[c]!, 8));
    }
  });

  it('handles repeated eigenvalues, zeros and an indefinite matrix', () => {
    const n = 6;
    const diag = new Float64Array(n * n);
    [3, 3, 0, -2, 3, 0].forEach((v, i) => (diag[i * n + i] = v));
    const h = householderQl(diag, n);
    expect(Array.from(h.values)).toEqual([3, 3, 3, 0, 0, -2]);
    check(diag, n, h);
    const A = randomSpd(n, 9);
    for (let i = 0; i < n; i++) A[i * n + i]! -= 20;
    check(A, n, householderQl(A, n));
  });

  it(`switches to Householder + QL above n = ${JACOBI_MAX_N}`, () => {
    const n = JACOBI_MAX_N + 2;
    const A = randomSpd(n, 3);
    const e = symmetricEigen(A, n);
    check(A, n, e);
    expect(Array.from(e.values)).toEqual(Array.from(householderQl(A, n).values));
  });
});
