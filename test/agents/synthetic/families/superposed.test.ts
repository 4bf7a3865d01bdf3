import { describe, expect, it } from 'vitest';
import { generateSynthetic, resolveSyntheticConfig, superposedSubspace, type SuperposedMap } from '../../../../agents/index.js';
import { expectDeterministic, expectTruthShapes, threeAgents } from './familyHelpers.js';

const cfg = { family: 'superposed', episodes: 6, steps: 60, seed: 13, conflicts: { lag: 5 } };

/** Rank of the rows of a k×d matrix (Gram–Schmidt with a relative tolerance). */
function rank(rows: Float64Array, k: number, d: number): number {
  const basis: Float64Array[] = [];
  let scale = 0;
  for (let i = 0; i < rows.length; i++) scale = Math.max(scale, Math.abs(rows[i]!));
  for (let j = 0; j < k; j++) {
    const v = rows.slice(j * d, (j + 1) * d);
    for (let pass = 0; pass < 2; pass++) {
      for (const b of basis) {
        let dot = 0;
        for (let o = 0; o < d; o++) dot += v[o]! * b[o]!;
        for (let o = 0; o < d; o++) v[o]! -= dot * b[o]!;
      }
    }
    const n = Math.hypot(...v);
    if (n > 1e-9 * scale) basis.push(v.map((x) => x / n));
  }
  return basis.length;
}

describe('superposed family', () => {
  it('is deterministic by seed', () => expectDeterministic(cfg));

  it('puts k thoughts on non-orthogonal directions spanning fewer than k dimensions (24 thoughts in 16)', () => {
    const d = generateSynthetic({ ...cfg, episodes: 1, shared: 16, private: 8 });
    expect(d.generator.model.truth.subspace).toEqual({ A: 16, B: 16 });
    d.generator.networks.forEach((net) => {
      const map = net as SuperposedMap;
      const dirs = map.directions();
      expect(rank(dirs, 24, 64)).toBe(16);
      const s = map.summary();
      expect(s.dims).toEqual([24, 16, 64]);
      expect(s.superposition!.subspace).toBe(16);
      expect(s.superposition!.maxAbsCosine).toBeGreaterThan(0.3);
      expect(s.layers[0]!.singularMin).toBeGreaterThan(0);
      // The directions are what the map adds for each thought alone.
      const K = d.structure.thoughtCount;
      const z = new Float32Array(2 * K);
      z[K + 3] = 1;
      const id = d.structure.agents[d.generator.networks.indexOf(net)]!.id;
      const h = d.generator.hiddenFromThoughts(id, z, 2);
      for (let o = 0; o < 64; o++) expect(h[64 + o]! - h[o]!).toBeCloseTo(dirs[3 * 64 + o]!, 4);
    });
    expect(Array.from(d.generator.thoughtsFromHidden('A', d.agents[0]!.hidden.subarray(0, 64))).every(Number.isNaN)).toBe(true);
  });

  it('sizes the subspace as round(k / overcomplete), below k', () => {
    expect([1, 2, 3, 7, 12, 24].map((k) => superposedSubspace(k, 1.5))).toEqual([1, 1, 2, 5, 8, 16]);
    expect(superposedSubspace(24, 3)).toBe(8);
    const d = generateSynthetic({ ...threeAgents('superposed'), episodes: 1 });
    expect(d.generator.model.truth.subspace).toEqual({ A: 5, B: 5, C: 3 }) // A, B hold 7 thoughts, C 5;
  });

  it('has near-binary thoughts: 0 off, within exp(±5·jitter) of 1 on', () => {
    const d = generateSynthetic({ ...cfg, episodes: 10, steps: 100, conflicts: { fraction: 0 } });
    let on = 0;
    for (const v of d.thoughts) {
      if (v === 0) continue;
      on++;
      expect(v).toBeGreaterThan(Math.exp(-0.5));
      expect(v).toBeLessThan(Math.exp(0.5));
    }
    expect(on / d.thoughts.length).toBeGreaterThan(0.05);
    expect(on / d.thoughts.length).toBeLessThan(0.15);
  });

  it('rejects parameters out of range, naming the field', () => {
    expect(() => resolveSyntheticConfig({ family: { name: 'superposed', params: { overcomplete: 1 } } })).toThrow(/family\.params\.overcomplete/);
    expect(() => resolveSyntheticConfig({ family: { name: 'superposed', params: { jitter: -1 } } })).toThrow(/family\.params\.jitter/);
  });

  it('writes the common truth files, also for N = 3 agents (all / pair / private groups)', async () => {
    await expectTruthShapes({ ...cfg, episodes: 3, steps: 40 });
    await expectTruthShapes(threeAgents('superposed'));
  });
});
