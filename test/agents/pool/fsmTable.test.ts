import { describe, expect, it } from 'vitest';
import { makeRng } from '../../../util/random.js';
import { PoolError, poolFromJson, StylePlayers, type Pool } from '../../../agents/pool/index.js';

const C = 0;
const D = 1;

function respond(p: Pool, opponent: number[]): number[] {
  const players = new StylePlayers(p.styles, 1, makeRng(1));
  players.reset([0]);
  const out: number[] = [];
  const act = new Int32Array(1);
  for (const o of opponent) {
    players.act(act);
    out.push(act[0]!);
    players.observe(act, [o]);
  }
  return out;
}

// Axelrod-library style table: the "Fortress3"-like shape (state, opp move, next, own move).
const table = (rows: unknown[], extra: Record<string, unknown> = {}) => ({ styles: [{ name: 'paper', group: 'papers', kind: 'fsm-table', initialState: 1, initialMove: 'D', transitions: rows, ...extra }] });

describe('FSM transition tables in the pool format', () => {
  it('plays a table as (state, co-player move) → (next state, own move)', () => {
    // tit-for-tat as a one-state table, but starting with D (suspicious TFT)
    const p = poolFromJson(table([[1, 'C', 1, 'C'], [1, 'D', 1, 'D']]));
    const opp = [C, D, D, C, C, D];
    expect(respond(p, opp)).toEqual([D, ...opp.slice(0, -1)]);
  });

  it('runs a multi-state table: defect until the co-player cooperates twice in a row, then tit-for-tat', () => {
    const p = poolFromJson(
      table([
        ['wary', 'D', 'wary', 'D'],
        ['wary', 'C', 'half', 'D'],
        ['half', 'D', 'wary', 'D'],
        ['half', 'C', 'tft', 'C'],
        ['tft', 'C', 'tft', 'C'],
        ['tft', 'D', 'tft', 'D'],
      ], { initialState: 'wary' }),
    );
    expect(respond(p, [C, C, C, D, C, C])).toEqual([D, D, C, C, D, C]);
  });

  it('rejects a missing transition with one line naming the field', () => {
    expect(() => poolFromJson(table([[1, 'C', 2, 'C'], [1, 'D', 1, 'D'], [2, 'C', 1, 'D']]), 'p.json')).toThrow(PoolError);
    try {
      poolFromJson(table([[1, 'C', 2, 'C'], [1, 'D', 1, 'D'], [2, 'C', 1, 'D']]), 'p.json');
    } catch (err) {
      const msg = (err as Error).message;
      expect(msg).toMatch(/style #0 \("paper"\) field "transitions" has no row for state "2" and co-player move "D" \(missing transition\)/);
      expect(msg.split('\n')).toHaveLength(1);
    }
  });

  it('rejects an unknown state, naming the row and column', () => {
    expect(() => poolFromJson(table([[1, 'C', 3, 'C'], [1, 'D', 1, 'D']]))).toThrow(/field "transitions\[0\]\[2\]" names state "3", which has no rows of its own \(unknown state/);
    expect(() => poolFromJson(table([[1, 'C', 1, 'C'], [1, 'D', 1, 'D']], { initialState: 'x' }))).toThrow(/field "initialState" must name a state with rows/);
  });

  it('rejects bad moves, duplicate rows and malformed rows', () => {
    expect(() => poolFromJson(table([[1, 'X', 1, 'C'], [1, 'D', 1, 'D']]))).toThrow(/field "transitions\[0\]\[1\]" must be the co-player's move "C" or "D"/);
    expect(() => poolFromJson(table([[1, 'C', 1, 'C'], [1, 'C', 1, 'D']]))).toThrow(/repeats the row for state "1" and co-player move "C"/);
    expect(() => poolFromJson(table([[1, 'C', 1]]))).toThrow(/field "transitions\[0\]" must be a row/);
    expect(() => poolFromJson(table([[1, 'C', 1, 'C'], [1, 'D', 1, 'D']], { initialMove: 'c' }))).toThrow(/field "initialMove" must be "C" or "D"/);
  });

  it('the older fsm kind still rejects an unknown state in "next"', () => {
    expect(() => poolFromJson({ styles: [{ name: 'g', group: 'g', kind: 'fsm', initial: 'a', states: { a: { p: 1, next: { '?D': 'zz' } } } }] })).toThrow(/field "states.a.next.\?D" must name a state, got "zz"/);
  });
});

describe('switch styles', () => {
  it('plays the first style for `at` rounds, then the second from its start', () => {
    const p = poolFromJson({
      styles: [
        {
          name: 'sw',
          group: 'g',
          kind: 'switch',
          at: 3,
          first: { kind: 'memory', n: 1, start: 1, p: { '??': 1 } },
          then: { kind: 'fsm-table', initialState: 1, initialMove: 'D', transitions: [[1, 'C', 1, 'C'], [1, 'D', 1, 'D']] },
        },
      ],
    });
    expect(respond(p, [D, D, D, C, D, C])).toEqual([C, C, C, D, C, D]);
  });

  it('rejects timers, random tables and nesting inside a switch', () => {
    const sw = (first: unknown) => ({ styles: [{ name: 'sw', group: 'g', kind: 'switch', at: 3, first, then: { kind: 'memory', n: 1, start: 1, p: { '??': 1 } } }] });
    expect(() => poolFromJson(sw({ kind: 'random-memory', n: 1, dist: 'uniform' }))).toThrow(/field "first.kind" must be "memory", "fsm" or "fsm-table" inside a switch/);
    expect(() => poolFromJson(sw({ kind: 'fsm', initial: 'a', states: { a: { p: 1, after: { min: 1, max: 2, to: 'a' } } } }))).toThrow(/field "first.states.a.after" is not allowed inside a switch/);
    expect(() => poolFromJson(sw({ kind: 'switch', at: 1 }))).toThrow(/field "first.kind" a switch cannot be nested/);
    expect(() => poolFromJson({ styles: [{ name: 'sw', group: 'g', kind: 'switch', at: 0, first: {}, then: {} }] })).toThrow(/field "at" must be an integer in 1\.\.1000/);
  });
});
