// A network run rewritten as neighbour pairs, and per-edge detection through one view map
// shared by every node (a pair dictionary's node side).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateGraph, makeNetworkAgent, recordNetwork } from '../../../agents/network/index.js';
import { detectEdges, directedEdges, fitPairDictionaryNodeViews, loadEpisodes, readNetworkTruth, writeEdgePairRun, type LatentCoder } from '../../../conflicts/index.js';
import { openRun } from '../../../data/index.js';
import { tempDir } from '../../helpers/tmp.js';

function networkRun(episodes: number): string {
  const g = generateGraph('small-world', 8, 3);
  const a = makeNetworkAgent('scripted', 'leader-election');
  const dir = join(tempDir(), 'net');
  recordNetwork(dir, { graph: g, graphInfo: {}, task: 'leader-election', protocol: a.protocol, model: a.model, hiddenDescription: a.hiddenDescription, episodes, seed: 2, fault: { kind: 'wrong-belief', node: 'random', round: 'random', share: 0.5 } });
  return dir;
}

describe('writeEdgePairRun', () => {
  it('writes one two-agent episode per network episode and directed edge, holding the two end nodes\' states', () => {
    const dir = networkRun(4);
    const truth = readNetworkTruth(dir);
    const src = loadEpisodes(openRun(dir));
    const pr = writeEdgePairRun(dir, join(tempDir(), 'pairs'));
    expect(pr.edges).toEqual(directedEdges(truth.edges));
    expect(pr.edges).toHaveLength(2 * truth.edges.length);
    const pairs = loadEpisodes(openRun(pr.dir));
    expect(pairs.agents).toEqual(['node', 'neighbour']);
    expect(pairs.episodes).toHaveLength(4 * pr.edges.length);
    expect(pr.rows).toBe(src.episodes.reduce((s, e) => s + e.length, 0) * pr.edges.length);
    const e = src.episodes[2]!;
    const k = 5;
    const [u, v] = pr.edges[k]!;
    const p = pairs.episodes.find((x) => x.episode === e.episode * pr.edges.length + k)!;
    expect(Array.from(p.step)).toEqual(Array.from(e.step));
    expect(p.hidden[0]).toEqual(e.hidden[u]);
    expect(p.hidden[1]).toEqual(e.hidden[v]);
  });

  it('keeps a moving window of the directed edges per episode when all of them would pass maxRows', () => {
    const dir = networkRun(8);
    const steps = loadEpisodes(openRun(dir)).episodes.reduce((n, e) => n + e.length, 0);
    const all = writeEdgePairRun(dir, join(tempDir(), 'all'));
    expect(all.edgesPerEpisode).toBe(all.edges.length);
    const cap = Math.floor(all.rows / 3);
    const pr = writeEdgePairRun(dir, join(tempDir(), 'capped'), { maxRows: cap });
    expect(pr.edgesPerEpisode).toBe(Math.floor(cap / steps));
    expect(pr.rows).toBeLessThanOrEqual(cap);
    const pairs = loadEpisodes(openRun(pr.dir));
    expect(pairs.episodes).toHaveLength(8 * pr.edgesPerEpisode);
    // Over the episodes, every directed edge is written at least once.
    expect(new Set(pairs.episodes.map((e) => e.episode % pr.edges.length)).size).toBe(pr.edges.length);
  });

  it('refuses a run that is not a network run', () => {
    expect(() => writeEdgePairRun(join(tempDir(), 'nothing'), join(tempDir(), 'pairs'))).toThrow(/not a network run/);
  });
});

describe('detectEdges with a neighbour-pair dictionary', () => {
  it('reads every node through one map and flags a false leader claim before the neighbours act, as raw states do', () => {
    const dir = networkRun(24);
    // A stand-in pair dictionary whose latent j is the node side's coordinate j.
    const d = loadEpisodes(openRun(dir)).dims[0]!;
    const coder: LatentCoder = {
      agents: ['node', 'neighbour'],
      nLatents: d,
      classes: Array.from({ length: d }, () => 'shared'),
      encode: (hidden) => Float32Array.from(hidden[0]!),
    };
    const r = detectEdges({ runDir: dir, pairDictionary: { coder, latents: Array.from({ length: d }, (_, j) => j) } });
    const raw = detectEdges({ runDir: dir });
    expect(r.views).toBe('pair dictionary');
    expect(r.unscoredEdges).toBe(0);
    expect(r.summary.acted).toBeGreaterThan(0);
    expect(r.summary.flaggedBeforeAct).toBe(raw.summary.flaggedBeforeAct);
    expect(r.summary.flaggedBeforeAct).toBe(r.summary.acted);
  });

  it('reads the node side\'s own term of an affine pair dictionary exactly, whatever the neighbour side adds', () => {
    const set = loadEpisodes(openRun(networkRun(8)));
    const d = set.dims[0]!;
    const m = 3;
    const A = Float32Array.from({ length: m * d }, (_, i) => Math.sin(i + 1));
    const coder: LatentCoder = {
      agents: ['node', 'neighbour'],
      nLatents: m,
      classes: ['shared', 'shared', 'shared'],
      encode(hidden, rows) {
        const out = new Float32Array(rows * m);
        for (let r = 0; r < rows; r++) {
          for (let j = 0; j < m; j++) {
            let s = 1 + j + 0.5 * hidden[1]![r * d + j]!;
            for (let i = 0; i < d; i++) s += A[j * d + i]! * hidden[0]![r * d + i]!;
            out[r * m + j] = s;
          }
        }
        return out;
      },
    };
    const views = fitPairDictionaryNodeViews(set, coder, [2, 0], [0, 1, 2]);
    expect(views.coords[0]).toEqual([0, 2]);
    const map = views.maps[3]!;
    expect(views.maps.every((x) => x === map)).toBe(true);
    // Two states' readings differ by A·(x − y), the neighbour term cancelling.
    const e = set.episodes[5]!;
    const x = e.hidden[1]!.subarray(0, d);
    const y = e.hidden[6]!.subarray(d, 2 * d);
    const [rx, ry] = [map.apply(x, 1), map.apply(y, 1)];
    [0, 2].forEach((j, k) => {
      let want = 0;
      for (let i = 0; i < d; i++) want += A[j * d + i]! * (x[i]! - y[i]!);
      expect(rx[k]! - ry[k]!).toBeCloseTo(want, 4);
    });
  });

  it('withRaw scores an edge-step by the larger z of the dictionary and raw states: a blind dictionary loses nothing', () => {
    const dir = networkRun(24);
    const d = loadEpisodes(openRun(dir)).dims[0]!;
    // A stand-in pair dictionary that reads nothing: every latent constant.
    const blind: LatentCoder = { agents: ['node', 'neighbour'], nLatents: 3, classes: ['shared', 'shared', 'shared'], encode: (_h, rows) => new Float32Array(rows * 3).fill(1) };
    const alone = detectEdges({ runDir: dir, pairDictionary: { coder: blind, latents: [0, 1, 2] } });
    const both = detectEdges({ runDir: dir, pairDictionary: { coder: blind, latents: [0, 1, 2] }, withRaw: true });
    const raw = detectEdges({ runDir: dir });
    expect(d).toBeGreaterThan(3);
    expect(alone.summary.flaggedBeforeAct).toBe(0);
    expect(both.views).toBe('pair dictionary + raw');
    expect(both.summary.flaggedBeforeAct).toBe(raw.summary.flaggedBeforeAct);
    expect(both.summary.acted).toBeGreaterThan(0);
  });

  it('refuses a dictionary that is not over two agents', () => {
    const dir = networkRun(8);
    const coder: LatentCoder = { agents: ['a', 'b', 'c'], nLatents: 1, classes: ['shared'], encode: (_h, rows) => new Float32Array(rows) };
    expect(() => detectEdges({ runDir: dir, pairDictionary: { coder, latents: [0] } })).toThrow(/two agents/);
  });
});
