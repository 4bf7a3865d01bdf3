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

function compare(extra: Partial<SaeConfig>, withDead: boolean) {
  const cfg = resolveSaeConfig({ agents: [{ id: 'A', dim: 7 }, { id: 'B', dim: 5 }], latents: 12, k: 3, seed: 2, auxK: 4, auxCoef: 0.5, ...extra });
  const rng = makeRng(8);
  const B = 16;
  const xs = [7, 5].map((d) => Float32Array.from({ length: B * d }, () => rng.normal()));
  const dead = withDead ? Uint8Array.from({ length: 12 }, (_, j) => (j % 3 === 0 ? 1 : 0)) : null;
  const dense = new DenseEngine(cfg, initParams(cfg));
  const sparse = new SparseEngine(cfg, initParams(cfg));
  for (let s = 0; s < 3; s++) {
    const a = dense.step(xs, B, 1e-2, dead);
    const b = sparse.step(xs, B, 1e-2, dead);
    expect(b.loss).toBeCloseTo(a.loss, 4);
    expect(b.aux).toBeCloseTo(a.aux, 4);
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

describe('SparseEngine', () => {
  it('matches the dense engine (batchtopk)', () => compare({}, false));
  it('matches the dense engine with the auxiliary-k loss', () => compare({}, true));
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
});
