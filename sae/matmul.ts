// Picks what runs the sparse engine's dense encoder product at run time, as backend.ts picks
// the tensor backend: native CPU kernels through onnxruntime-node when they load, else the
// tfjs backend's own matmul (wasm SIMD on CPU). `describe()` is the one line the trainer
// prints, naming what runs and, after a fallback, why.
import { BackendError } from './errors.js';
import { loadNativeGemm, type NativeGemm } from './kernels/nativeGemm.js';

export const MATMUL_NAMES = ['onnxruntime', 'tfjs'] as const;
export type MatmulName = (typeof MATMUL_NAMES)[number];

export interface MatmulInfo {
  name: MatmulName;
  /** The native product (one intra-op thread), or null when the tfjs backend runs it. */
  gemm: NativeGemm | null;
  /** Why onnxruntime was skipped ('' when it runs or was not asked for). */
  skipped: string;
}

let native: Promise<NativeGemm> | null = null;

/** One native session per thread, loaded on first use (later calls reuse it). */
function nativeGemm(): Promise<NativeGemm> {
  native ??= loadNativeGemm(1).catch((err: unknown) => {
    native = null;
    throw err;
  });
  return native;
}

/**
 * `auto` (the default): onnxruntime when it loads, else tfjs. `onnxruntime` fails loudly when
 * it cannot load; `tfjs` never tries it. `load` is the native loader (tests inject a failing one).
 */
export async function selectMatmul(force: MatmulName | 'auto' = 'auto', load: () => Promise<NativeGemm> = nativeGemm): Promise<MatmulInfo> {
  if (force !== 'auto' && !MATMUL_NAMES.includes(force)) {
    throw new BackendError(`unknown matmul '${String(force)}'; choose one of ${MATMUL_NAMES.join(', ')} or auto`);
  }
  if (force === 'tfjs') return { name: 'tfjs', gemm: null, skipped: '' };
  try {
    return { name: 'onnxruntime', gemm: await load(), skipped: '' };
  } catch (err) {
    const reason = ((err as Error).message ?? String(err)).split('\n')[0]!;
    if (force === 'onnxruntime') throw new BackendError(`matmul 'onnxruntime' is not available (${reason})`);
    return { name: 'tfjs', gemm: null, skipped: reason };
  }
}

/** One line: what runs the dense encoder product (and why not native after a fallback). */
export function describeMatmul(m: MatmulInfo, tfBackend: string): string {
  if (m.gemm) return `dense encoder product: ${m.gemm.name} (native CPU kernels)`;
  return m.skipped ? `dense encoder product: tfjs ${tfBackend} (onnxruntime-node not available: ${m.skipped})` : `dense encoder product: tfjs ${tfBackend} (native kernels off)`;
}
