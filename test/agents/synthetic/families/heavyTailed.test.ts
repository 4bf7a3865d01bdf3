import { describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../../../agents/index.js';
import { expectDeterministic, expectTruthShapes, threeAgents } from './familyHelpers.js';

const cfg = { family: 'heavy-tailed', episodes: 6, steps: 60, seed: 11, conflicts: { lag: 5 } };

describe('heavy-tailed family', () => {
  it('is deterministic by seed', () => expectDeterministic(cfg));

  it('gives agents different hidden sizes by default (48, 80), unless sizes are given', () => {
    expect(generateSynthetic(cfg).agents.map((a) => a.hiddenSize)).toEqual([48, 80]);
    expect(generateSynthetic({ ...cfg, hiddenSize: 40 }).agents.map((a) => a.hiddenSize)).toEqual([40, 40]);
  });

  it('has always-on thoughts and heavy-tailed magnitudes', () => {
    const d = generateSynthetic({ ...cfg, episodes: 20, steps: 100, conflicts: { fraction: 0 } });
    const K = d.structure.thoughtCount;
    const dense = d.generator.model.truth.alwaysOn as number[];
    expect(dense).toHaveLength(2);
    for (const j of dense) for (let r = 0; r < d.rows; r++) expect(d.thoughts[r * K + j]).toBeGreaterThan(0);
    const active = Array.from(d.thoughts).filter((v) => v > 0).sort((a, b) => a - b);
    const median = active[active.length >> 1]!;
    const p999 = active[Math.floor(active.length * 0.999)]!;
    expect(p999 / median).toBeGreaterThan(30); // exp(1.5·3.1) ≈ 100; the default spread 0.3 gives ≈ 2.5
    const light = generateSynthetic({ episodes: 20, steps: 100, seed: 11, conflicts: { fraction: 0 } });
    const la = Array.from(light.thoughts).filter((v) => v > 0).sort((a, b) => a - b);
    expect(la[Math.floor(la.length * 0.999)]! / la[la.length >> 1]!).toBeLessThan(5);
  });

  it('writes the common truth files, also for N = 3 agents (all / pair / private groups)', async () => {
    await expectTruthShapes({ ...cfg, episodes: 3, steps: 40 });
    await expectTruthShapes(threeAgents('heavy-tailed'));
  });
});
