import { describe, expect, it } from 'vitest';
import { bestReply, GAMES, gameIndex, securityStrategy } from '../../../agents/games/index.js';
import { PAYOFF } from '../../../agents/ipd/index.js';

const g = (name: string) => GAMES[gameIndex(name)]!;

describe('game payoff tables', () => {
  it('keeps the prisoner’s dilemma of agents/ipd for both seats', () => {
    expect(g('prisoners-dilemma').payoffA).toEqual([...PAYOFF]);
    expect(g('prisoners-dilemma').payoffB).toEqual([...PAYOFF]);
  });

  it('states the stag hunt, chicken, matching pennies and trust tables', () => {
    expect(g('stag-hunt').payoffA).toEqual([4, 0, 3, 2]);
    expect(g('chicken').payoffA).toEqual([3, 1, 4, 0]);
    expect(g('matching-pennies').payoffA).toEqual([1, -1, -1, 1]);
    expect(g('trust').payoffA).toEqual([2, 1, 4, 1]);
    expect(g('trust').payoffB).toEqual([2, 0, 1, 1]);
  });

  it('makes matching pennies zero-sum: the co-player loses what the agent wins', () => {
    const mp = g('matching-pennies');
    for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) expect(mp.payoffA[2 * a + b]! + mp.payoffB[2 * b + a]!).toBe(0);
  });

  it('has the defining orderings: PD T > R > P > S, stag hunt with two pure equilibria, chicken’s crash worst', () => {
    const [R, S, T, P] = g('prisoners-dilemma').payoffA as number[];
    expect(T! > R! && R! > P! && P! > S!).toBe(true);
    const sh = g('stag-hunt');
    expect(bestReply(sh, 'A', 0)).toBe(0);
    expect(bestReply(sh, 'A', 1)).toBe(1);
    const ch = g('chicken');
    expect(Math.min(...ch.payoffA)).toBe(ch.payoffA[3]);
    expect(bestReply(ch, 'A', 0)).toBe(1);
    expect(bestReply(ch, 'A', 1)).toBe(0);
  });
});

describe('securityStrategy', () => {
  it('defects in the PD, hunts hare, swerves in chicken and withholds as the investor', () => {
    expect(securityStrategy(g('prisoners-dilemma'), 'B')).toEqual({ p0: 0, level: 0 });
    expect(securityStrategy(g('stag-hunt'), 'B')).toEqual({ p0: 0, level: 2 });
    expect(securityStrategy(g('chicken'), 'B')).toEqual({ p0: 1, level: 1 });
    expect(securityStrategy(g('trust'), 'B')).toEqual({ p0: 0, level: 1 });
  });

  it('mixes 50/50 in matching pennies, guaranteeing 0', () => {
    const s = securityStrategy(g('matching-pennies'), 'B');
    expect(s.p0).toBeCloseTo(0.5, 12);
    expect(s.level).toBeCloseTo(0, 12);
  });

  it('guarantees at least its level against either move, and no strategy on a grid guarantees more', () => {
    for (const game of GAMES) {
      const s = securityStrategy(game, 'B');
      const u = (p: number, a: number): number => p * game.payoffB[a]! + (1 - p) * game.payoffB[2 + a]!;
      expect(Math.min(u(s.p0, 0), u(s.p0, 1))).toBeGreaterThanOrEqual(s.level - 1e-9);
      for (let p = 0; p <= 1; p += 0.01) expect(Math.min(u(p, 0), u(p, 1))).toBeLessThanOrEqual(s.level + 1e-9);
    }
  });
});
