import { describe, expect, it } from 'vitest';
import { GRAPH_FAMILIES, TASKS, generateGraph, makeGraph, makeTaskInstance, measurePropagation, parseFault, runNetwork, scriptedProtocol } from '../../../agents/network/index.js';

describe('scripted baselines', () => {
  it.each(TASKS)('%s: solves every family at 16 nodes given enough rounds', (task) => {
    for (const family of GRAPH_FAMILIES) {
      for (const seed of [0, 1, 2]) {
        const inst = makeTaskInstance(task, generateGraph(family, 16, seed), seed);
        const r = runNetwork(inst, scriptedProtocol(task), { rounds: 40 });
        expect(r.check, `${family} seed ${seed}`).toEqual({ ok: true });
      }
    }
  });

  it('leader election elects the node of largest uid; consensus agrees on the largest initial value', () => {
    const inst = makeTaskInstance('leader-election', generateGraph('delaunay', 30, 4), 4);
    const r = runNetwork(inst, scriptedProtocol('leader-election'));
    expect(r.answers.indexOf(1)).toBe(inst.uid.indexOf(29));
    const c = makeTaskInstance('consensus', generateGraph('delaunay', 30, 4), 4, { values: 5 });
    const rc = runNetwork(c, scriptedProtocol('consensus'));
    expect([...new Set(rc.answers)]).toEqual([Math.max(...c.initial)]);
  });

  it('floods no faster than the graph allows: a path of 6 needs 5 rounds to agree', () => {
    const path = makeGraph(6, [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5]]);
    const inst = { ...makeTaskInstance('leader-election', path, 0), uid: Int32Array.of(5, 0, 1, 2, 3, 4) };
    expect(runNetwork(inst, scriptedProtocol('leader-election'), { rounds: 4 }).check.ok).toBe(false);
    expect(runNetwork(inst, scriptedProtocol('leader-election'), { rounds: 5 }).check.ok).toBe(true);
  });

  it('keeps a per-round trace: messages, states, per-edge adoption and disagreement', () => {
    const path = makeGraph(3, [[0, 1], [1, 2]]);
    const inst = { ...makeTaskInstance('consensus', path, 0, { values: 4 }), initial: Int32Array.of(3, 0, 1) };
    const r = runNetwork(inst, scriptedProtocol('consensus'), { trace: true, rounds: 2 });
    expect(r.trace).toHaveLength(2);
    expect([...r.trace[0]!.beliefs]).toEqual([3, 3, 1]);
    expect(r.trace[0]!.adoptedFrom[1]).toBe(0);
    const e01 = r.edgeList.findIndex(([u, v]) => u === 0 && v === 1);
    const e12 = r.edgeList.findIndex(([u, v]) => u === 1 && v === 2);
    expect(r.trace[0]!.edgeAdopted[e01]).toBe(1);
    expect(r.trace[0]!.edgeDisagree[e12]).toBe(1);
    expect(r.trace[1]!.edgeDisagree.every((x) => x === 0)).toBe(true);
  });
});

describe('faults', () => {
  const inst = makeTaskInstance('consensus', generateGraph('small-world', 16, 1), 1);

  it('a wrong belief spreads to every node by flooding when nobody verifies, and breaks validity', () => {
    const p = measurePropagation(inst, scriptedProtocol('consensus'), { kind: 'wrong-belief', node: 3, round: 1 });
    expect(p.adopted[0]).toBe(0);
    expect(p.adopted[p.adopted.length - 1]).toBe(15);
    expect(p.firstAffectedRound).toBe(1);
    expect(p.success).toBe(false);
    expect(p.cleanSuccess).toBe(true);
  });

  it('verification stops it at the faulty node (the other nodes still agree)', () => {
    const p = measurePropagation(inst, scriptedProtocol('consensus'), { kind: 'wrong-belief', node: 3, round: 1 }, true);
    expect(p.maxAffected).toBe(0);
    expect(p.faulty.rejections).toBeGreaterThan(0);
    expect(new Set([...p.faulty.answers].filter((_, u) => u !== 3)).size).toBe(1);
  });

  it('a lying neighbour in leader election makes the network follow a leader that does not exist', () => {
    const li = makeTaskInstance('leader-election', generateGraph('scale-free', 16, 2), 2);
    const p = measurePropagation(li, scriptedProtocol('leader-election'), { kind: 'liar', node: 0, round: 0 });
    expect(p.adopted[p.adopted.length - 1]).toBe(15);
    expect(p.faulty.answers.every((a) => a === 0)).toBe(true);
    // verified: nobody adopts the lie (dropping the liar's messages only delays some nodes), and the real leader wins
    const v = measurePropagation(li, scriptedProtocol('leader-election'), { kind: 'liar', node: 0, round: 0 }, true);
    expect(v.adopted.every((a) => a === 0)).toBe(true);
    expect(v.success).toBe(true);
  });

  it('a flipped colour is repaired by the colouring protocol itself', () => {
    const ci = makeTaskInstance('colouring', generateGraph('delaunay', 16, 0), 0);
    const p = measurePropagation(ci, scriptedProtocol('colouring'), { kind: 'wrong-belief', node: 5, round: 2 });
    expect(p.success).toBe(true);
  });

  it('parses fault specs and refuses bad ones', () => {
    expect(parseFault('liar@3:2')).toEqual({ kind: 'liar', node: 3, round: 2 });
    expect(parseFault('wrong-belief@0:1=5')).toEqual({ kind: 'wrong-belief', node: 0, round: 1, value: 5 });
    expect(() => parseFault('liar@x')).toThrow(/must look like/);
    expect(() => parseFault('crash@1:1')).toThrow(/kind must be one of/);
    expect(() => runNetwork(inst, scriptedProtocol('consensus'), { fault: { kind: 'liar', node: 99, round: 0 } })).toThrow(/fault.node/);
  });
});
