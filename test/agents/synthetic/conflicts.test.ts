import { describe, expect, it } from 'vitest';
import { generateSynthetic, type SyntheticConfig, type SyntheticData } from '../../../agents/index.js';

/** Row index of (episode, step) in generated data. */
function rowOf(d: SyntheticData, episode: number, step: number): number {
  return episode * d.config.steps + step;
}

function checkConflicts(d: SyntheticData): void {
  const K = d.structure.thoughtCount;
  const T = d.config.steps;
  const L = d.config.conflicts.lag;
  const index = new Map(d.structure.agents.map((a, i) => [a.id, i]));
  const byEpisode = new Map(d.conflicts.map((c) => [c.episode, c]));
  for (let e = 0; e < d.config.episodes; e++) {
    const c = byEpisode.get(e);
    for (const [a, agent] of d.agents.entries()) {
      const member = c !== undefined && (c.agent === agent.id || c.counterparties.includes(agent.id));
      for (let t = 0; t < T; t++) {
        const r = rowOf(d, e, t);
        // The event marks the divergence step only, on the drifter and its counterparties.
        expect(agent.diverged[r], `episode ${e} step ${t} agent ${agent.id}`).toBe(member && t === c!.divergenceStep ? 1 : 0);
        expect(agent.reward[r]).toBe(member && t >= c!.divergenceStep ? 0 : 1);
        // A copy differs from the common thoughts only in the drifter's drifting thoughts, from onset on.
        for (const j of d.structure.agents[a]!.thoughts) {
          const drifting = c !== undefined && c.agent === agent.id && c.thoughts.includes(j) && t >= c.onsetStep;
          if (drifting) expect(agent.thoughts[r * K + j]).toBeGreaterThan(d.thoughts[r * K + j]!);
          else expect(agent.thoughts[r * K + j]).toBe(d.thoughts[r * K + j]);
        }
      }
    }
    if (!c) continue;
    expect(c.divergenceStep).toBe(c.onsetStep + L);
    const drifter = d.agents[index.get(c.agent)!]!;
    for (const other of c.counterparties.map((id) => d.agents[index.get(id)!]!)) {
      for (const j of c.thoughts) {
        // Before onset the two copies of a drifting shared thought are identical; after it they differ.
        for (let t = 0; t < T; t++) {
          const r = rowOf(d, e, t);
          if (t < c.onsetStep) expect(drifter.thoughts[r * K + j]).toBe(other.thoughts[r * K + j]);
          else expect(drifter.thoughts[r * K + j]).not.toBe(other.thoughts[r * K + j]);
        }
      }
      // Actions differ first exactly at onset + lag, and stay different.
      if (sameSharedSet(d, c.agent, other.id)) {
        for (let t = 0; t < T; t++) {
          const r = rowOf(d, e, t);
          expect(drifter.action[r] !== other.action[r], `episode ${e} step ${t}`).toBe(t >= c.onsetStep + L);
        }
      }
    }
  }
}

function sameSharedSet(d: SyntheticData, a: string, b: string): boolean {
  const s = (id: string) => JSON.stringify(d.structure.agents.find((x) => x.id === id)!.shared);
  return s(a) === s(b);
}

describe('planted conflicts', () => {
  it('drift from onset, show in behaviour exactly lag steps later, and are marked by the diverged event', () => {
    const cfg: SyntheticConfig = { episodes: 12, steps: 80, hiddenSize: 24, seed: 5, conflicts: { fraction: 0.5, lag: 7, speed: 0.02 } };
    const d = generateSynthetic(cfg);
    expect(d.conflicts.length).toBe(6);
    expect(new Set(d.conflicts.map((c) => c.agent)).size).toBe(2); // both agents drift in some episode
    for (const c of d.conflicts) {
      expect(c.onsetStep).toBeGreaterThanOrEqual(20);
      expect(c.onsetStep).toBeLessThanOrEqual(40);
      expect(c.thoughts.length).toBe(2);
      for (const j of c.thoughts) expect(d.structure.thoughts[j]!.kind).toBe('shared');
    }
    checkConflicts(d);
  });

  it('leave actions identical in episodes without a conflict', () => {
    const d = generateSynthetic({ episodes: 4, steps: 50, hiddenSize: 24, seed: 9, conflicts: { fraction: 0 } });
    expect(d.conflicts).toEqual([]);
    const distinct = new Set<number>();
    for (let r = 0; r < d.rows; r++) {
      expect(d.agents[0]!.action[r]).toBe(d.agents[1]!.action[r]);
      distinct.add(d.agents[0]!.action[r]!);
    }
    expect(distinct.size).toBeGreaterThan(5); // the readout varies with the thoughts
  });

  it('works with a lag of 0 and a drifter fixed by the config', () => {
    const d = generateSynthetic({ episodes: 4, steps: 30, hiddenSize: 24, seed: 1, conflicts: { fraction: 1, lag: 0, agent: 'B', thoughts: 1 } });
    expect(d.conflicts.map((c) => c.agent)).toEqual(['B', 'B', 'B', 'B']);
    checkConflicts(d);
  });

  it('work for N=3 agents with a custom sharing structure', () => {
    const d = generateSynthetic({
      agents: [{ id: 'A', hiddenSize: 24 }, { id: 'B', hiddenSize: 32 }, { id: 'C', hiddenSize: 16 }],
      groups: [
        { name: 'all', agents: ['A', 'B', 'C'], size: 3 },
        { name: 'AB', agents: ['A', 'B'], size: 3 },
        { name: 'BC', agents: ['B', 'C'], size: 2 },
        { name: 'pA', agents: ['A'], size: 2 },
        { name: 'pB', agents: ['B'], size: 1 },
      ],
      episodes: 16,
      steps: 60,
      seed: 4,
      conflicts: { fraction: 0.75, lag: 4 },
    });
    const s = d.structure;
    expect(s.thoughtCount).toBe(11);
    expect(s.agents.map((a) => a.thoughts)).toEqual([
      [0, 1, 2, 3, 4, 5, 8, 9],
      [0, 1, 2, 3, 4, 5, 6, 7, 10],
      [0, 1, 2, 6, 7],
    ]);
    expect(s.agents.map((a) => a.shared)).toEqual([
      [0, 1, 2, 3, 4, 5],
      [0, 1, 2, 3, 4, 5, 6, 7],
      [0, 1, 2, 6, 7],
    ]);
    expect(s.agents.map((a) => a.private)).toEqual([[8, 9], [10], []]);
    expect(s.agents.map((a) => a.hiddenSize)).toEqual([24, 32, 16]);
    expect(d.agents.map((a) => a.hidden.length / d.rows)).toEqual([24, 32, 16]);
    for (const c of d.conflicts) {
      const group = s.groups.find((g) => g.name === c.group)!;
      expect(group.agents).toContain(c.agent);
      expect(c.counterparties).toEqual(group.agents.filter((a) => a !== c.agent));
    }
    checkConflicts(d);
  });
});
