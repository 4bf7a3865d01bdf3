import { describe, expect, it } from 'vitest';
import { evaluateVsStyles, planStage, train } from '../../../agents/ipd/index.js';
import { loadPool, warmupStyles } from '../../../agents/pool/index.js';

const pool = loadPool();

function meanReward(model: Parameters<typeof evaluateVsStyles>[0], styles: number[]): number {
  const ev = evaluateVsStyles(model, pool, { episodes: 64, episodeLength: 40, seed: 5 }, styles);
  return ev.reduce((s, e) => s + e.reward, 0) / ev.length;
}

describe('training', () => {
  it('a tiny A2C run measurably improves reward against pool styles', () => {
    const styles = warmupStyles(pool); // tit-for-tat, grim, always-defect, random
    const plan = planStage({ stage: '1', pool, seed: 3, hidden: 16, episodes: 32, train: { updates: 60, episodeLength: 40, lr: 1e-2 } });
    plan.setup.styles = styles;
    const before = meanReward(plan.setup.learners[0]!.model, styles);
    const res = train(plan.setup, plan.cfg);
    const after = meanReward(plan.setup.learners[0]!.model, styles);
    expect(res.history).toHaveLength(60);
    expect(after - before).toBeGreaterThan(0.15);
  });

  it('is reproducible for a seed', () => {
    const run = (): number[] => {
      const plan = planStage({ stage: '1', pool, seed: 9, hidden: 8, episodes: 8, train: { updates: 3, episodeLength: 10 } });
      train(plan.setup, plan.cfg);
      return [...plan.setup.learners[0]!.model.params[1]!.data.slice(0, 5)];
    };
    expect(run()).toEqual(run());
  });

  it('trains PPO and the transformer without NaNs', () => {
    const plan = planStage({ stage: '1', pool, seed: 2, arch: 'transformer', hidden: 8, episodes: 8, train: { updates: 3, episodeLength: 12, algo: 'ppo', ppoEpochs: 2 } });
    const res = train(plan.setup, plan.cfg);
    expect(res.history).toHaveLength(3);
    for (const p of plan.setup.learners[0]!.model.params) expect(p.data.every(Number.isFinite)).toBe(true);
  });
});
