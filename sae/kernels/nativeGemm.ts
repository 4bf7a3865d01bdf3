// The dense encoder product on native CPU kernels: onnxruntime-node (MLAS, AVX2/AVX-512 with
// FMA) running the one-Gemm graph of onnxGemmModel.ts, about 3.5× the wasm SIMD matmul on
// one core here (docs/PERFORMANCE.md). onnxruntime-node is an optional dependency: when it is
// absent or its native library does not load, loadNativeGemm throws and callers fall back to
// the tfjs backend's matmul (sae/matmul.ts).
//
// The session's native `run` is called directly: it is synchronous (the public
// InferenceSession.run only wraps it in a promise), and the sparse engine's step is
// synchronous across its worker threads. Inputs are staged into private buffers because the
// binding refuses views of a SharedArrayBuffer (the engine's arena is one); the output is
// written in place into a preallocated private buffer and copied out (a memcpy each).
import { createRequire } from 'node:module';
import { onnxGemmModel } from './onnxGemmModel.js';

interface OrtTensorCtor {
  new (type: 'float32', data: Float32Array, dims: number[]): unknown;
}
interface OrtNativeSession {
  loadModel(buffer: ArrayBufferLike, offset: number, length: number, options: object): Promise<void> | void;
  run(feeds: Record<string, unknown>, fetches: Record<string, unknown>, options: object): Record<string, unknown>;
  dispose(): void;
}
interface OrtBindingModule {
  binding: { InferenceSession: new () => OrtNativeSession };
  initOrt(): void;
}

export interface NativeGemm {
  /** What runs, e.g. 'onnxruntime-node 1.31.1'. */
  readonly name: string;
  /** Intra-op threads of this session (the sparse engine uses 1 per shard). */
  readonly threads: number;
  /** y[M, N] = a[M, K] · b[N, K]ᵀ, all row-major; a, b and y may be views of shared memory. */
  run(a: Float32Array, b: Float32Array, y: Float32Array, M: number, N: number, K: number): void;
  dispose(): void;
}

class OrtGemm implements NativeGemm {
  private sa: Float32Array = new Float32Array(0);
  private sb: Float32Array = new Float32Array(0);
  private sy: Float32Array = new Float32Array(0);

  constructor(
    readonly name: string,
    readonly threads: number,
    private readonly session: OrtNativeSession,
    private readonly Tensor: OrtTensorCtor,
  ) {}

  private stage(buf: Float32Array, n: number): Float32Array {
    return buf.length >= n ? buf : new Float32Array(Math.max(n, Math.ceil(buf.length * 1.25)));
  }

  run(a: Float32Array, b: Float32Array, y: Float32Array, M: number, N: number, K: number): void {
    const shared = (v: Float32Array) => typeof SharedArrayBuffer !== 'undefined' && v.buffer instanceof SharedArrayBuffer;
    let av = a.subarray(0, M * K);
    let bv = b.subarray(0, N * K);
    if (shared(av)) {
      this.sa = this.stage(this.sa, M * K);
      av = this.sa.subarray(0, M * K);
      av.set(a.subarray(0, M * K));
    }
    if (shared(bv)) {
      this.sb = this.stage(this.sb, N * K);
      bv = this.sb.subarray(0, N * K);
      bv.set(b.subarray(0, N * K));
    }
    const direct = !shared(y);
    if (!direct) this.sy = this.stage(this.sy, M * N);
    const yv = direct ? y.subarray(0, M * N) : this.sy.subarray(0, M * N);
    const T = this.Tensor;
    this.session.run({ a: new T('float32', av, [M, K]), b: new T('float32', bv, [N, K]) }, { y: new T('float32', yv, [M, N]) }, {});
    if (!direct) y.set(yv);
  }

  dispose(): void {
    this.session.dispose();
  }
}

/**
 * Loads onnxruntime-node's CPU kernels and checks one small product against a plain loop.
 * Throws (with the reason in one line) when the package or its native library is missing.
 */
export async function loadNativeGemm(threads = 1): Promise<NativeGemm> {
  const require = createRequire(import.meta.url);
  const ort = require('onnxruntime-node') as { Tensor: OrtTensorCtor; env: { versions?: { node?: string } } };
  const native = require('onnxruntime-node/dist/binding') as OrtBindingModule;
  if (typeof native.binding?.InferenceSession !== 'function' || typeof native.initOrt !== 'function') {
    throw new Error('onnxruntime-node has no native InferenceSession binding (unsupported version)');
  }
  native.initOrt();
  const session = new native.binding.InferenceSession();
  if (typeof session.run !== 'function') throw new Error('onnxruntime-node binding has no synchronous run (unsupported version)');
  const bytes = onnxGemmModel();
  await session.loadModel(bytes.buffer, bytes.byteOffset, bytes.byteLength, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const gemm = new OrtGemm(`onnxruntime-node ${ort.env.versions?.node ?? '?'}`, threads, session, ort.Tensor);
  // A product whose result is exact in float32 (small integers), against a loop.
  const M = 3;
  const N = 5;
  const K = 7;
  const a = Float32Array.from({ length: M * K }, (_, i) => (i % 5) - 2);
  const b = Float32Array.from({ length: N * K }, (_, i) => (i % 3) - 1);
  const y = new Float32Array(M * N);
  gemm.run(a, b, y, M, N, K);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[i * K + k]! * b[j * K + k]!;
      if (y[i * N + j] !== s) {
        gemm.dispose();
        throw new Error(`onnxruntime-node Gemm self-check failed (${y[i * N + j]} instead of ${s})`);
      }
    }
  }
  return gemm;
}
