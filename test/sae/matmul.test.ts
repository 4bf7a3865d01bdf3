// Run-time choice of the sparse engine's dense encoder product: native onnxruntime-node when it
// loads, the tfjs (wasm) matmul otherwise, and both paths train to the same results.
import { beforeAll, describe, expect, it } from 'vitest';
import { BackendError, describeMatmul, initParams, resolveSaeConfig, selectBackend, selectMatmul, type MatmulInfo, type SaeConfig } from '../../sae/index.js';
import { SparseEngine } from '../../sae/train/sparseEngine.js';
import { makeRng } from '../../util/random.js';

let native: MatmulInfo;
beforeAll(async () => {
  await selectBackend('wasm');
  native = await selectMatmul('auto');
});

const missing = () => Promise.reject(new Error("Cannot find module 'onnxruntime-node'\nRequire stack: …"));

function train(cfg: ReturnType<typeof resolveSaeConfig>, matmul: MatmulInfo, threads: number, steps: number) {
  const rng = makeRng(11);
  const B = 48;
  const engine = new SparseEngine(cfg, initParams(cfg), { threads, gemm: matmul.gemm });
  const dead = Uint8Array.from({ length: cfg.latents }, (_, j) => (j % 5 === 0 ? 1 : 0));
  const stats = Array.from({ length: steps }, (_, s) => {
    const xs = cfg.agents.map((a) => Float32Array.from({ length: B * a.dim }, () => rng.normal()));
    return engine.step(xs, B, 1e-2, s % 2 ? dead : null);
  });
  const params = engine.params();
  const kind = engine.matmul;
  engine.dispose();
  return { stats, params, kind };
}

function expectSameTraining(a: ReturnType<typeof train>, b: ReturnType<typeof train>) {
  for (let s = 0; s < a.stats.length; s++) {
    expect(b.stats[s]!.loss).toBeCloseTo(a.stats[s]!.loss, 4);
    expect(b.stats[s]!.aux).toBeCloseTo(a.stats[s]!.aux, 4);
    expect(b.stats[s]!.gradNorm).toBeCloseTo(a.stats[s]!.gradNorm, 3);
  }
  for (const name of Object.keys(a.params)) {
    const x = a.params[name]!.data;
    const y = b.params[name]!.data;
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
    expect(worst, name).toBeLessThan(1e-3);
  }
}

const small: SaeConfig = { agents: [{ id: 'A', dim: 24 }, { id: 'B', dim: 20 }], latents: 64, k: 4, seed: 5, auxK: 8, auxCoef: 0.5 } as SaeConfig;

describe('selectMatmul', () => {
  it('runs the tfjs matmul when native kernels are forced off', async () => {
    const m = await selectMatmul('tfjs');
    expect(m).toEqual({ name: 'tfjs', gemm: null, skipped: '' });
    expect(describeMatmul(m, 'wasm')).toBe('dense encoder product: tfjs wasm (native kernels off)');
  });

  it('falls back to tfjs with a one-line reason when onnxruntime-node cannot load', async () => {
    const m = await selectMatmul('auto', missing);
    expect(m.name).toBe('tfjs');
    expect(m.gemm).toBeNull();
    const line = describeMatmul(m, 'wasm');
    expect(line).toBe("dense encoder product: tfjs wasm (onnxruntime-node not available: Cannot find module 'onnxruntime-node')");
    expect(line).not.toContain('\n');
  });

  it('fails with TL_BACKEND when onnxruntime is forced but cannot load, and on unknown names', async () => {
    await expect(selectMatmul('onnxruntime', missing)).rejects.toMatchObject({ code: 'TL_BACKEND' });
    await expect(selectMatmul('blas' as 'tfjs')).rejects.toBeInstanceOf(BackendError);
  });

  it('the config resolves matmul (default auto) and rejects unknown values', () => {
    expect(resolveSaeConfig(small).matmul).toBe('auto');
    expect(resolveSaeConfig({ ...small, matmul: 'tfjs' }).matmul).toBe('tfjs');
    expect(() => resolveSaeConfig({ ...small, matmul: 'gpu' as 'tfjs' })).toThrow(/matmul/);
  });

  it('trains on the tfjs path when native kernels are forced off', async () => {
    const off = train(resolveSaeConfig(small), await selectMatmul('tfjs'), 1, 3);
    expect(off.kind).toBe('tfjs');
    expect(off.stats.every((s) => Number.isFinite(s.loss))).toBe(true);
  });
});

describe('native encoder product (onnxruntime-node)', () => {
  it('is chosen by auto where onnxruntime-node is installed', (ctx) => {
    if (native.name !== 'onnxruntime') return ctx.skip(); // not installed: auto fell back (tested above)
    expect(native.gemm).not.toBeNull();
    expect(describeMatmul(native, 'wasm')).toMatch(/^dense encoder product: onnxruntime-node \S+ \(native CPU kernels\)$/);
  });

  it('trains like the wasm path (batchtopk with aux-k, 1 thread)', async (ctx) => {
    if (!native.gemm) return ctx.skip();
    const cfg = resolveSaeConfig(small);
    const wasm = train(cfg, await selectMatmul('tfjs'), 1, 6);
    const ort = train(cfg, native, 1, 6);
    expect(ort.kind).toBe('onnxruntime');
    expectSameTraining(wasm, ort);
  });

  it('trains like the wasm path with 2 worker threads and three agents (partitioned)', async (ctx) => {
    if (!native.gemm) return ctx.skip();
    const cfg = resolveSaeConfig({
      ...small,
      mode: 'partitioned',
      agents: [{ id: 'A', dim: 24 }, { id: 'B', dim: 20 }, { id: 'C', dim: 12 }],
      blocks: { shared: 34, private: { A: 10, B: 10, C: 10 } },
    } as SaeConfig);
    const wasm = train(cfg, await selectMatmul('tfjs'), 1, 5);
    const ort = train(cfg, native, 2, 5);
    expectSameTraining(wasm, ort);
  });
});
