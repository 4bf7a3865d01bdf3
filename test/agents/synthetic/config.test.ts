import { describe, expect, it } from 'vitest';
import { resolveSyntheticConfig, SyntheticConfigError, type SyntheticConfig } from '../../../agents/index.js';

function errorOf(cfg: SyntheticConfig): SyntheticConfigError {
  try {
    resolveSyntheticConfig(cfg);
  } catch (err) {
    expect(err).toBeInstanceOf(SyntheticConfigError);
    return err as SyntheticConfigError;
  }
  throw new Error('expected a config error');
}

describe('resolveSyntheticConfig', () => {
  it('applies the defaults for a pair: shared(A,B)=8, private 4 each, d=64, depth 2', () => {
    const c = resolveSyntheticConfig();
    expect(c.agents.map((a) => [a.id, a.hiddenSize])).toEqual([
      ['A', 64],
      ['B', 64],
    ]);
    expect(c.groups).toEqual([
      { name: 'shared', agents: ['A', 'B'], size: 8 },
      { name: 'private-A', agents: ['A'], size: 4 },
      { name: 'private-B', agents: ['B'], size: 4 },
    ]);
    expect(c.mixing.depth).toBe(2);
    expect(c.episodes).toBe(64);
    expect(c.steps).toBe(200);
    expect(c.conflicts.lag).toBe(10);
    expect(c.conflicts.onset).toEqual([50, 100]);
  });

  it('freezes the result deeply', () => {
    const c = resolveSyntheticConfig();
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.groups[0]!.agents)).toBe(true);
    expect(() => {
      (c as { steps: number }).steps = 3;
    }).toThrow();
  });

  it('is idempotent: a resolved config resolves to itself', () => {
    const c = resolveSyntheticConfig({ agents: [{ id: 'X', hiddenSize: 32 }, 'Y'], seed: 5, conflicts: { agent: 'Y' } });
    expect(resolveSyntheticConfig(c)).toEqual(c);
  });

  it('accepts N=3 agents with pairwise and all-shared groups', () => {
    const c = resolveSyntheticConfig({
      agents: ['A', 'B', 'C'],
      groups: [
        { name: 'all', agents: ['C', 'A', 'B'], size: 3 },
        { name: 'AB', agents: ['A', 'B'], size: 2 },
        { name: 'BC', agents: ['B', 'C'], size: 2 },
        { name: 'pA', agents: ['A'], size: 1 },
      ],
    });
    expect(c.groups[0]!.agents).toEqual(['A', 'B', 'C']);
    expect(c.groups.map((g) => g.size)).toEqual([3, 2, 2, 1]);
  });

  it.each<[SyntheticConfig, string, RegExp]>([
    [{ episodes: 0 }, 'episodes', /integer in 1\.\./],
    [{ steps: 1.5 }, 'steps', /integer/],
    [{ agents: [] }, 'agents', /non-empty/],
    [{ agents: ['A', 'A'] }, 'agents[1].id', /duplicates/],
    [{ agents: ['bad id'] }, 'agents[0].id', /must match/],
    [{ agents: [{ id: 'A', hiddenSize: 8 }, 'B'] }, 'agents', /holds 12 thoughts but has hidden size 8/],
    [{ groups: [{ name: 'g', agents: ['A', 'Z'], size: 2 }] }, 'groups[0].agents', /unknown agent "Z"/],
    [{ groups: [{ name: 'g', agents: ['A', 'B'], size: 0 }] }, 'groups[0].size', /integer/],
    [{ groups: [{ name: 'g', agents: ['A'], size: 2 }] }, 'groups', /agent 'B' no thoughts/],
    [
      {
        groups: [
          { name: 'g', agents: ['A', 'B'], size: 2 },
          { name: 'g', agents: ['A'], size: 2 },
        ],
      },
      'groups[1].name',
      /duplicates/,
    ],
    [{ groups: [{ name: 'g', agents: ['A', 'B'], size: 2 }], shared: 3 }, 'groups', /cannot be combined/],
    [{ shared: 0, private: 0 }, 'shared', /no thoughts/],
    [{ thoughts: { sparsity: 1 } }, 'thoughts.sparsity', /\(0, 1\)/],
    [{ thoughts: { sparsity: 0.9, persistence: 2 } }, 'thoughts.sparsity', /cannot be reached/],
    [{ mixing: { depth: 0 } }, 'mixing.depth', /integer in 1\.\.16/],
    [{ mixing: { width: 8 } }, 'mixing.width', /thoughts \(12\) ≤ width ≤ hidden size/],
    [{ mixing: { noise: -1 } }, 'mixing.noise', /number/],
    [{ mixing: { slope: 0 } }, 'mixing.slope', /\(0, 10\]/],
    [{ conflicts: { fraction: 1.5 } }, 'conflicts.fraction', /\[0, 1\]/],
    [{ conflicts: { lag: 250 } }, 'conflicts.lag', /integer in 0\.\.200/],
    [{ steps: 20, conflicts: { lag: 19 } }, 'conflicts.lag', /leaves no room/],
    [{ conflicts: { onset: [150, 195] } }, 'conflicts.onset', /ends too late/],
    [{ conflicts: { thoughts: 9 } }, 'conflicts.thoughts', /shared by ≥ 2 agents/],
    [{ conflicts: { agent: 'Q' } }, 'conflicts.agent', /unknown agent/],
    [{ conflicts: { maxDrift: 0.01 } }, 'conflicts.maxDrift', /≥ conflicts.speed/],
    [{ epsiodes: 3 } as SyntheticConfig, 'epsiodes', /not a known field/],
    [{ mixing: { dpeth: 3 } } as SyntheticConfig, 'mixing.dpeth', /not a known field/],
  ])('rejects %j naming the field', (cfg, field, message) => {
    const err = errorOf(cfg);
    expect(err.field).toBe(field);
    expect(err.code).toBe('TL_CONFIG');
    expect(err.message).toContain(`'${field}'`);
    expect(err.message).toMatch(message);
  });

  it('plants no conflicts by default where none fit (one agent, no shared thoughts, too few steps)', () => {
    expect(resolveSyntheticConfig({ agents: ['solo'] }).conflicts.fraction).toBe(0);
    expect(resolveSyntheticConfig({ agents: ['solo'] }).groups).toEqual([{ name: 'private-solo', agents: ['solo'], size: 12 }]);
    expect(resolveSyntheticConfig({ shared: 0 }).conflicts.fraction).toBe(0);
    expect(resolveSyntheticConfig({ steps: 8 }).conflicts).toMatchObject({ fraction: 0.25, lag: 6, onset: [1, 1] });
    expect(errorOf({ shared: 0, conflicts: { fraction: 0.5 } }).field).toBe('conflicts.thoughts');
  });

  it('lets a config without shared thoughts exist when it plants no conflicts', () => {
    const c = resolveSyntheticConfig({ shared: 0, conflicts: { fraction: 0 } });
    expect(c.groups.map((g) => g.name)).toEqual(['private-A', 'private-B']);
  });
});
