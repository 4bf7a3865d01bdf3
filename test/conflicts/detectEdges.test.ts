import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectEdges, EdgeBaseline, edgeCoords, edgeDivergences, evaluateEdgeFault, type LatentCoder, type NodeViews } from '../../conflicts/index.js';
import { LinearMap } from '../../conflicts/score/linearMap.js';
import { generateGraph, makeNetworkAgent, recordNetwork } from '../../agents/network/index.js';
import { tempDir } from '../helpers/tmp.js';

function networkRun(task: 'leader-election' | 'consensus', episodes: number): string {
  const g = generateGraph('small-world', 8, 3);
  const a = makeNetworkAgent('scripted', task);
  const dir = join(tempDir(), 'net');
  recordNetwork(dir, { graph: g, graphInfo: {}, task, protocol: a.protocol, model: a.model, hiddenDescription: a.hiddenDescription, episodes, seed: 2, fault: { kind: 'wrong-belief', node: 'random', round: 'random', share: 0.5 } });
  return dir;
}

describe('per-edge divergence', () => {
  it('is the mean squared difference of two nodes\' readings over the coordinates both read, in reference units', () => {
    const id = (d: number) => new LinearMap(d, d, new Float32Array(d), Float32Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? 1 : 0)), new Float32Array(d));
    const views: NodeViews = { kind: 'test', coords: [[0, 1], [1, 2], [5]], maps: [id(2), id(2), id(1)], scale: Float64Array.of(1, 2, 1, 1, 1, 1) };
    const ec = edgeCoords(views, [[0, 1], [0, 2]]);
    expect(Array.from(ec.common[0]!.j)).toEqual([1]);
    expect(ec.common[1]!.j).toHaveLength(0);
    // node 0 reads coordinate 1 as 3, node 1 reads it as 7: ((3 − 7)/2)² = 4.
    const d = edgeDivergences(views, ec, [Float32Array.of(0, 3), Float32Array.of(7, 0), Float32Array.of(0)], 1);
    expect(d[0]![0]).toBe(4);
    expect(Number.isNaN(d[1]![0]!)).toBe(true);
  });

  it('z-scores against the same edge at the same step of reference episodes', () => {
    const ref = [[Float64Array.of(1, 10)], [Float64Array.of(3, 10)]];
    const b = EdgeBaseline.fit(ref, 2);
    const [z] = b.score([Float64Array.of(2, 10)]);
    expect(z![0]).toBeCloseTo(0, 12);
    expect(z![1]).toBeCloseTo(0, 12);
    expect(b.score([Float64Array.of(5, 10)])[0]![0]).toBeGreaterThan(2);
  });

  it('a fault counts as flagged before a neighbour acts only on an edge of the faulty node, at or after its start', () => {
    const edges: [number, number][] = [[0, 1], [1, 2]];
    const steps = Int32Array.of(0, 1, 2, 3);
    const f = { episode: 0, kind: 'liar', node: 0, step: 1, neighbours: [1], neighbourActedStep: 3, maxAffected: 1, depth: 1 };
    const z = [Float64Array.of(0, 0, 9, 9), Float64Array.of(9, 0, 0, 0)];
    const o = evaluateEdgeFault(f, edges, z, steps, 5, 1);
    expect(o).toMatchObject({ firstFlagStep: 2, flaggedEdge: [0, 1], flaggedBeforeAct: true, lead: 1, flagsBeforeFault: 1 });
    const late = evaluateEdgeFault({ ...f, neighbourActedStep: 2 }, edges, z, steps, 5, 1);
    expect(late).toMatchObject({ flaggedBeforeAct: false, lead: null });
    // A flag on an edge that does not touch the faulty node does not count.
    expect(evaluateEdgeFault(f, edges, [Float64Array.of(0, 0, 0, 0), Float64Array.of(0, 9, 9, 9)], steps, 5, 1).firstFlagStep).toBeNull();
  });
});

describe('detectEdges', () => {
  it('raw views flag a false leader claim on the faulty node\'s edges one round before its neighbours act', () => {
    const r = detectEdges({ runDir: networkRun('leader-election', 24) });
    expect(r.views).toBe('raw');
    expect(r.episodes.faulty).toHaveLength(12);
    expect(r.episodes.fit.length + r.episodes.calibration.length + r.episodes.test.length).toBe(12);
    expect(r.summary.acted).toBeGreaterThan(0);
    expect(r.summary.flaggedBeforeAct).toBe(r.summary.acted);
    expect(r.summary.leads.every((l) => l === 1)).toBe(true);
    expect(r.calibration.targetRate).toBe(0.01);
  });

  it('dictionary views: each node reads the latents split.json calls relevant to it', () => {
    const dir = networkRun('consensus', 16);
    const agents = Array.from({ length: 8 }, (_, i) => `n${i}`);
    // A stand-in dictionary: latent j is the sum over nodes of state coordinate j.
    const coder: LatentCoder = {
      agents,
      nLatents: 17,
      classes: Array.from({ length: 17 }, () => 'shared'),
      encode(hidden, rows) {
        const out = new Float32Array(rows * 17);
        for (const h of hidden) for (let i = 0; i < rows * 17; i++) out[i]! += h[i]!;
        return out;
      },
    };
    const individual = Object.fromEntries(agents.map((a, i) => [a, i % 2 ? [0, 1, 2] : [1, 2, 3]]));
    const r = detectEdges({ runDir: dir, dictionary: { coder, individual }, keepScores: true });
    expect(r.views).toBe('dictionary');
    expect(r.scores).toHaveLength(16);
    expect(r.scores![0]!.z).toHaveLength(r.edges.length);
    expect(Number.isFinite(r.threshold)).toBe(true);
  });

  it('refuses a run that is not a network run', () => {
    expect(() => detectEdges({ runDir: join(tempDir(), 'nothing') })).toThrow(/not a network run/);
  });
});
