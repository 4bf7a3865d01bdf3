import { describe, expect, it } from 'vitest';
import { CrossMoments, ccaFromMoments, choleskySolve, ridgeFromMoments, symmetricEigen } from '../../../conflicts/index.js';
import { makeRng } from '../../../util/random.js';

describe('linear fits used by the view models', () => {
  it('solves SPD systems and finds eigenpairs', () => {
    const A = Float64Array.of(4, 1, 0, 1, 3, 1, 0, 1, 2);
    const x = choleskySolve(A, 3, Float64Array.of(1, 2, 3), 1)!;
    const back = [0, 1, 2].map((i) => A[i * 3]! * x[0]! + A[i * 3 + 1]! * x[1]! + A[i * 3 + 2]! * x[2]!);
    expect(back[0]).toBeCloseTo(1, 10);
    expect(back[2]).toBeCloseTo(3, 10);
    const { values, vectors } = symmetricEigen(A, 3);
    for (let c = 0; c < 3; c++) {
      for (let i = 0; i < 3; i++) {
        let av = 0;
        for (let k = 0; k < 3; k++) av += A[i * 3 + k]! * vectors[k * 3 + c]!;
        expect(av).toBeCloseTo(values[c]! * vectors[i * 3 + c]!, 8);
      }
    }
    expect(values[0]).toBeGreaterThan(values[1]!);
  });

  it('streamed moments (blocks of rows, uneven chunks, a column that is always zero) equal the two-pass covariances', () => {
    const rng = makeRng(4);
    const p = 7;
    const q = 5;
    const n = 230;
    const x = Float64Array.from({ length: n * p }, (_, i) => (i % p === 3 ? 0 : rng.normal() * (1 + (i % p)) + 2));
    const y = Float64Array.from({ length: n * q }, () => (rng.next() < 0.7 ? 0 : rng.normal()));
    const m = new CrossMoments(p, q, true);
    let at = 0;
    for (const rows of [10, 150, 1, 69]) {
      m.add(x.subarray(at * p, (at + rows) * p), y.subarray(at * q, (at + rows) * q), rows);
      at += rows;
    }
    const cov = (a: Float64Array, da: number, i: number, b: Float64Array, db: number, k: number) => {
      let ma = 0;
      let mb = 0;
      for (let r = 0; r < n; r++) {
        ma += a[r * da + i]! / n;
        mb += b[r * db + k]! / n;
      }
      let s = 0;
      for (let r = 0; r < n; r++) s += (a[r * da + i]! - ma) * (b[r * db + k]! - mb);
      return s / n;
    };
    const cxx = m.covXX();
    const cyy = m.covYY();
    const cxy = m.covXY();
    for (let i = 0; i < p; i++) for (let k = 0; k < p; k++) expect(cxx[i * p + k]).toBeCloseTo(cov(x, p, i, x, p, k), 10);
    for (let j = 0; j < q; j++) for (let k = 0; k < q; k++) expect(cyy[j * q + k]).toBeCloseTo(cov(y, q, j, y, q, k), 10);
    for (let i = 0; i < p; i++) for (let j = 0; j < q; j++) expect(cxy[i * q + j]).toBeCloseTo(cov(x, p, i, y, q, j), 10);
    expect(m.n).toBe(n);
  });

  it('ridge recovers an exact affine map', () => {
    const rng = makeRng(1);
    const p = 6;
    const q = 3;
    const W = Float64Array.from({ length: p * q }, () => rng.normal());
    const m = new CrossMoments(p, q);
    const n = 500;
    const x = new Float32Array(n * p);
    const y = new Float32Array(n * q);
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < p; i++) x[r * p + i] = rng.normal() + 3;
      for (let j = 0; j < q; j++) {
        let v = 1.5;
        for (let i = 0; i < p; i++) v += x[r * p + i]! * W[i * q + j]!;
        y[r * q + j] = v;
      }
    }
    m.add(x.subarray(0, 250 * p), y.subarray(0, 250 * q), 250);
    m.add(x.subarray(250 * p), y.subarray(250 * q), 250);
    const map = ridgeFromMoments(m, 1e-8);
    const pred = map.apply(x, n);
    let err = 0;
    for (let i = 0; i < n * q; i++) err = Math.max(err, Math.abs(pred[i]! - y[i]!));
    expect(err).toBeLessThan(1e-3);
  });

  it('canonical correlation finds the shared signal of two noisy views', () => {
    const rng = makeRng(2);
    const n = 2000;
    const x = new Float32Array(n * 4);
    const y = new Float32Array(n * 3);
    for (let r = 0; r < n; r++) {
      const s = rng.normal();
      x[r * 4] = s + 0.1 * rng.normal();
      for (let i = 1; i < 4; i++) x[r * 4 + i] = rng.normal();
      y[r * 3 + 2] = -2 * s + 0.2 * rng.normal();
      y[r * 3] = rng.normal();
      y[r * 3 + 1] = rng.normal();
    }
    const m = new CrossMoments(4, 3, true);
    m.add(x, y, n);
    const fit = ccaFromMoments(m, 2);
    expect(fit.correlations[0]).toBeGreaterThan(0.98);
    expect(fit.correlations[1]).toBeLessThan(0.15);
    const u = fit.maps[0].apply(x, n);
    const v = fit.maps[1].apply(y, n);
    let suv = 0;
    let suu = 0;
    for (let r = 0; r < n; r++) {
      suv += u[r * 2]! * v[r * 2]!;
      suu += u[r * 2]! ** 2;
    }
    expect(suu / n).toBeCloseTo(1, 1);
    expect(suv / n).toBeGreaterThan(0.95);
  });
});
