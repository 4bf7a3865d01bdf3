// The native product (onnxruntime-node) against a plain loop; skipped where the optional
// package or its native library is not installed (CI runs whichever installs).
import { describe, expect, it } from 'vitest';
import { loadNativeGemm, type NativeGemm } from '../../../sae/kernels/nativeGemm.js';
import { makeRng } from '../../../util/random.js';

let gemm: NativeGemm | null = null;
try {
  gemm = await loadNativeGemm(1);
} catch {
  gemm = null;
}

function loop(a: Float32Array, b: Float32Array, M: number, N: number, K: number): Float64Array {
  const y = new Float64Array(M * N);
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) for (let k = 0; k < K; k++) y[i * N + j]! += a[i * K + k]! * b[j * K + k]!;
  return y;
}

describe.skipIf(gemm === null)('loadNativeGemm', () => {
  it('computes a·bᵀ like a plain loop, for odd sizes and repeated calls of different shapes', () => {
    const rng = makeRng(3);
    for (const [M, N, K] of [[13, 9, 7], [64, 33, 40], [5, 17, 3]] as const) {
      const a = Float32Array.from({ length: M * K }, () => rng.normal());
      const b = Float32Array.from({ length: N * K }, () => rng.normal());
      const y = new Float32Array(M * N);
      gemm!.run(a, b, y, M, N, K);
      const ref = loop(a, b, M, N, K);
      for (let i = 0; i < y.length; i++) expect(Math.abs(y[i]! - ref[i]!)).toBeLessThan(1e-4 * Math.sqrt(K));
    }
  });

  it('reads and writes views of shared memory (the sparse engine arena), leaving the rest untouched', () => {
    const rng = makeRng(4);
    const M = 11;
    const N = 6;
    const K = 9;
    const mem = new Float32Array(new SharedArrayBuffer(4 * (M * K + N * K + M * N + 8)));
    const a = mem.subarray(0, M * K);
    const b = mem.subarray(M * K, M * K + N * K);
    const y = mem.subarray(M * K + N * K, M * K + N * K + M * N);
    for (let i = 0; i < a.length; i++) a[i] = rng.normal();
    for (let i = 0; i < b.length; i++) b[i] = rng.normal();
    mem.fill(7, M * K + N * K + M * N);
    gemm!.run(a, b, y, M, N, K);
    const ref = loop(a, b, M, N, K);
    for (let i = 0; i < y.length; i++) expect(Math.abs(y[i]! - ref[i]!)).toBeLessThan(1e-4 * Math.sqrt(K));
    expect(Array.from(mem.subarray(M * K + N * K + M * N))).toEqual(new Array(8).fill(7));
  });

  it('names what runs', () => {
    expect(gemm!.name).toMatch(/^onnxruntime-node \d/);
    expect(gemm!.threads).toBe(1);
  });
});
