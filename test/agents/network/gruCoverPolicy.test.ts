// The learned vertex-cover policy: its features, the protocol it runs as, and that training
// learns it (a short seeded run), with consensus trained through the same binary-task trainer.
import { describe, expect, it } from 'vitest';
import { Gru } from '../../../agents/ipd/index.js';
import { COVER_FEATURES, COVER_TASK, checkVertexCover, coverFeatures, generateGraph, gruCoverPolicy, makeNetworkAgent, makeTaskInstance, runNetwork, trainCoverPolicy, uidRank } from '../../../agents/network/index.js';
import { makeRng } from '../../../util/random.js';

describe('learned vertex-cover policy', () => {
  it('features: last bit, share of neighbours in the cover (bucketed), uid rank among neighbours, degree', () => {
    const out = new Int32Array(4);
    coverFeatures(-1, 0, -1, 'highest', 1, out, 0);
    expect([...out]).toEqual([0, 3, 8, 11]);
    coverFeatures(1, 3, 3, 'lowest', 3, out, 0);
    expect([...out]).toEqual([2, 7, 9, 13]);
    coverFeatures(0, 1, 4, 'between', 7, out, 0);
    expect([...out]).toEqual([1, 5, 10, 14]);
    coverFeatures(0, 0, 2, 'between', 2, out, 0);
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

  it('runs as a protocol: one GRU hidden state per node per round, answers 0/1', () => {
    const model = new Gru({ arch: 'gru', hidden: 8, inputs: COVER_FEATURES, featuresPerStep: 4 }, makeRng(1));
    const inst = makeTaskInstance('vertex-cover', generateGraph('scale-free', 12, 3), 3);
    const r = runNetwork(inst, gruCoverPolicy(model), { trace: true });
    expect(r.trace).toHaveLength(inst.rounds);
    expect(r.trace[0]!.hidden).toHaveLength(12 * 8);
    expect(r.answers.every((a) => a === 0 || a === 1)).toBe(true);
  });

  it('training learns minimal covers of small graphs (seeded; sampled batch success from < 0.3 to > 0.8)', () => {
    const { history } = trainCoverPolicy({ updates: 500, seed: 1 });
    const mean = (xs: { success: number }[]) => xs.reduce((a, h) => a + h.success, 0) / xs.length;
    expect(mean(history.slice(0, 50))).toBeLessThan(0.3);
    expect(mean(history.slice(-50))).toBeGreaterThan(0.8);
  });

  it('is the gru agent for vertex cover; colouring has none', () => {
    const a = makeNetworkAgent('gru', 'vertex-cover', { updates: 5 });
    expect(a.protocol.name).toBe('gru-cover');
    expect(a.params).toMatchObject({ agent: 'gru', policy: { task: 'vertex-cover', updates: 5 } });
    expect(() => makeNetworkAgent('gru', 'colouring')).toThrow(/learned policy for consensus and vertex-cover/);
  });
});
