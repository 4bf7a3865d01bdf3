import { describe, expect, it } from 'vitest';
import { SYNTHETIC_FAMILIES, generateSynthetic, resolveSyntheticConfig } from '../../../../agents/index.js';
import { bytesOf, expectDeterministic, expectTruthShapes, threeAgents } from './familyHelpers.js';

const cfg = { episodes: 6, steps: 60, hiddenSize: 32, seed: 11, conflicts: { lag: 5 } };

describe('mixing family (the default)', () => {
  it('is the default, and naming it changes nothing', () => {
    expect(resolveSyntheticConfig({}).family).toEqual({ name: 'mixing', params: {} });
    const a = generateSynthetic(cfg);
    const b = generateSynthetic({ ...cfg, family: 'mixing' });
    expect(bytesOf(a.agents[0]!.hidden).equals(bytesOf(b.agents[0]!.hidden))).toBe(true);
  });

  it('is deterministic by seed', () => expectDeterministic({ ...cfg, family: 'mixing' }));

  it('lists every family once, each with a summary', () => {
    expect(SYNTHETIC_FAMILIES.map((f) => f.name)).toEqual(['mixing', 'linear-correlated', 'recurrent', 'heavy-tailed', 'hierarchical', 'superposed', 'layernorm-residual']);
    for (const f of SYNTHETIC_FAMILIES) expect(f.summary.length).toBeGreaterThan(20);
  });

  it('families differ from one another on the same seed', () => {
    const seen = SYNTHETIC_FAMILIES.map((f) => bytesOf(generateSynthetic({ ...cfg, family: f.name }).agents[0]!.hidden).toString('base64'));
    expect(new Set(seen).size).toBe(SYNTHETIC_FAMILIES.length);
  });

  it('writes the common truth files, also for N = 3 agents (all / pair / private groups)', async () => {
    await expectTruthShapes({ ...cfg, episodes: 3, steps: 40 });
    await expectTruthShapes(threeAgents('mixing'));
  });
});
