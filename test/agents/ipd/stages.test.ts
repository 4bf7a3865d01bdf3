import { describe, expect, it } from 'vitest';
import { planStage } from '../../../agents/ipd/index.js';
import { loadPool } from '../../../agents/pool/index.js';

describe('planStage', () => {
  const pool = loadPool();

  it('stage 3 trains copies of two given learners against each other and the pool', () => {
    const from = planStage({ stage: '1', pool, seed: 1, hidden: 8 }).outputs[0]!.model;
    const other = planStage({ stage: '1', pool, seed: 2, hidden: 8 }).outputs[0]!.model;
    const plan = planStage({ stage: '3', pool, seed: 3, hidden: 8, episodes: 30, a: from, b: other });
    expect(plan.setup.learners.map((l) => [l.name, l.trainable])).toEqual([['A', true], ['B', true]]);
    expect(plan.setup.tables).toEqual([
      { a: 0, b: 1, episodes: 10 },
      { a: 0, b: 'pool', episodes: 10 },
      { a: 1, b: 'pool', episodes: 10 },
    ]);
    expect(plan.outputs.map((o) => o.name)).toEqual(['stage3-a', 'stage3-b']);
    expect(plan.outputs[0]!.model).not.toBe(from); // trained on a copy: the input stays as it was
    expect(plan.setup.warmupStyles).toBeUndefined();
  });

  it('stage 3 without both learners is a usage error', () => {
    expect(() => planStage({ stage: '3', pool })).toThrow(/needs learner A/);
  });

  it('the mixed and identity ablations start two fresh learners with the warm-up curriculum', () => {
    for (const stage of ['mixed', 'identity'] as const) {
      const plan = planStage({ stage, pool, seed: 4, hidden: 8, episodes: 30, train: { updates: 40 } });
      expect(plan.outputs.map((o) => o.name)).toEqual([`${stage}-a`, `${stage}-b`]);
      expect(plan.setup.tables).toHaveLength(3);
      expect(plan.setup.warmupUpdates).toBe(10);
      expect(plan.setup.warmupStyles?.length).toBeGreaterThan(0);
    }
  });
});
