// The emitted SIMD128 kernels agree with plain loops, for lengths with and without a
// remainder after the 8-lane main loop, and the arena keeps earlier arrays valid as it grows.
import { describe, expect, it } from 'vitest';
import { Arena } from '../../../sae/kernels/arena.js';
import { kernelBytes, sparseKernels } from '../../../sae/kernels/sparseKernels.js';
import { makeRng } from '../../../util/random.js';

const rng = makeRng(3);
const fill = (a: Float32Array) => a.forEach((_, i) => (a[i] = rng.normal()));
const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(tol * (1 + Math.abs(b[i]!)));
};

describe('sparse kernels', () => {
  it('is a valid module', () => {
    expect(WebAssembly.validate(kernelBytes())).toBe(true);
  });

  for (const d of [1, 5, 8, 13, 37, 64]) {
    it(`axpyRows, codeGrad, encGrad, sumsq at d = ${d}`, () => {
      const ar = new Arena();
      const K = sparseKernels(ar.memory);
      const B = 6;
      const n = 5;
      const rows = ar.i32(n);
      rows.set([4, 1, 4, 0, 5]);
      const vals = ar.f32(n);
      fill(vals);
      const drow = ar.f32(d);
      fill(drow);
      // axpyRows over entries [1, 4)
      const out = ar.f32(B * d);
      fill(out);
      const want = Float32Array.from(out);
      for (let p = 1; p < 4; p++) for (let i = 0; i < d; i++) want[rows[p]! * d + i]! += vals[p]! * drow[i]!;
      K.axpyRows(out.byteOffset, drow.byteOffset, d, rows.byteOffset, vals.byteOffset, 1, 4);
      close(out, want);
      // codeGrad over all entries
      const g = ar.f32(B * d);
      fill(g);
      const gd = ar.f32(d);
      fill(gd);
      const dz = ar.f32(B);
      fill(dz);
      const wantGd = Float32Array.from(gd);
      const wantDz = Float32Array.from(dz);
      for (let p = 0; p < n; p++) {
        let s = 0;
        for (let i = 0; i < d; i++) {
          wantGd[i]! += vals[p]! * g[rows[p]! * d + i]!;
          s += g[rows[p]! * d + i]! * drow[i]!;
        }
        wantDz[rows[p]!]! += s;
      }
      K.codeGrad(g.byteOffset, drow.byteOffset, gd.byteOffset, d, rows.byteOffset, vals.byteOffset, 0, n, dz.byteOffset);
      close(gd, wantGd, 1e-4);
      close(dz, wantDz, 1e-4);
      // entries [1, 11): two blocks of four (a row twice in one block) and two single ones
      const rows2 = ar.i32(11);
      rows2.set([3, 2, 2, 5, 0, 1, 4, 4, 3, 0, 5]);
      const vals2 = ar.f32(11);
      fill(vals2);
      const dz2 = ar.f32(B);
      const wantGd2 = Float32Array.from(gd);
      const wantDz2 = new Float32Array(B);
      for (let p = 1; p < 11; p++) {
        let s = 0;
        for (let i = 0; i < d; i++) {
          wantGd2[i]! += vals2[p]! * g[rows2[p]! * d + i]!;
          s += g[rows2[p]! * d + i]! * drow[i]!;
        }
        wantDz2[rows2[p]!]! += s;
      }
      K.codeGrad(g.byteOffset, drow.byteOffset, gd.byteOffset, d, rows2.byteOffset, vals2.byteOffset, 1, 11, dz2.byteOffset);
      close(gd, wantGd2, 1e-4);
      close(dz2, wantDz2, 1e-4);
      // encGrad skips rows whose dz is 0
      dz[1] = 0;
      const gw = ar.f32(d);
      fill(gw);
      const wantGw = Float32Array.from(gw);
      for (let p = 0; p < n; p++) if (dz[rows[p]!] !== 0) for (let i = 0; i < d; i++) wantGw[i]! += dz[rows[p]!]! * g[rows[p]! * d + i]!;
      K.encGrad(g.byteOffset, gw.byteOffset, d, rows.byteOffset, n, dz.byteOffset);
      close(gw, wantGw, 1e-4);
      // two blocks of four rows and three single ones (rows repeat; a zero dz in a block adds 0)
      const many = ar.i32(11);
      many.set([5, 0, 2, 4, 1, 3, 3, 0, 2, 1, 4]);
      const gw2 = ar.f32(d);
      fill(gw2);
      const wantGw2 = Float32Array.from(gw2);
      for (let p = 0; p < 11; p++) for (let i = 0; i < d; i++) wantGw2[i]! += dz[many[p]!]! * g[many[p]! * d + i]!;
      K.encGrad(g.byteOffset, gw2.byteOffset, d, many.byteOffset, 11, dz.byteOffset);
      close(gw2, wantGw2, 1e-4);
      expect(K.sumsq(g.byteOffset, B * d)).toBeCloseTo(Array.from(g).reduce((s, x) => s + x * x, 0), 3);
    });
  }

  it('adam matches the scalar update and zeroes the gradient', () => {
    const ar = new Arena();
    const K = sparseKernels(ar.memory);
    const n = 23;
    const [p, m, v, g] = [ar.f32(n), ar.f32(n), ar.f32(n), ar.f32(n)];
    [p, m, g].forEach(fill);
    v.forEach((_, i) => (v[i] = Math.abs(rng.normal())));
    const [b1, b2, eps, clip, lr1, c2] = [0.9, 0.999, 1e-8, 0.7, 1e-3 / 0.1, 0.002];
    const wp = Float32Array.from(p);
    const wm = Float32Array.from(m);
    const wv = Float32Array.from(v);
    for (let i = 0; i < n; i++) {
      const gi = g[i]! * clip;
      wm[i] = b1 * wm[i]! + (1 - b1) * gi;
      wv[i] = b2 * wv[i]! + (1 - b2) * gi * gi;
      wp[i]! -= (lr1 * wm[i]!) / (Math.sqrt(wv[i]! / c2) + eps);
    }
    K.adam(p.byteOffset, m.byteOffset, v.byteOffset, g.byteOffset, n, clip, lr1, c2, b1, 1 - b1, b2, 1 - b2, eps);
    close(m, wm);
    close(v, wv);
    close(p, wp, 1e-5);
    expect(Array.from(g).every((x) => x === 0)).toBe(true);
  });

  it('the arena grows without invalidating earlier arrays', () => {
    const ar = new Arena();
    const a = ar.f32(10);
    a.fill(7);
    const big = ar.f32(3_000_000);
    big[big.length - 1] = 1;
    expect(a.byteOffset + 40).toBeLessThanOrEqual(big.byteOffset);
    expect(Array.from(a)).toEqual(Array(10).fill(7));
    expect(ar.memory.buffer.byteLength).toBeGreaterThanOrEqual(big.byteOffset + big.byteLength);
  });
});
