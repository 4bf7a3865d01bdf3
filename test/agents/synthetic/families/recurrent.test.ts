import { describe, expect, it } from 'vitest';
import { generateSynthetic, resolveSyntheticConfig } from '../../../../agents/index.js';
import { expectDeterministic, expectTruthShapes, threeAgents } from './familyHelpers.js';

const cfg = { family: 'recurrent', episodes: 6, steps: 60, hiddenSize: 32, seed: 11, conflicts: { lag: 5 } };

/** Spread of the hidden states at steps where the agent holds no active thought. */
function spreadWhenSilent(family: string): number {
  const d = generateSynthetic({ ...cfg, family, episodes: 4, mixing: { noise: 0 }, conflicts: { fraction: 0 } });
  const K = d.structure.thoughtCount;
  const a = d.agents[0]!;
  const rows: number[] = [];
  for (let r = 0; r < d.rows; r++) {
    let any = false;
    for (let j = 0; j < K; j++) if (a.thoughts[r * K + j] !== 0) any = true;
    if (!any) rows.push(r);
  }
  expect(rows.length).toBeGreaterThan(10);
  let worst = 0;
  for (const r of rows) for (let i = 0; i < 32; i++) worst = Math.max(worst, Math.abs(a.hidden[r * 32 + i]! - a.hidden[rows[0]! * 32 + i]!));
  return worst;
}

describe('recurrent family', () => {
  it('is deterministic by seed, whatever the chunking', () => expectDeterministic(cfg));

  it('depends on the previous state: equal thoughts give different hidden states after different histories', () => {
    expect(spreadWhenSilent('mixing')).toBe(0); // memoryless: all-silent steps look alike
    expect(spreadWhenSilent('recurrent')).toBeGreaterThan(0.05);
    // Directly: the same last input after two different first inputs.
    const d = generateSynthetic({ ...cfg, mixing: { noise: 0 } });
    const K = d.structure.thoughtCount;
    const seq = (first: number) => {
      const z = new Float32Array(2 * K);
      z[0] = first;
      z[K + 1] = 1;
      return d.generator.hiddenFromThoughts('A', z, 2).subarray(32);
    };
    let diff = 0;
    const x = seq(0);
    const y = seq(2);
    for (let i = 0; i < 32; i++) diff = Math.max(diff, Math.abs(x[i]! - y[i]!));
    expect(diff).toBeGreaterThan(0.05);
  });

  it('forgets nothing it cannot undo: given the previous state, the inverse recovers the thoughts', () => {
    const d = generateSynthetic({ ...cfg, mixing: { noise: 0 }, conflicts: { fraction: 0 } });
    const K = d.structure.thoughtCount;
    const a = d.agents[1]!;
    const layout = d.structure.agents[1]!;
    for (const r of [1, 17, 59, 61, 200]) {
      const prev = d.step[r] === 0 ? undefined : a.hidden.subarray((r - 1) * 32, r * 32);
      const z = d.generator.thoughtsFromHidden('B', a.hidden.subarray(r * 32, (r + 1) * 32), prev);
      layout.thoughts.forEach((j, i) => expect(z[i]!).toBeCloseTo(a.thoughts[r * K + j]!, 3));
    }
  });

  it('takes the leak from family.params and checks its range', () => {
    expect(resolveSyntheticConfig({ family: 'recurrent' }).family).toEqual({ name: 'recurrent', params: { leak: 0.5 } });
    expect(() => resolveSyntheticConfig({ family: { name: 'recurrent', params: { leak: 1 } } })).toThrow(/family\.params\.leak/);
    expect(() => resolveSyntheticConfig({ family: 'lstm' })).toThrow(/unknown family 'lstm'/);
  });

  it('writes the common truth files, also for N = 3 agents (all / pair / private groups)', async () => {
    await expectTruthShapes({ ...cfg, episodes: 3, steps: 40 });
    await expectTruthShapes(threeAgents('recurrent'));
  });
});
