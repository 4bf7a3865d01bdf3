// The sparse engine computes the same step as the dense (autograd) engine.
import { beforeAll, describe, expect, it } from 'vitest';
import { initParams, resolveSaeConfig, selectBackend, type SaeConfig } from '../../../sae/index.js';
import { DenseEngine } from '../../../sae/train/denseEngine.js';
import { SparseEngine } from '../../../sae/train/sparseEngine.js';
import { kthLargest } from '../../../sae/train/kthLargest.js';
import { makeRng } from '../../../util/random.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

function compare(extra: Partial<SaeConfig>, withDead: boolean, dims = [7, 5]) {
  const agents = dims.map((dim, a) => ({ id: dims.length === 2 ? 'AB'[a]! : `n${a}`, dim }));
  const cfg = resolveSaeConfig({ agents, latents: 12, k: 3, seed: 2, auxK: 4, auxCoef: 0.5, ...extra });
  const rng = makeRng(8);
  const B = 16;
  const xs = dims.map((d) => Float32Array.from({ length: B * d }, () => rng.normal()));
  const dead = withDead ? Uint8Array.from({ length: 12 }, (_, j) => (j % 3 === 0 ? 1 : 0)) : null;
  const dense = new DenseEngine(cfg, initParams(cfg));
  const sparse = new SparseEngine(cfg, initParams(cfg));
  for (let s = 0; s < 3; s++) {
    const a = dense.step(xs, B, 1e-2, dead);
    const b = sparse.step(xs, B, 1e-2, dead);
    expect(b.loss).toBeCloseTo(a.loss, 4);
    expect(b.aux).toBeCloseTo(a.aux, 4);
    expect(b.penalty).toBeCloseTo(a.penalty, 4);
    expect(b.gradNorm).toBeCloseTo(a.gradNorm, 3);
    expect(Array.from(b.fired)).toEqual(Array.from(a.fired));
  }
  const pa = dense.params();
  const pb = sparse.params();
  for (const name of Object.keys(pa)) {
    const x = pa[name]!.data;
    const y = pb[name]!.data;
    for (let i = 0; i < x.length; i++) expect(Math.abs(x[i]! - y[i]!)).toBeLessThan(1e-4);
  }
  dense.dispose();
  sparse.dispose();
}

function batches(dims: number[], B: number, n: number, seed: number, scale: (s: number) => number = () => 1): Float32Array[][] {
  const rng = makeRng(seed);
  return Array.from({ length: n }, (_, s) => dims.map((d) => Float32Array.from({ length: B * d }, () => rng.normal() * scale(s))));
}

function run(engine: DenseEngine | SparseEngine, data: Float32Array[][], B: number, dead: Uint8Array | null) {
  const stats = data.map((xs) => engine.step(xs, B, 1e-2, dead));
  const params = engine.params();
  engine.dispose();
  return { stats, params };
}

describe('SparseEngine', () => {
  it('matches the dense engine (batchtopk)', () => compare({}, false));
  it('matches the dense engine with many agents (per-agent losses fit the scalar slots)', () => compare({}, true, [5, 4, 6, 3, 5, 4, 3, 6, 5, 4]));
  it('matches the dense engine with the auxiliary-k loss', () => compare({}, true));
  it('matches the dense engine with the decoder-block penalty', () => compare({ blockPenalty: 0.3 }, true));
  it('matches the dense engine (partitioned)', () => compare({ mode: 'partitioned', blocks: { shared: 6, private: { A: 3, B: 3 } } }, true));
  it('kthLargest agrees with sorting', () => {
    const rng = makeRng(1);
    for (let t = 0; t < 20; t++) {
      const n = 1 + rng.int(300);
      const v = Float32Array.from({ length: n }, () => (rng.next() < 0.3 ? 0 : rng.normal()));
      const K = 1 + rng.int(n);
      const pos = Array.from(v).filter((x) => x > 0).sort((a, b) => b - a);
      const expected = K <= pos.length ? pos[K - 1] : pos.length ? pos[pos.length - 1] : Infinity;
      expect(kthLargest(v, K)).toBe(expected);
    }
  });
  it('takes the same steps as the dense engine when the threshold falls by more than the candidate cut, and on a larger batch', () => {
    const cfg = resolveSaeConfig({ agents: [{ id: 'A', dim: 9 }, { id: 'B', dim: 6 }], latents: 20, k: 3, seed: 4, auxK: 0 });
    const B = 24;
    // Steps 0–2 at unit scale, then inputs 100× smaller: the selection threshold drops ~100×.
    const data = batches([9, 6], B, 5, 11, (s) => (s < 3 ? 1 : 0.01));
    const a = run(new DenseEngine(cfg, initParams(cfg)), data, B, null);
    const b = run(new SparseEngine(cfg, initParams(cfg)), data, B, null);
    a.stats.forEach((x, s) => {
      expect(b.stats[s]!.loss).toBeCloseTo(x.loss, 5);
      expect(Array.from(b.stats[s]!.fired)).toEqual(Array.from(x.fired));
    });
    // A batch of 2B rows with an engine configured for B (buffers grow).
    const big = batches([9, 6], 2 * B, 2, 12);
    const c = run(new DenseEngine({ ...cfg, batchSize: B }, initParams(cfg)), big, 2 * B, null);
    const d = run(new SparseEngine({ ...cfg, batchSize: B }, initParams(cfg)), big, 2 * B, null);
    c.stats.forEach((x, s) => expect(d.stats[s]!.loss).toBeCloseTo(x.loss, 4));
  });

  it('with 2 worker threads: the same steps as 1 thread, and identical on every run', { timeout: 60_000 }, () => {
    const cfg = resolveSaeConfig({ agents: [{ id: 'A', dim: 16 }, { id: 'B', dim: 12 }], latents: 48, k: 4, seed: 6, auxK: 8, auxCoef: 0.5 });
    const B = 32;
    const data = batches([16, 12], B, 4, 13);
    const dead = Uint8Array.from({ length: 48 }, (_, j) => (j % 5 === 0 ? 1 : 0));
    const one = run(new SparseEngine(cfg, initParams(cfg), { threads: 1 }), data, B, dead);
    const two = run(new SparseEngine(cfg, initParams(cfg), { threads: 2 }), data, B, dead);
    const again = run(new SparseEngine(cfg, initParams(cfg), { threads: 2 }), data, B, dead);
    one.stats.forEach((x, s) => {
      expect(two.stats[s]!.loss).toBeCloseTo(x.loss, 5);
      expect(two.stats[s]!.gradNorm).toBeCloseTo(x.gradNorm, 4);
      expect(Array.from(two.stats[s]!.fired)).toEqual(Array.from(x.fired));
      expect(two.stats[s]!.loss).toBe(again.stats[s]!.loss);
    });
    for (const name of Object.keys(one.params)) {
      const x = one.params[name]!.data;
      const y = two.params[name]!.data;
      const z = again.params[name]!.data;
      for (let i = 0; i < x.length; i++) {
        expect(Math.abs(x[i]! - y[i]!)).toBeLessThan(1e-5);
        expect(y[i]).toBe(z[i]);
      }
    }
  });
  it('resumes bit for bit from its parameters and Adam state', () => {
    const cfg = resolveSaeConfig({ agents: [{ id: 'A', dim: 10 }, { id: 'B', dim: 7 }], latents: 24, k: 3, seed: 9, auxK: 4, auxCoef: 0.5 });
    const B = 20;
    const data = batches([10, 7], B, 4, 21);
    const dead = Uint8Array.from({ length: 24 }, (_, j) => (j % 4 === 0 ? 1 : 0));
    const straight = run(new SparseEngine(cfg, initParams(cfg)), data, B, dead);
    const first = new SparseEngine(cfg, initParams(cfg));
    data.slice(0, 2).forEach((xs) => first.step(xs, B, 1e-2, dead));
    const resumed = new SparseEngine(cfg, initParams(cfg));
    resumed.load(first.params(), first.optimizerState(), first.t);
    first.dispose();
    const rest = run(resumed, data.slice(2), B, dead);
    expect(rest.stats.map((x) => x.loss)).toEqual(straight.stats.slice(2).map((x) => x.loss));
    for (const name of Object.keys(straight.params)) expect(Array.from(rest.params[name]!.data)).toEqual(Array.from(straight.params[name]!.data));
  });
});
