import { describe, expect, it } from 'vitest';
import { Gru } from '../../../agents/ipd/index.js';
import { CONSENSUS_FEATURES, biasedConsensusInstance, consensusFeatures, gruConsensusPolicy, runNetwork, trainConsensusPolicy } from '../../../agents/network/index.js';
import { makeRng } from '../../../util/random.js';

describe('learned consensus policy', () => {
  it('features: initial value, share of 1s heard (bucketed), last message', () => {
    const out = new Int32Array(3);
    consensusFeatures(1, 0, -1, -1, out, 0);
    expect([...out]).toEqual([1, 7, 10]);
    consensusFeatures(0, 3, 3, 0, out, 0);
    expect([...out]).toEqual([0, 6, 8]);
    consensusFeatures(0, 1, 4, 1, out, 0);
    expect([...out]).toEqual([0, 3, 9]);
  });

  it('runs as a protocol: one GRU hidden state per node per round, answers 0/1', () => {
    const model = new Gru({ arch: 'gru', hidden: 8, inputs: CONSENSUS_FEATURES, featuresPerStep: 3 }, makeRng(1));
    const inst = biasedConsensusInstance('small-world', 12, 3);
    const r = runNetwork(inst, gruConsensusPolicy(model), { trace: true });
    expect(r.trace).toHaveLength(inst.rounds);
    expect(r.trace[0]!.hidden).toHaveLength(12 * 8);
    expect(r.answers.every((a) => a === 0 || a === 1)).toBe(true);
  });

  it('a short training run improves the batch success rate over its start (seeded)', () => {
    const { history } = trainConsensusPolicy({ updates: 120, graphs: 16, hidden: 8, seed: 2 });
    const first = history.slice(0, 20).reduce((a, h) => a + h.success, 0) / 20;
    const last = history.slice(-20).reduce((a, h) => a + h.success, 0) / 20;
    expect(last).toBeGreaterThan(first + 0.2);
  });
});
