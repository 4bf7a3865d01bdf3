import { describe, expect, it } from 'vitest';
import { exponentialOfNormal, generateSynthetic, resolveSyntheticConfig, type LayerNormResidualMap, type SyntheticConfig } from '../../../../agents/index.js';
import { expectDeterministic, expectTruthShapes, threeAgents } from './familyHelpers.js';

const FAMILY = 'layernorm-residual';
const cfg = { family: FAMILY, episodes: 6, steps: 60, seed: 17, conflicts: { lag: 5 } };
const withParams = (params: Record<string, number>, rest: SyntheticConfig = {}): SyntheticConfig => ({ ...cfg, ...rest, family: { name: FAMILY, params } });

function rms(x: ArrayLike<number>): number {
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += x[i]! * x[i]!;
  return Math.sqrt(ss / x.length);
}

/** Mean length of the on-runs of thought j in the common thoughts (runs cut at episode ends). */
function meanOnRun(x: Float32Array, episodes: number, steps: number, K: number, j: number): number {
  let runs = 0;
  let on = 0;
  for (let e = 0; e < episodes; e++) {
    for (let t = 0; t < steps; t++) {
      const v = x[(e * steps + t) * K + j]!;
      if (v === 0) continue;
      on++;
      if (t === 0 || x[(e * steps + t - 1) * K + j] === 0) runs++;
    }
  }
  return runs ? on / runs : 0;
}

describe('layernorm-residual family', () => {
  it('is deterministic by seed', () => expectDeterministic(cfg));

  it('gives the agents hidden sizes 56 and 96 by default, and a map k → d → width → d', () => {
    const d = generateSynthetic({ ...cfg, episodes: 1 });
    expect(d.agents.map((a) => a.hiddenSize)).toEqual([56, 96]);
    d.generator.networks.forEach((net, a) => {
      const l = d.structure.agents[a]!;
      expect(net.summary().dims).toEqual([12, l.hiddenSize, l.width, l.hiddenSize]);
      expect(net.describe()).toMatch(/LayerNorm \+ residual ReLU MLP/);
    });
    const fixed = generateSynthetic({ ...cfg, episodes: 1, hiddenSize: 40 });
    expect(fixed.agents.map((a) => a.hiddenSize)).toEqual([40, 40]);
    expect(fixed.agents[0]!.hidden.length).toBe(60 * 40);
  });

  it('has signed thoughts: ±(floor + Exponential), half negative, one sign per on-run', () => {
    const d = generateSynthetic({ ...cfg, episodes: 20, steps: 100, conflicts: { fraction: 0 } });
    const K = d.structure.thoughtCount;
    let on = 0;
    let neg = 0;
    let sum = 0;
    for (let r = 0; r < d.rows; r++) {
      for (let j = 0; j < K; j++) {
        const v = d.thoughts[r * K + j]!;
        if (v === 0) continue;
        on++;
        if (v < 0) neg++;
        expect(Math.abs(v)).toBeGreaterThanOrEqual(0.25 - 1e-6);
        sum += Math.abs(v) - 0.25;
        // Within an episode, an on-run keeps its sign.
        const prev = r % 100 === 0 ? 0 : d.thoughts[(r - 1) * K + j]!;
        if (prev !== 0) expect(Math.sign(prev)).toBe(Math.sign(v));
      }
    }
    expect(neg / on).toBeGreaterThan(0.35);
    expect(neg / on).toBeLessThan(0.65);
    // E ~ Exponential(1): mean 1 (loosely: values are autocorrelated).
    expect(sum / on).toBeGreaterThan(0.7);
    expect(sum / on).toBeLessThan(1.3);
    const floored = generateSynthetic(withParams({ floor: 1 }, { episodes: 4, conflicts: { fraction: 0 } }));
    for (const v of floored.thoughts) if (v !== 0) expect(Math.abs(v)).toBeGreaterThanOrEqual(1 - 1e-6);
  });

  it('maps a standard normal to an Exponential(1) quantile, accurately in both tails', () => {
    // −ln Φ(−u): Φ(0) = ½; Φ(−1.959964) = 0.025; Φ(1.644854) = 0.95; Φ(−8) = 6.22096e-16.
    expect(exponentialOfNormal(0)).toBeCloseTo(Math.LN2, 6);
    expect(exponentialOfNormal(1.959964)).toBeCloseTo(-Math.log(0.025), 5);
    expect(exponentialOfNormal(-1.644854)).toBeCloseTo(-Math.log(0.95), 6);
    expect(exponentialOfNormal(8) / -Math.log(6.22096e-16)).toBeCloseTo(1, 5);
    expect(exponentialOfNormal(-8)).toBeGreaterThan(0);
    for (let u = -6; u < 6; u += 0.25) expect(exponentialOfNormal(u + 0.25)).toBeGreaterThan(exponentialOfNormal(u));
  });

  it('makes a few thoughts long-lived: longer on-runs, P(on) = longSparsity', () => {
    const episodes = 40;
    const steps = 200;
    const d = generateSynthetic({ ...cfg, episodes, steps, conflicts: { fraction: 0 } });
    const long = d.generator.model.truth.persistent as number[];
    expect(long).toHaveLength(2);
    const K = d.structure.thoughtCount;
    for (let j = 0; j < K; j++) {
      let on = 0;
      for (let r = 0; r < d.rows; r++) if (d.thoughts[r * K + j] !== 0) on++;
      const run = meanOnRun(d.thoughts, episodes, steps, K, j);
      if (long.includes(j)) {
        expect(on / d.rows).toBeGreaterThan(0.3);
        expect(on / d.rows).toBeLessThan(0.7);
        expect(run).toBeGreaterThan(25); // mean 64, cut at episode ends
      } else {
        expect(on / d.rows).toBeLessThan(0.2);
        expect(run).toBeLessThan(14); // mean 8
      }
    }
    const none = generateSynthetic(withParams({ persistent: 0 }, { episodes: 1 }));
    expect(none.generator.model.truth.persistent).toEqual([]);
    const three = generateSynthetic(withParams({ persistent: 3, longSparsity: 0.2 }, { episodes: 1 }));
    expect(three.generator.model.truth.persistent).toHaveLength(3);
  });

  it('reads each thought at a per-agent gain in [1/gain, gain]: the embedding column lengths', () => {
    const d = generateSynthetic({ ...cfg, episodes: 1 });
    const gains = d.generator.model.truth.gains as Record<string, number[]>;
    const ratios: number[] = [];
    d.structure.agents.forEach((l, a) => {
      const g = gains[l.id]!;
      expect(g).toHaveLength(l.thoughts.length);
      for (const x of g) {
        expect(x).toBeGreaterThanOrEqual(0.5);
        expect(x).toBeLessThanOrEqual(2);
      }
      const map = d.generator.networks[a] as LayerNormResidualMap;
      const at = map.embedding();
      const dd = l.hiddenSize;
      const len = g.map((_, j) => Math.hypot(...at.subarray(j * dd, (j + 1) * dd)));
      // Column length / gain is one constant c per agent.
      for (let j = 1; j < g.length; j++) expect(len[j]! / g[j]!).toBeCloseTo(len[0]! / g[0]!, 4);
    });
    // The two agents read a shared thought at different gains.
    for (const j of d.structure.agents[0]!.shared) {
      const ia = d.structure.agents[0]!.thoughts.indexOf(j);
      const ib = d.structure.agents[1]!.thoughts.indexOf(j);
      ratios.push(gains.A![ia]! / gains.B![ib]!);
    }
    expect(Math.max(...ratios) / Math.min(...ratios)).toBeGreaterThan(1.5);
    const flat = generateSynthetic(withParams({ gain: 1 }, { episodes: 1 }));
    for (const g of Object.values(flat.generator.model.truth.gains as Record<string, number[]>)) expect(new Set(g)).toEqual(new Set([1]));
    const wide = generateSynthetic(withParams({ gain: 8 }, { episodes: 1 }));
    const all = Object.values(wide.generator.model.truth.gains as Record<string, number[]>).flat();
    expect(Math.max(...all) / Math.min(...all)).toBeGreaterThan(4);
  });

  it('inverts a contracting block exactly and returns NaN when invertibility is not guaranteed', () => {
    const small = generateSynthetic(withParams({ mlp: 0.05 }, { episodes: 2, conflicts: { fraction: 0 } }));
    const K = small.structure.thoughtCount;
    small.structure.agents.forEach((l, a) => {
      const map = small.generator.networks[a] as LayerNormResidualMap;
      expect(map.lipschitzBound).toBeLessThan(1);
      expect(map.summary().layerNorm).toMatchObject({ mlp: 0.05, offset: 1, invertible: true });
      for (const r of [0, 17, 41]) {
        const z = small.thoughts.subarray(r * K, (r + 1) * K);
        const h = small.generator.hiddenFromThoughts(l.id, z, 1);
        const back = small.generator.thoughtsFromHidden(l.id, h);
        l.thoughts.forEach((j, i) => expect(back[i]!).toBeCloseTo(z[j]!, 4));
      }
    });
    // Default mlp 0.5: the branch bound ‖W2‖·‖W1‖ is above 1, so no inverse is claimed.
    const d = generateSynthetic({ ...cfg, episodes: 1 });
    d.generator.networks.forEach((net) => {
      const map = net as LayerNormResidualMap;
      expect(map.lipschitzBound).toBeGreaterThanOrEqual(1);
      expect(map.summary().layerNorm!.invertible).toBe(false);
    });
    expect(Array.from(d.generator.thoughtsFromHidden('A', d.agents[0]!.hidden.subarray(0, 56))).every(Number.isNaN)).toBe(true);
  });

  it('normalizes the scale away without a bias (offset 0), and mlp sets the branch RMS', () => {
    const noBias = generateSynthetic(withParams({ offset: 0, mlp: 0.05 }, { episodes: 1, conflicts: { fraction: 0 } }));
    const K = noBias.structure.thoughtCount;
    const z = new Float32Array(K);
    z[0] = 1.5;
    z[1] = -0.7;
    const twice = z.map((v) => 2 * v);
    const h1 = noBias.generator.hiddenFromThoughts('A', z, 1);
    const h2 = noBias.generator.hiddenFromThoughts('A', twice, 1);
    h1.forEach((v, o) => expect(h2[o]!).toBeCloseTo(v, 4));
    expect((noBias.generator.networks[0] as LayerNormResidualMap).invertible).toBe(false);
    expect(Array.from(noBias.generator.thoughtsFromHidden('A', h1)).every(Number.isNaN)).toBe(true);
    // Same seed: mlp = 0 is the stream alone; the branch adds about mlp × its RMS.
    const base = { episodes: 2, conflicts: { fraction: 0 }, mixing: { noise: 0 } };
    const bare = generateSynthetic(withParams({ mlp: 0 }, base));
    expect(bare.generator.networks[0]!.summary().layers).toHaveLength(1);
    for (const mlp of [0.5, 2]) {
      const full = generateSynthetic(withParams({ mlp }, base));
      const x = bare.agents[0]!.hidden;
      const y = full.agents[0]!.hidden;
      const diff = x.map((v, i) => y[i]! - v);
      expect(rms(diff) / rms(x)).toBeGreaterThan(0.7 * mlp);
      expect(rms(diff) / rms(x)).toBeLessThan(1.3 * mlp);
    }
  });

  it('rejects parameters out of range, naming the field', () => {
    const bad = (params: Record<string, unknown>) => () => resolveSyntheticConfig({ family: { name: FAMILY, params: params as Record<string, number> } });
    expect(bad({ gain: 0.5 })).toThrow(/family\.params\.gain' must be a number in \[1, 16\], got 0\.5/);
    expect(bad({ floor: -1 })).toThrow(/family\.params\.floor/);
    expect(bad({ persistent: 1.5 })).toThrow(/family\.params\.persistent' must be an integer/);
    expect(bad({ longRun: 0.5 })).toThrow(/family\.params\.longRun/);
    expect(bad({ longSparsity: 1 })).toThrow(/family\.params\.longSparsity/);
    expect(bad({ longRun: 1, longSparsity: 0.95 })).toThrow(/family\.params\.longSparsity' \(0\.95\) cannot be reached with a mean on-run of 8 steps/);
    expect(bad({ mlp: 5 })).toThrow(/family\.params\.mlp/);
    expect(bad({ offset: -0.1 })).toThrow(/family\.params\.offset/);
    expect(bad({ leak: 0.3 })).toThrow(/family\.params\.leak' is not a known field \(known: gain, floor, persistent, longRun, longSparsity, mlp, offset\)/);
    expect(bad({ gain: '2' })).toThrow(/family\.params\.gain/);
  });

  it('writes the common truth files, also for N = 3 agents (all / pair / private groups)', async () => {
    await expectTruthShapes({ ...cfg, episodes: 3, steps: 40 });
    await expectTruthShapes(threeAgents(FAMILY));
  });
});
