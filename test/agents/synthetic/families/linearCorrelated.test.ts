import { describe, expect, it } from 'vitest';
import { generateSynthetic, resolveSyntheticConfig } from '../../../../agents/index.js';
import { correlation, expectDeterministic, expectTruthShapes, threeAgents } from './familyHelpers.js';

const cfg = { family: 'linear-correlated', episodes: 6, steps: 60, hiddenSize: 32, seed: 11, conflicts: { lag: 5 } };

describe('linear-correlated family', () => {
  it('is deterministic by seed', () => expectDeterministic(cfg));

  it('has correlated thoughts: thoughts of one factor co-occur (r 0.3–0.75), across shared and private groups', () => {
    const d = generateSynthetic({ ...cfg, episodes: 40, steps: 200, conflicts: { fraction: 0 } });
    const K = d.structure.thoughtCount;
    const on = d.thoughts.map((v) => (v > 0 ? 1 : 0));
    const factors = (d.generator.model.truth.factors as number[][]).filter((f) => f.length >= 2);
    expect(factors.length).toBeGreaterThan(0);
    const kinds = new Set<string>();
    for (const f of factors) {
      for (let x = 1; x < f.length; x++) {
        const r = correlation(on, d.rows, K, f[0]!, f[x]!);
        expect(r).toBeGreaterThan(0.3);
        expect(r).toBeLessThan(0.75);
      }
      for (const j of f) kinds.add(d.structure.thoughts[j]!.kind);
    }
    expect([...kinds].sort()).toEqual(['private', 'shared']);
    // The default family has none: its largest on/off correlation stays small.
    const m = generateSynthetic({ episodes: 40, steps: 200, hiddenSize: 32, seed: 11, conflicts: { fraction: 0 } });
    const mon = m.thoughts.map((v) => (v > 0 ? 1 : 0));
    let worst = 0;
    for (let i = 0; i < K; i++) for (let j = i + 1; j < K; j++) worst = Math.max(worst, Math.abs(correlation(mon, m.rows, K, i, j)));
    expect(worst).toBeLessThan(0.15);
  });

  it('keeps each thought as sparse as configured', () => {
    const d = generateSynthetic({ ...cfg, episodes: 40, steps: 200, conflicts: { fraction: 0 } });
    const K = d.structure.thoughtCount;
    let on = 0;
    for (const v of d.thoughts) if (v > 0) on++;
    expect(on / (d.rows * K)).toBeGreaterThan(0.07);
    expect(on / (d.rows * K)).toBeLessThan(0.13);
  });

  it('mixes linearly: f(2z) = 2 f(z) − f(0), and the inverse recovers the thoughts', () => {
    const d = generateSynthetic({ ...cfg, mixing: { noise: 0 } });
    const K = d.structure.thoughtCount;
    const z = new Float32Array(3 * K);
    z[0] = 1;
    z[K] = 2;
    const h = d.generator.hiddenFromThoughts('A', z, 3);
    for (let i = 0; i < 32; i++) expect(h[32 + i]!).toBeCloseTo(2 * h[i]! - h[64 + i]!, 4);
    const layout = d.structure.agents[0]!;
    const back = d.generator.thoughtsFromHidden('A', d.agents[0]!.hidden.subarray(5 * 32, 6 * 32));
    layout.thoughts.forEach((j, i) => expect(back[i]!).toBeCloseTo(d.agents[0]!.thoughts[5 * K + j]!, 3));
  });

  it('rejects a factor sparsity at or above the thoughts\' sparsity, naming the field', () => {
    expect(() => resolveSyntheticConfig({ family: { name: 'linear-correlated', params: { factorSparsity: 0.2 } } })).toThrow(/family\.params\.factorSparsity/);
    expect(() => resolveSyntheticConfig({ family: { name: 'linear-correlated', params: { leak: 0.2 } } })).toThrow(/family\.params\.leak' is not a known field/);
  });

  it('writes the common truth files, also for N = 3 agents (all / pair / private groups)', async () => {
    await expectTruthShapes({ ...cfg, episodes: 3, steps: 40 });
    await expectTruthShapes(threeAgents('linear-correlated'));
  });
});
