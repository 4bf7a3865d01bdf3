// The learned vertex-cover and leader-election policies: their features, rewards, the protocol
// they run as, and that training learns them (short seeded runs).
import { describe, expect, it } from 'vitest';
import { Gru } from '../../../agents/ipd/index.js';
import { COVER_TASK, LEADER_TASK, LOCAL_BIT_FEATURES, checkVertexCover, generateGraph, gruLocalBitPolicy, localBitFeatures, makeNetworkAgent, makeTaskInstance, runNetwork, trainLocalBitPolicy, uidRank } from '../../../agents/network/index.js';
import { makeRng } from '../../../util/random.js';

describe('learned vertex-cover and leader-election policies', () => {
  it('features: last bit, share of neighbours in the cover (bucketed), uid rank among neighbours, degree', () => {
    const out = new Int32Array(4);
    localBitFeatures(-1, 0, -1, 'highest', 1, out, 0);
    expect([...out]).toEqual([0, 3, 8, 11]);
    localBitFeatures(1, 3, 3, 'lowest', 3, out, 0);
    expect([...out]).toEqual([2, 7, 9, 13]);
    localBitFeatures(0, 1, 4, 'between', 7, out, 0);
    expect([...out]).toEqual([1, 5, 10, 14]);
    localBitFeatures(0, 0, 2, 'between', 2, out, 0);
    expect(out[1]).toBe(4);
    expect(uidRank(5, [1, 2])).toBe('highest');
    expect(uidRank(0, [1, 2])).toBe('lowest');
    expect(uidRank(2, [1, 3])).toBe('between');
  });

  it('the reward is 1 plus shaping for a minimal cover, and less for a cover with a redundant node or an uncovered edge', () => {
    const inst = makeTaskInstance('vertex-cover', generateGraph('small-world', 4, 1), 1);
    const g = inst.graph;
    // A minimal cover: greedily drop redundant nodes from "everyone in".
    const ans = new Int32Array(g.n).fill(1);
    for (let u = 0; u < g.n; u++) if (g.neighbours[u]!.every((w) => ans[w])) ans[u] = 0;
    expect(checkVertexCover(g, ans).ok).toBe(true);
    const best = COVER_TASK.reward(inst, ans);
    expect(best).toEqual({ solved: true, reward: 1.5 });
    expect(COVER_TASK.reward(inst, new Int32Array(g.n).fill(1)).reward).toBeLessThan(best.reward - 1);
    expect(COVER_TASK.reward(inst, new Int32Array(g.n)).solved).toBe(false);
  });

  it('leader election rewards exactly one claim', () => {
    const inst = makeTaskInstance('leader-election', generateGraph('delaunay', 5, 2), 2);
    expect(LEADER_TASK.reward(inst, Int32Array.of(0, 0, 1, 0, 0))).toEqual({ solved: true, reward: 1.3 });
    const two = LEADER_TASK.reward(inst, Int32Array.of(0, 1, 1, 0, 0));
    expect(two.solved).toBe(false);
    expect(two.reward).toBeCloseTo(0.3 * (1 - 1 / 5), 12);
    expect(LEADER_TASK.reward(inst, new Int32Array(5)).solved).toBe(false);
  });

  it('runs as a protocol: one GRU hidden state per node per round, answers 0/1', () => {
    const model = new Gru({ arch: 'gru', hidden: 8, inputs: LOCAL_BIT_FEATURES, featuresPerStep: 4 }, makeRng(1));
    const inst = makeTaskInstance('vertex-cover', generateGraph('scale-free', 12, 3), 3);
    const r = runNetwork(inst, gruLocalBitPolicy(model, 'vertex-cover'), { trace: true });
    expect(r.trace).toHaveLength(inst.rounds);
    expect(r.trace[0]!.hidden).toHaveLength(12 * 8);
    expect(r.answers.every((a) => a === 0 || a === 1)).toBe(true);
  });

  const mean = (xs: { success: number }[]) => xs.reduce((a, h) => a + h.success, 0) / xs.length;

  it('training learns minimal covers of small graphs (seeded; sampled batch success from < 0.3 to > 0.8)', () => {
    const { history } = trainLocalBitPolicy('vertex-cover', { updates: 500, seed: 1 });
    expect(mean(history.slice(0, 50))).toBeLessThan(0.3);
    expect(mean(history.slice(-50))).toBeGreaterThan(0.8);
  });

  it('training raises leader-election success on small graphs (seeded, default schedule: 0.32 → 0.59)', () => {
    const { history } = trainLocalBitPolicy('leader-election', { seed: 1 });
    expect(mean(history.slice(-50))).toBeGreaterThan(mean(history.slice(0, 50)) + 0.2);
  }, 60_000);

  it('is the gru agent for vertex cover and leader election; colouring has none', () => {
    const a = makeNetworkAgent('gru', 'vertex-cover', { updates: 5 });
    expect(a.protocol.name).toBe('gru-cover');
    expect(a.params).toMatchObject({ agent: 'gru', policy: { task: 'vertex-cover', updates: 5 } });
    expect(makeNetworkAgent('gru', 'leader-election', { updates: 5 }).protocol.name).toBe('gru-leader');
    expect(() => makeNetworkAgent('gru', 'colouring')).toThrow(/learned policy for consensus, vertex-cover, leader-election/);
  });
});
