import { describe, expect, it } from 'vitest';
import {
  CREDULOUS_DEFAULTS,
  CREDULOUS_MECHANISMS,
  CREDULOUS_OFF,
  GRAPH_FAMILIES,
  TASKS,
  credulousOnly,
  credulousProtocol,
  episodeInstance,
  generateGraph,
  makeGraph,
  makeNetworkAgent,
  makeTaskInstance,
  measurePropagation,
  runNetwork,
  scriptedProtocol,
} from '../../../agents/network/index.js';

describe('credulous agents', () => {
  it.each(TASKS)('%s: with every mechanism off it is the scripted baseline, round by round', (task) => {
    for (const family of GRAPH_FAMILIES) {
      for (const seed of [1, 2, 3]) {
        for (const n of [8, 30]) {
          const inst = episodeInstance(task, generateGraph(family, n, seed), seed, 0);
          const base = runNetwork(inst, scriptedProtocol(task), { trace: true });
          const off = runNetwork(inst, credulousProtocol(task, { ...CREDULOUS_OFF, seed }), { trace: true });
          expect([...off.answers], `${family} ${n} seed ${seed}`).toEqual([...base.answers]);
          expect([...off.beliefHistory]).toEqual([...base.beliefHistory]);
          off.trace.forEach((t, i) => expect([...t.messages]).toEqual([...base.trace[i]!.messages]));
          expect(off.check).toEqual(base.check);
        }
      }
    }
  });

  it.each(CREDULOUS_MECHANISMS)('%s switched off (the others off too) leaves the baseline; switched on alone it changes some runs', (mech) => {
    let changed = 0;
    for (const task of TASKS) {
      for (const seed of [1, 2, 3, 4]) {
        const inst = episodeInstance(task, generateGraph('delaunay', 100, seed), seed, 0);
        const base = runNetwork(inst, scriptedProtocol(task));
        const off = runNetwork(inst, credulousProtocol(task, { ...credulousOnly([mech], { seed }), [mech]: CREDULOUS_OFF[mech] }));
        expect([...off.beliefHistory]).toEqual([...base.beliefHistory]);
        const on = runNetwork(inst, credulousProtocol(task, credulousOnly([mech], { seed })));
        if ([...on.beliefHistory].some((b, i) => b !== base.beliefHistory[i])) changed++;
      }
    }
    expect(changed).toBeGreaterThan(0);
  });

  it('is deterministic per seed, and the seed matters', () => {
    for (const task of TASKS) {
      const inst = episodeInstance(task, generateGraph('small-world', 40, 5), 5, 0);
      const a = runNetwork(inst, credulousProtocol(task, { seed: 7 }), { trace: true });
      const b = runNetwork(inst, credulousProtocol(task, { seed: 7 }), { trace: true });
      expect([...a.beliefHistory]).toEqual([...b.beliefHistory]);
      a.trace.forEach((t, i) => expect([...t.messages]).toEqual([...b.trace[i]!.messages]));
    }
    const differs = [11, 12, 13, 14, 15].some((seed) => {
      const inst = episodeInstance('consensus', generateGraph('small-world', 40, 5), 5, 0);
      const a = runNetwork(inst, credulousProtocol('consensus', { seed: 7 }));
      const b = runNetwork(inst, credulousProtocol('consensus', { seed }));
      return [...a.beliefHistory].some((x, i) => x !== b.beliefHistory[i]);
    });
    expect(differs).toBe(true);
  });

  it('a fixed round budget cannot reach the far end of a path longer than the budget', () => {
    // path 0-1-…-11 (diameter 11, the run gets 2·11+1 = 23 rounds); the largest uid and the
    // only 1 sit at node 0, 11 hops from node 11
    const n = 12;
    const path = makeGraph(n, Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as [number, number]));
    const leader = { ...makeTaskInstance('leader-election', path, 0), uid: Int32Array.from({ length: n }, (_, i) => (i === 0 ? n - 1 : i - 1)) };
    const consensus = { ...makeTaskInstance('consensus', path, 0), initial: Int32Array.from({ length: n }, (_, i) => (i === 0 ? 1 : 0)) };
    for (const inst of [leader, consensus]) {
      expect(inst.rounds).toBe(23);
      expect(runNetwork(inst, credulousProtocol(inst.task, CREDULOUS_OFF)).check.ok).toBe(true);
      const r = runNetwork(inst, credulousProtocol(inst.task, credulousOnly(['budget'], { budget: 9 })));
      expect(r.check.ok, inst.task).toBe(false);
      // the claim got exactly 9 hops: nodes 0..9 hold it, 10 and 11 never heard it
      const claim = inst.task === 'leader-election' ? n - 1 : 1;
      expect([...r.beliefs].map((b) => b === claim)).toEqual(Array.from({ length: n }, (_, i) => i <= 9));
      // a budget of 11 rounds, the distance to the far node, is enough
      expect(runNetwork(inst, credulousProtocol(inst.task, credulousOnly(['budget'], { budget: 11 }))).check.ok).toBe(true);
    }
  });

  it('each mechanism does what it says on a hand-made graph', () => {
    // a triangle 0-1-2 plus a tail 2-3: consensus with value 1 only at node 3
    const g = makeGraph(4, [[0, 1], [1, 2], [0, 2], [2, 3]]);
    const inst = { ...makeTaskInstance('consensus', g, 0), initial: Int32Array.of(0, 0, 0, 1) };
    // every node a committer: 0 and 1 hear only 0s in round 0 and stop; 2 takes the 1 from 3
    const committed = runNetwork(inst, credulousProtocol('consensus', credulousOnly(['commit'], { commit: 1 })));
    expect([...committed.answers]).toEqual([0, 0, 1, 1]);
    expect(committed.check.ok).toBe(false);
    // lag 1: node 2 adopts 1 in round 0 but tells only in round 2, so 0 and 1 adopt in round 2, not 1
    const lagged = runNetwork(inst, credulousProtocol('consensus', credulousOnly(['lag'], { lag: 1 })), { trace: true });
    const base = runNetwork(inst, scriptedProtocol('consensus'), { trace: true });
    expect(base.trace[1]!.beliefs[0]).toBe(1);
    expect(lagged.trace[0]!.beliefs[2]).toBe(1);
    expect(lagged.trace[1]!.messages[2 * 2]).toBe(0);
    expect(lagged.trace[1]!.beliefs[0]).toBe(0);
    expect(lagged.trace[2]!.beliefs[0]).toBe(1);
    // credulity 1: node 3 takes node 2's smaller value on trust in round 0 (its rule keeps the larger)
    const cred = runNetwork(inst, credulousProtocol('consensus', credulousOnly(['credulity'], { credulity: 1 })), { trace: true });
    expect(cred.trace[0]!.beliefs[3]).toBe(0);
  });

  it('runs as an agent kind, with faults and recording hooks', () => {
    const a = makeNetworkAgent('credulous', 'leader-election', { seed: 3 });
    expect(a.model).toBe('credulous:max-id-flooding');
    expect(a.params).toMatchObject({ agent: 'credulous', credulous: { ...CREDULOUS_DEFAULTS, seed: 3 } });
    const inst = makeTaskInstance('leader-election', generateGraph('small-world', 16, 1), 1);
    const p = measurePropagation(inst, a.protocol, { kind: 'liar', node: 2, round: 1 });
    expect(p.cleanSuccess === true || p.cleanSuccess === false).toBe(true);
    expect(() => credulousProtocol('consensus', { lag: 2 })).toThrow(/'lag' must be a probability/);
    expect(() => credulousProtocol('consensus', { budget: 0 })).toThrow(/'budget' must be a positive integer/);
  });
});
