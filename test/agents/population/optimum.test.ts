import { describe, expect, it } from 'vitest';
import { makeRng } from '../../../util/random.js';
import { PAYOFF } from '../../../agents/ipd/index.js';
import { compileStyle, poolFromJson, type CompiledStyle, type StyleSpec } from '../../../agents/pool/index.js';
import { exactMachine, exactPayoff, fractionOfOptimum, generateStrategy, optimum, OptimumError, titForTat, winStayLoseShift } from '../../../agents/population/index.js';

/** Max over all 2^T open-loop move sequences against a deterministic machine. */
function bruteForceDeterministic(style: CompiledStyle, T: number): { best: number; worst: number } {
  const m = exactMachine(style);
  let best = -Infinity;
  let worst = Infinity;
  for (let seq = 0; seq < 2 ** T; seq++) {
    let s = m.initial;
    let total = 0;
    for (let t = 0; t < T; t++) {
      const a = (seq >> t) & 1;
      const b = m.coop[s]! >= 0.5 ? 0 : 1;
      total += PAYOFF[2 * a + b]!;
      s = m.next[s * 4 + 2 * b + a]!;
    }
    best = Math.max(best, total);
    worst = Math.min(worst, total);
  }
  return { best, worst };
}

/** Expectimax over the full joint history (no state merging): the brute force for stochastic co-players. */
function bruteForceTree(style: CompiledStyle, T: number): number {
  const m = exactMachine(style);
  const go = (s: number, left: number): number => {
    if (left === 0) return 0;
    let best = -Infinity;
    for (let a = 0; a < 2; a++) {
      const pc = m.coop[s]!;
      let v = 0;
      if (pc > 0) v += pc * (PAYOFF[2 * a]! + go(m.next[s * 4 + a]!, left - 1));
      if (pc < 1) v += (1 - pc) * (PAYOFF[2 * a + 1]! + go(m.next[s * 4 + 2 + a]!, left - 1));
      best = Math.max(best, v);
    }
    return best;
  };
  return go(m.initial, T);
}

function randomTable(seed: number, states: number): CompiledStyle {
  const rng = makeRng(seed);
  const mv = () => (rng.next() < 0.5 ? 'C' : 'D');
  const transitions: unknown[] = [];
  for (let s = 1; s <= states; s++) for (const o of ['C', 'D']) transitions.push([s, o, 1 + rng.int(states), mv()]);
  return poolFromJson({ styles: [{ name: `t${seed}`, group: 'g', kind: 'fsm-table', initialState: 1, initialMove: mv(), transitions }] }).styles[0]!;
}

describe('exact best response by dynamic programming', () => {
  it('equals brute force over all action sequences on random small FSMs (T ≤ 8)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const style = randomTable(seed, 1 + (seed % 4));
      for (const T of [1, 3, 6, 8]) {
        const bf = bruteForceDeterministic(style, T);
        const opt = optimum(style, T);
        expect(opt.best).toBeCloseTo(bf.best, 10);
        expect(opt.worst).toBeCloseTo(bf.worst, 10);
      }
    }
  });

  it('equals expectimax over full histories for stochastic memory-1 and memory-2 co-players and generated strategies', () => {
    const specs: StyleSpec[] = [
      { name: 'm1', group: 'g', kind: 'memory', n: 1, start: 0.3, p: { CC: 0.9, CD: 0.2, DC: 0.6, DD: 0.1 } },
      { name: 'm2', group: 'g', kind: 'memory', n: 2, start: 0.7, p: { '??,?C': 0.8, '??,?D': 0.3, 'CC,DD': 0.55 }, noise: 0.05 },
    ];
    // switches early enough for the horizon to reach the second part; the first part an fsm with implicit stays
    specs.push({
      name: 'sw',
      group: 'g',
      kind: 'switch',
      at: 2,
      first: { kind: 'fsm', initial: 'a', states: { a: { p: 0.8, next: { '?D': 'b' } }, b: { p: 0.1 } }, noise: 0.1 },
      then: { kind: 'memory', n: 1, start: 0.4, p: { CC: 0.9, CD: 0.1, DC: 0.7, DD: 0.3 } },
    } as StyleSpec);
    for (let seed = 1; seed <= 30; seed++) specs.push(generateStrategy(3_000_000 + seed));
    for (const spec of specs) {
      const style = compileStyle(spec);
      for (const T of [1, 2, 5]) expect(optimum(style, T).best).toBeCloseTo(bruteForceTree(style, T), 9);
    }
  });

  it('knows the textbook answers', () => {
    const pool = poolFromJson({
      styles: [
        { name: 'alld', group: 'g', kind: 'memory', n: 1, start: 0, p: { '??': 0 } },
        { name: 'allc', group: 'g', kind: 'memory', n: 1, start: 1, p: { '??': 1 } },
        { name: 'tft', group: 'g', kind: 'memory', n: 1, start: 1, p: { '?C': 1, '?D': 0 } },
        { name: 'grim', group: 'g', kind: 'fsm', initial: 'nice', states: { nice: { p: 1, next: { '?D': 'angry' } }, angry: { p: 0 } } },
      ],
    });
    const [alld, allc, tft, grim] = pool.styles as [CompiledStyle, CompiledStyle, CompiledStyle, CompiledStyle];
    expect(optimum(alld, 100).best).toBe(0);
    expect(optimum(alld, 100).worst).toBe(-100);
    expect(optimum(allc, 100).best).toBe(200);
    // cooperate for 99 rounds, defect in the last
    expect(optimum(tft, 100).best).toBe(99 + 2);
    expect(optimum(grim, 100).best).toBe(101);
    expect(exactPayoff(titForTat(), tft, 100)).toBe(100);
    expect(fractionOfOptimum(exactPayoff(titForTat(), tft, 100), optimum(tft, 100))).toBeLessThan(1);
    expect(exactPayoff(titForTat(), alld, 100)).toBe(-1);
    expect(exactPayoff(winStayLoseShift(), alld, 100)).toBe(-50);
  });

  it('refuses a co-player with a hidden random timer, naming it', () => {
    const pool = poolFromJson({ styles: [{ name: 'flip', group: 'g', kind: 'fsm', initial: 'a', states: { a: { p: 1, after: { min: 5, max: 10, to: 'b' } }, b: { p: 0 } } }] });
    expect(() => optimum(pool.styles[0]!, 10)).toThrow(OptimumError);
    expect(() => optimum(pool.styles[0]!, 10)).toThrow(/style "flip" has a random timer/);
  });
});
