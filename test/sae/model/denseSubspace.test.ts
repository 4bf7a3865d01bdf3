// The dense subspace set aside before the dictionary (sae/model/denseSubspace.ts, `train
// --dense-subspace auto`): found where a Gaussian background hides among sparse thoughts, absent
// where there is none, removed the same way in training, inference and the split's residuals,
// stored and read back with the checkpoint, and refused by the SAELens export.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  applyNorm,
  encodeJoint,
  exportSaelens,
  initParams,
  loadCheckpoint,
  makeCheckpointCfg,
  resolveSaeConfig,
  saveCheckpoint,
  selectBackend,
  withoutDense,
  type SaeModel,
} from '../../../sae/index.js';
import { estimateDenseSubspace, removeDense } from '../../../sae/model/denseSubspace.js';
import { makeRng } from '../../../util/random.js';
import { tempDir } from '../../helpers/tmp.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

/** Orthonormal columns (d × c, row-major) from Gaussian draws. */
function orthonormal(rng: ReturnType<typeof makeRng>, d: number, c: number): Float64Array {
  const Q = new Float64Array(d * c);
  for (let k = 0; k < c; k++) {
    const v = Float64Array.from({ length: d }, () => rng.normal());
    for (let q = 0; q < k; q++) {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += v[i]! * Q[i * c + q]!;
      for (let i = 0; i < d; i++) v[i]! -= dot * Q[i * c + q]!;
    }
    const n = Math.hypot(...v);
    for (let i = 0; i < d; i++) Q[i * c + k] = v[i]! / n;
  }
  return Q;
}

/** n × d states: `sparse` on/off thoughts (P(on) 0.1, lognormal size) plus a `dense`-d Gaussian background of std `bg`, small noise, an offset. */
function states(seed: number, n: number, d: number, sparse: number, dense: number, bg: number) {
  const rng = makeRng(seed);
  const dirs = orthonormal(rng, d, sparse + dense);
  const x = new Float32Array(n * d);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < sparse + dense; c++) {
      const v = c < sparse ? (rng.next() < 0.1 ? Math.exp(0.5 * rng.normal()) : 0) : bg * rng.normal();
      if (v !== 0) for (let i = 0; i < d; i++) x[r * d + i]! += v * dirs[i * (sparse + dense) + c]!;
    }
    for (let i = 0; i < d; i++) x[r * d + i]! += 0.05 * rng.normal() + (i === 0 ? 20 : 0);
  }
  const mean = new Float32Array(d);
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) mean[i]! += x[r * d + i]! / n;
  return { x, mean, dirs, cols: sparse + dense };
}

describe('estimateDenseSubspace', () => {
  it('finds the span of a Gaussian background among sparse thoughts, and only that', () => {
    const d = 16;
    const { x, mean, dirs, cols } = states(3, 4000, d, 6, 2, 2);
    const ds = estimateDenseSubspace(x, d, mean);
    expect(ds.rank).toBe(2);
    // Norm of true direction c's projection onto the span set aside.
    const inSpan = (c: number) => {
      let s = 0;
      for (let q = 0; q < ds.rank; q++) {
        let dot = 0;
        for (let i = 0; i < d; i++) dot += ds.basis[q * d + i]! * dirs[i * cols + c]!;
        s += dot * dot;
      }
      return Math.sqrt(s);
    };
    // Each true background direction lies in the span (≈ 1) … and no thought direction does.
    for (const c of [6, 7]) expect(inSpan(c)).toBeGreaterThan(0.99);
    for (let c = 0; c < 6; c++) expect(inSpan(c)).toBeLessThan(0.1);
    // Background variance 2 × 4 = 8 against 6 thoughts of ≈ 0.1 · E[m²] ≈ 0.27 each.
    expect(ds.share).toBeGreaterThan(0.75);
    expect(ds.share).toBeLessThan(0.9);
  });

  it('sets nothing aside where every strong component is sparse', () => {
    const d = 16;
    const { x, mean } = states(4, 4000, d, 6, 0, 0);
    const ds = estimateDenseSubspace(x, d, mean);
    expect(ds.rank).toBe(0);
    expect(ds.basis.length).toBe(0);
    expect(Math.min(...ds.kurtosis)).toBeGreaterThan(1);
  });

  it('removes the span exactly (idempotent; nothing of it left), and leaves states alone without a basis', () => {
    const d = 16;
    const { x, mean } = states(5, 2000, d, 6, 2, 2);
    const ds = estimateDenseSubspace(x, d, mean);
    const once = removeDense(x, d, mean, ds.basis);
    const twice = removeDense(once, d, mean, ds.basis);
    let left = 0;
    let moved = 0;
    for (let r = 0; r < 2000; r++) {
      for (let q = 0; q < ds.rank; q++) {
        let dot = 0;
        for (let i = 0; i < d; i++) dot += (once[r * d + i]! - mean[i]!) * ds.basis[q * d + i]!;
        left = Math.max(left, Math.abs(dot));
      }
      for (let i = 0; i < d; i++) moved = Math.max(moved, Math.abs(twice[r * d + i]! - once[r * d + i]!));
    }
    expect(left).toBeLessThan(1e-3);
    expect(moved).toBeLessThan(1e-3);
    expect(removeDense(x, d, mean, undefined)).toBe(x);
  });
});

describe('a dictionary with a dense subspace set aside', () => {
  function model(dense: boolean): SaeModel {
    const cfg = resolveSaeConfig({ agents: [{ id: 'A', dim: 6 }, { id: 'B', dim: 4 }], latents: 10, k: 3, seed: 9 });
    const rng = makeRng(4);
    const params = initParams(cfg);
    for (const p of Object.values(params)) for (let i = 0; i < p.data.length; i++) p.data[i]! += 0.1 * rng.normal();
    const norms = cfg.agents.map((a) => ({ mean: Float32Array.from({ length: a.dim }, () => rng.normal()), scale: 0.5 + rng.next() }));
    if (dense) {
      const Q = orthonormal(makeRng(8), 6, 2); // 6 × 2 columns → 2 × 6 rows
      (norms[0] as { dense?: Float32Array }).dense = Float32Array.from({ length: 12 }, (_, t) => Q[(t % 6) * 2 + Math.floor(t / 6)]!);
    }
    const base = { cfg, params, norms, threshold: NaN };
    return { ...base, meta: makeCheckpointCfg(base, 'cpu', 'dense', { step: 1, pairsSeen: 1, threshold: NaN, runs: [], finished: true }) };
  }

  it('encodes raw states as the same dictionary encodes them with the subspace removed first', () => {
    const withQ = model(true);
    const plain = model(false);
    const rng = makeRng(11);
    const rows = 7;
    const xs = [Float32Array.from({ length: rows * 6 }, () => rng.normal()), Float32Array.from({ length: rows * 4 }, () => rng.normal())];
    const stripped = [withoutDense(xs[0]!, withQ.norms[0]!), xs[1]!];
    expect(stripped[0]).not.toEqual(xs[0]);
    const a = encodeJoint(withQ, xs, rows, { select: 'relu' });
    const b = encodeJoint(plain, stripped, rows, { select: 'relu' });
    for (let i = 0; i < a.length; i++) expect(a[i]!).toBeCloseTo(b[i]!, 5);
    // Training normalises the same way.
    const viaTrain = applyNorm(xs[0]!, withQ.norms[0]!);
    const viaStrip = applyNorm(stripped[0]!, plain.norms[0]!);
    for (let i = 0; i < viaTrain.length; i++) expect(viaTrain[i]!).toBeCloseTo(viaStrip[i]!, 5);
  });

  it('is stored with the checkpoint and read back; the SAELens export refuses it by name', () => {
    const m = model(true);
    const dir = tempDir('tl-dense-ck-');
    saveCheckpoint(dir, m, {});
    const back = loadCheckpoint(dir);
    expect(Array.from(back.norms[0]!.dense!)).toEqual(Array.from(m.norms[0]!.dense!));
    expect(back.norms[1]!.dense).toBeUndefined();
    expect(back.meta.normalisation.A!.denseRank).toBe(2);
    expect(() => exportSaelens(back, 'A', tempDir('tl-dense-export-'))).toThrow(/agent 'A' has a dense subspace set aside/);
    expect(() => exportSaelens(back, 'B', tempDir('tl-dense-export-b-'))).not.toThrow();
  });
});
