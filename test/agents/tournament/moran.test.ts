import { describe, expect, it } from 'vitest';
import { compileStyle, type StyleSpec } from '../../../agents/pool/index.js';
import { MachineAgent, TIT_FOR_TAT } from '../../../agents/population/index.js';
import { fixationProbability, moran, runTournament, simulateFixations, type TournamentPlayer } from '../../../agents/tournament/index.js';
import { makeRng } from '../../../util/random.js';

const ALLD: StyleSpec = { name: 'always-defect', group: 'g', kind: 'memory', n: 1, start: 0, p: { '??': 0 } };
const ALLC: StyleSpec = { name: 'always-cooperate', group: 'g', kind: 'memory', n: 1, start: 1, p: { '??': 1 } };

function machine(spec: StyleSpec, kind: 'agent' | 'strategy' = 'strategy'): TournamentPlayer {
  return { name: spec.name, kind, make: () => new MachineAgent(compileStyle(spec)) };
}

describe('Moran process', () => {
  it('neutral drift: one mutant fixes with probability 1/N, exactly and over many seeded runs', () => {
    const neutral = { a: 1, b: 1, c: 1, d: 1 };
    for (const N of [2, 5, 10, 30]) expect(fixationProbability(neutral, N)).toBeCloseTo(1 / N, 12);
    const runs = 20000;
    const N = 10;
    const k = simulateFixations(neutral, N, 1, runs, makeRng(42));
    // 1/N ± 4 standard errors
    expect(Math.abs(k / runs - 1 / N)).toBeLessThan(4 * Math.sqrt((0.1 * 0.9) / runs));
    // seeded: the same seed gives the same count
    expect(simulateFixations(neutral, N, 1, runs, makeRng(42))).toBe(k);
  });

  it('the simulation agrees with the exact fixation probability under selection', () => {
    const g = { a: 2, b: 1.2, c: 1, d: 1.5 };
    for (const w of [0.1, 1]) {
      const exact = fixationProbability(g, 12, w);
      const runs = 20000;
      const k = simulateFixations(g, 12, w, runs, makeRng(7));
      expect(Math.abs(k / runs - exact)).toBeLessThan(4 * Math.sqrt((exact * (1 - exact)) / runs));
    }
    // w = 0 is neutral whatever the payoffs
    expect(fixationProbability(g, 12, 0)).toBeCloseTo(1 / 12, 12);
  });

  it('a dominant strategy fixes more often than 1/N and its victim less; tit-for-tat resists always-defect', () => {
    const players = [machine(TIT_FOR_TAT, 'agent'), machine(ALLC), machine(ALLD)];
    const t = runTournament(players, { turns: 50, repetitions: 2, seed: 1 });
    const r = moran(t, ['always-defect', 'tit-for-tat'], ['always-cooperate', 'always-defect'], { size: 10, runs: 4000, seed: 3 });
    expect(r.neutral).toBe(0.1);
    const pair = (inv: string, res: string) => r.pairs.find((p) => p.invader === inv && p.resident === res)!;
    // always-defect among always-cooperators: strictly dominant, fixes far above 1/N
    const dInC = pair('always-defect', 'always-cooperate');
    expect(dInC.invasion).toBe('favoured');
    expect(dInC.invades.simulated).toBeGreaterThan(0.3);
    expect(dInC.invades.lo).toBeLessThanOrEqual(dInC.invades.exact);
    expect(dInC.invades.hi).toBeGreaterThanOrEqual(dInC.invades.exact);
    // …and one cooperator among defectors almost never fixes
    expect(dInC.resisted.exact).toBeLessThan(0.01);
    expect(dInC.reverse).toBe('opposed');
    // a pair of a player with itself is skipped
    expect(r.pairs.some((p) => p.invader === p.resident)).toBe(false);
    expect(r.pairs).toHaveLength(3);
    // tit-for-tat as the resident: one always-defect mutant is selected against
    const tftVsD = pair('tit-for-tat', 'always-defect');
    expect(tftVsD.resisted.exact).toBeLessThan(0.1);
    expect(tftVsD.reverse).toBe('opposed');
    // tit-for-tat and always-cooperate play alike without noise: neutral both ways
    const tftVsC = moran(t, ['tit-for-tat'], ['always-cooperate'], { size: 10, runs: 10 }).pairs[0]!;
    expect([tftVsC.invasion, tftVsC.reverse]).toEqual(['neutral', 'neutral']);
    // deterministic for a seed
    const again = moran(t, ['always-defect', 'tit-for-tat'], ['always-cooperate', 'always-defect'], { size: 10, runs: 4000, seed: 3 });
    expect(again).toEqual(r);
    expect(() => moran(t, ['nobody'], ['always-defect'])).toThrow(/not a player/);
  });
});
