import { describe, expect, it } from 'vitest';
import type { ColumnSpec } from '../../../data/index.js';
import { episodeEvents, makeEventPredicate, resolveEventSpec } from '../../../conflicts/index.js';

const specs: ColumnSpec[][] = [
  [
    { name: 'action', type: 'int32', role: 'action' },
    { name: 'defected', type: 'bool', role: 'event' },
    { name: 'answer', type: 'utf8', role: 'text' },
  ],
  [
    { name: 'action', type: 'int32', role: 'action' },
    { name: 'defected', type: 'bool', role: 'event' },
    { name: 'answer', type: 'utf8', role: 'text' },
  ],
];
const cols = [
  { action: [0, 0, 1, 1, 0], defected: [false, false, true, false, false], answer: ['a', 'b', 'c', 'c', 'x'] },
  { action: [0, 1, 1, 0, 0], defected: [false, false, false, false, true], answer: ['a', 'b', 'c', 'd', 'x'] },
];

describe('behavioural events', () => {
  it('default to the run’s event columns, else to actions differing', () => {
    expect(resolveEventSpec(['A', 'B'], specs)).toEqual({ kind: 'columns', columns: ['defected'] });
    const noEvents = specs.map((cs) => cs.filter((c) => c.role !== 'event'));
    expect(resolveEventSpec(['A', 'B'], noEvents)).toEqual({ kind: 'rule', rule: 'actions differ' });
    // No behaviour recorded at all (hidden states only): no events, never a conflict state.
    expect(resolveEventSpec(['A', 'B'], [[], []])).toEqual({ kind: 'none' });
    expect(makeEventPredicate({ kind: 'none' }, ['A', 'B'], [[], []])(cols, 2)).toBe(false);
    // Some behaviour but nothing to read events from: name one (the columns are listed).
    const textOnly = [[{ name: 'answer', type: 'utf8', role: 'text' }], []] as typeof specs;
    expect(() => resolveEventSpec(['A', 'B'], textOnly)).toThrow(/--event/);
    expect(() => resolveEventSpec(['A', 'B'], textOnly)).toThrow(/answer/);
  });

  it('evaluate rules over behaviour columns', () => {
    const on = (rule: string) => {
      const p = makeEventPredicate({ kind: 'rule', rule }, ['A', 'B'], specs);
      return [0, 1, 2, 3, 4].map((r) => p(cols, r));
    };
    expect(on('actions differ')).toEqual([false, true, false, true, false]);
    expect(on('answer differs')).toEqual([false, false, false, true, false]);
    expect(on('any defected')).toEqual([false, false, true, false, true]);
    expect(on('A.action == 1')).toEqual([false, false, true, true, false]);
    expect(on('action > 0')).toEqual([false, true, true, true, false]);
    expect(on('B.answer == "x" or A.action != 0')).toEqual([false, false, true, true, true]);
    const col = makeEventPredicate({ kind: 'columns', columns: ['defected'] }, ['A', 'B'], specs);
    expect([0, 1, 2, 3, 4].map((r) => col(cols, r))).toEqual([false, false, true, false, true]);
  });

  it('reject rules it does not understand, naming what is available', () => {
    expect(() => resolveEventSpec(['A', 'B'], specs, { rule: 'actions wobble' })).toThrow(/not understood/);
    expect(() => resolveEventSpec(['A', 'B'], specs, { rule: 'C.action == 1' })).toThrow(/no agent 'C'/);
    expect(() => resolveEventSpec(['A', 'B'], specs, { column: 'nope' })).toThrow(/columns: action, defected, answer/);
    expect(() => resolveEventSpec(['A', 'B'], specs, { rule: 'actions differ', column: 'defected' })).toThrow(/not both/);
  });

  it('events are the rising edges of the conflict state', () => {
    const p = makeEventPredicate({ kind: 'rule', rule: 'actions differ' }, ['A', 'B'], specs);
    const c = [{ action: [0, 1, 1, 0, 1, 1] }, { action: [0, 0, 0, 0, 0, 0] }];
    const ev = episodeEvents(p, c, 6);
    expect(Array.from(ev.active)).toEqual([0, 1, 1, 0, 1, 1]);
    expect(ev.onsets).toEqual([1, 4]);
  });
});
