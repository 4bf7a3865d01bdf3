import { describe, expect, it } from 'vitest';
import { openRun, readTruthJson, readTruthTable } from '../../../data/index.js';
import {
  EDGES_FILE,
  FAULTS_FILE,
  NETWORK_FILE,
  GraphError,
  generateGraph,
  graphFromEdgeList,
  makeGraph,
  makeNetworkAgent,
  recordNetwork,
  runNetwork,
  scriptedProtocol,
  makeTaskInstance,
  type NetworkFaultTruth,
} from '../../../agents/network/index.js';
import { tempDir } from '../../helpers/tmp.js';
import { join } from 'node:path';

describe('recordNetwork', () => {
  it('writes one agent per node, steps 0..R, messages and events, and the three truth files', () => {
    const g = makeGraph(4, [[0, 1], [1, 2], [2, 3]]);
    const a = makeNetworkAgent('scripted', 'leader-election');
    const dir = join(tempDir(), 'run');
    const res = recordNetwork(dir, { graph: g, graphInfo: { file: 'path4' }, task: 'leader-election', protocol: a.protocol, model: a.model, hiddenDescription: a.hiddenDescription, episodes: 4, seed: 3, fault: { kind: 'wrong-belief', node: 0, round: 0, share: 0.5 } });
    const run = openRun(dir);
    expect(run.manifest.agents.map((x) => x.id)).toEqual(['n0', 'n1', 'n2', 'n3']);
    expect(run.manifest.source.kind).toBe('network');
    const R = res.episodes[0]!.rounds;
    expect(R).toBe(2 * 3 + 1);
    const rows = [...run.joined()];
    const total = rows.reduce((s, b) => s + b.length, 0);
    expect(total).toBe(4 * (R + 1));
    // Episodes 1 and 3 carry the fault (share 0.5, spread evenly).
    expect(res.episodes.map((e) => e.faulty)).toEqual([false, true, false, true]);
    const faults = readTruthJson<{ faults: NetworkFaultTruth[] }>(dir, FAULTS_FILE).faults;
    expect(faults.map((f) => f.episode)).toEqual([1, 3]);
    // A false leader claim above every uid floods the path: node 1 holds it after round 0, node 3 after round 2.
    const f = faults[0]!;
    expect(f.value).toBe(4 + 7);
    expect(f.neighbourActedStep).toBe(1);
    expect(f.depth).toBe(3);
    expect(f.affectedPerStep.slice(0, 4)).toEqual([0, 1, 2, 3]);
    // The recorded faulty node holds the wrong belief from its fault step, and its message carries it.
    const b = rows.flatMap((x) => Array.from({ length: x.length }, (_, r) => ({ e: x.episode[r]!, s: x.step[r]!, belief: x.columns[0]!.belief![r] as number, msg0: x.columns[0]!.msg0![r] as number, faulty: x.columns[0]!.faulty![r] })));
    const ep1 = b.filter((r) => r.e === 1);
    expect(ep1[0]).toMatchObject({ s: 0, belief: 11, msg0: 11, faulty: true });
    expect(ep1[R]!.msg0).toBe(-1);
    const edges = readTruthTable(dir, EDGES_FILE);
    expect(edges.numRows).toBe(4 * (R + 1) * 6);
    const net = readTruthJson<{ graph: { edges: number[][] }; perEpisode: { uid: number[] }[] }>(dir, NETWORK_FILE);
    expect(net.graph.edges).toEqual([[0, 1], [1, 2], [2, 3]]);
    expect(net.perEpisode).toHaveLength(4);
    expect(run.manifest.truth).toEqual(['truth/network.json', 'truth/faults.json', 'truth/edges.arrows']);
  });

  it('the state at step t is the state that sends round t (the trace of runNetwork)', () => {
    const g = generateGraph('small-world', 8, 2);
    const inst = makeTaskInstance('colouring', g, 5);
    const r = runNetwork(inst, scriptedProtocol('colouring'), { trace: true, fault: { kind: 'wrong-belief', node: 2, round: 1 } });
    // Before the fault, the send-time state of round t is the state after round t−1.
    expect(Array.from(r.trace[1]!.sendHidden.subarray(0, 18))).toEqual(Array.from(r.trace[0]!.hidden.subarray(0, 18)));
    // At the fault round node 2's send-time belief is the wrong value.
    expect(r.trace[1]!.sendBeliefs[2]).toBe(r.fault!.value);
  });

  it('a liar is caught as accepted-unverified; verification drops its claims', () => {
    const g = generateGraph('scale-free', 10, 1);
    const a = makeNetworkAgent('scripted', 'consensus');
    const base = { graph: g, graphInfo: {}, task: 'consensus' as const, protocol: a.protocol, model: a.model, hiddenDescription: '', episodes: 2, seed: 1, fault: { kind: 'liar' as const, node: 0, round: 0, share: 1 } };
    const open = recordNetwork(join(tempDir(), 'a'), base);
    const checked = recordNetwork(join(tempDir(), 'b'), { ...base, verify: true });
    const count = (dir: string, col: string) => (readTruthTable(dir, EDGES_FILE).getChild(col)!.toArray() as boolean[]).filter(Boolean).length;
    expect(count(open.dir, 'accepted_unverified')).toBeGreaterThan(0);
    expect(count(checked.dir, 'accepted_unverified')).toBe(0);
    expect(count(checked.dir, 'dropped')).toBeGreaterThan(0);
    expect(open.faults.every((f) => f.maxAffected > 0)).toBe(true);
    expect(checked.faults.every((f) => f.maxAffected === 0)).toBe(true);
  });

  it('is reproducible from its seed', () => {
    const g = generateGraph('delaunay', 9, 4);
    const a = makeNetworkAgent('scripted', 'matching');
    const o = { graph: g, graphInfo: {}, task: 'matching' as const, protocol: a.protocol, model: a.model, hiddenDescription: '', episodes: 3, seed: 7, fault: { kind: 'wrong-belief' as const, node: 'random' as const, round: 'random' as const } };
    const x = recordNetwork(join(tempDir(), 'x'), o);
    const y = recordNetwork(join(tempDir(), 'y'), o);
    expect(y.faults).toEqual(x.faults);
    expect(y.episodes).toEqual(x.episodes);
  });

  it('refuses a learned agent for tasks other than consensus, and bad options', () => {
    expect(() => makeNetworkAgent('gru', 'colouring')).toThrow(/'gru' is a learned policy for consensus, vertex-cover, leader-election/);
    expect(() => makeNetworkAgent('transformer', 'consensus')).toThrow(/must be one of scripted, gru/);
    const g = generateGraph('small-world', 6, 1);
    const a = makeNetworkAgent('scripted', 'consensus');
    const o = { graph: g, graphInfo: {}, task: 'consensus' as const, protocol: a.protocol, model: a.model, hiddenDescription: '', episodes: 2 };
    expect(() => recordNetwork(join(tempDir(), 'z'), { ...o, fault: { kind: 'liar', node: 9, round: 0 } })).toThrow(/fault node must be a node in 0..5/);
    expect(() => recordNetwork(join(tempDir(), 'z2'), { ...o, fault: { kind: 'liar', node: 1, round: 99 } })).toThrow(/fault round must be a round in 0..\d+/);
  });
});

describe('graphFromEdgeList', () => {
  it('reads text and JSON edge lists', () => {
    expect(graphFromEdgeList('# a path\n0 1\n1 2\n').edges).toEqual([[0, 1], [1, 2]]);
    expect(graphFromEdgeList('{"nodes": 3, "edges": [[0, 1], [2, 1]]}').n).toBe(3);
    expect(graphFromEdgeList('[[0, 1], [1, 2], [2, 0]]').edges).toHaveLength(3);
  });

  it('refuses a self-loop, an isolated node and a disconnected graph, naming the file, line and node', () => {
    expect(() => graphFromEdgeList('0 1\n1 1\n', 'g.txt')).toThrow(GraphError);
    expect(() => graphFromEdgeList('0 1\n1 1\n', 'g.txt')).toThrow('graph: g.txt line 2: self-loop at node 1');
    expect(() => graphFromEdgeList('nodes 4\n0 1\n1 2\n', 'g.txt')).toThrow('graph: g.txt: node 3 is isolated');
    expect(() => graphFromEdgeList('0 1\n2 3\n', 'g.txt')).toThrow(/graph: g.txt: disconnected: 2 components \(node 0 and node 2 are not connected\)/);
    expect(() => graphFromEdgeList('0 1\nzero 2\n', 'g.txt')).toThrow("graph: g.txt line 2: expected 'u v' (two node numbers), got 'zero 2'");
    expect(() => graphFromEdgeList('{"edges": [[0, 0]]}', 'g.json')).toThrow('graph: g.json edges[0]: self-loop at node 0');
    expect(() => graphFromEdgeList('nodes 2\n0 1\n1 5\n', 'g.txt')).toThrow('graph: g.txt line 3: node 5 is outside 0..1');
  });
});
