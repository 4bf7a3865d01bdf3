import { describe, expect, it } from 'vitest';
import { generateSynthetic, resolveSyntheticConfig } from '../../../../agents/index.js';
import { expectDeterministic, expectTruthShapes, threeAgents } from './familyHelpers.js';

const cfg = { family: 'hierarchical', episodes: 6, steps: 60, seed: 12, conflicts: { lag: 5 } };

interface TreeTruth {
  parent: number[];
  level: number[];
  roots: number[];
  expectedOnProbabilityByLevel: number[];
}

describe('hierarchical family', () => {
  it('is deterministic by seed', () => expectDeterministic(cfg));

  it('draws trees whose parents are held by every agent holding the child, within the levels', () => {
    for (const c of [cfg, threeAgents('hierarchical'), { ...cfg, family: { name: 'hierarchical', params: { levels: 2, roots: 0.2 } } }]) {
      const d = generateSynthetic({ ...c, episodes: 1 });
      const t = d.generator.model.truth as unknown as TreeTruth;
      const levels = d.config.family.params.levels!;
      const K = d.structure.thoughtCount;
      expect(t.parent).toHaveLength(K);
      expect(t.roots.length).toBeGreaterThan(0);
      expect(t.parent.some((p) => p >= 0)).toBe(true);
      t.parent.forEach((p, j) => {
        if (p < 0) return expect(t.level[j]).toBe(0);
        expect(t.level[j]).toBe(t.level[p]! + 1);
        expect(t.level[j]).toBeLessThan(levels);
        for (const a of d.structure.thoughts[j]!.agents) expect(d.structure.thoughts[p]!.agents).toContain(a);
      });
    }
    const flat = generateSynthetic({ ...cfg, episodes: 1, family: { name: 'hierarchical', params: { levels: 1 } } });
    expect((flat.generator.model.truth as unknown as TreeTruth).parent.every((p) => p === -1)).toBe(true);
  });

  it('never has a child on while its parent is off, in the common thoughts and in each agent\'s undrifted copy', () => {
    const d = generateSynthetic({ ...cfg, episodes: 20, steps: 200 });
    const t = d.generator.model.truth as unknown as TreeTruth;
    const K = d.structure.thoughtCount;
    const drifted = new Set(d.conflicts.map((c) => c.episode));
    let childOn = 0;
    let parentOn = 0;
    for (let r = 0; r < d.rows; r++) {
      t.parent.forEach((p, j) => {
        if (p < 0) return;
        if (d.thoughts[r * K + j]! > 0) {
          childOn++;
          expect(d.thoughts[r * K + p]).toBeGreaterThan(0);
        }
        if (d.thoughts[r * K + p]! > 0) parentOn++;
        if (drifted.has(d.episode[r]!)) return;
        for (const a of d.agents) if (a.thoughts[r * K + j]! > 0) expect(a.thoughts[r * K + p]).toBeGreaterThan(0);
      });
    }
    // A child is on about `given` (0.5) of the time its parent is on.
    expect(childOn / parentOn).toBeGreaterThan(0.35);
    expect(childOn / parentOn).toBeLessThan(0.65);
  });

  it('maps through a 2-layer GELU MLP per agent that is not invertible', () => {
    const d = generateSynthetic({ ...cfg, episodes: 1 });
    const s = d.generator.networks[0]!.summary();
    expect(s.dims).toEqual([12, 48, 64]);
    expect(s.layers).toHaveLength(2);
    expect(s.nonlinearity).toMatch(/gelu/);
    expect(Array.from(d.generator.thoughtsFromHidden('A', d.agents[0]!.hidden.subarray(0, 64))).every(Number.isNaN)).toBe(true);
    // Not additive: the state of two thoughts on together is not the sum of their effects.
    const K = d.structure.thoughtCount;
    const z = new Float32Array(4 * K);
    z[K + 0] = 1;
    z[2 * K + 1] = 1;
    z[3 * K + 0] = 1;
    z[3 * K + 1] = 1;
    const h = d.generator.hiddenFromThoughts('A', z, 4);
    let gap = 0;
    for (let o = 0; o < 64; o++) gap = Math.max(gap, Math.abs(h[3 * 64 + o]! - h[64 + o]! - h[128 + o]! + h[o]!));
    expect(gap).toBeGreaterThan(1e-3);
  });

  it('rejects parameters out of range, naming the field', () => {
    expect(() => resolveSyntheticConfig({ family: { name: 'hierarchical', params: { levels: 0 } } })).toThrow(/family\.params\.levels/);
    expect(() => resolveSyntheticConfig({ family: { name: 'hierarchical', params: { given: 0.95 } } })).toThrow(/family\.params\.given.*persistence 8/);
    expect(() => resolveSyntheticConfig({ family: { name: 'hierarchical', params: { depth: 2 } } })).toThrow(/family\.params\.depth/);
  });

  it('writes the common truth files, also for N = 3 agents (all / pair / private groups)', async () => {
    await expectTruthShapes({ ...cfg, episodes: 3, steps: 40 });
    await expectTruthShapes(threeAgents('hierarchical'));
  });
});
