import { describe, expect, it } from 'vitest';
import { bandLayout } from '../../web/src/charts/bandLayout.js';

describe('bandLayout', () => {
  it('puts shared latents first, then each agent\'s private ones, other classes, dead last', () => {
    const classes = ['dead', 'private-B', 'shared', 'private-A', 'shared', 'individual(A)', 'unknown', 'private-A'];
    const l = bandLayout(classes);
    expect(l.bands).toEqual([
      { name: 'shared', start: 0, count: 2 },
      { name: 'private-A', start: 2, count: 2 },
      { name: 'private-B', start: 4, count: 1 },
      { name: 'individual(A)', start: 5, count: 1 },
      { name: 'unknown', start: 6, count: 1 },
      { name: 'dead', start: 7, count: 1 },
    ]);
    expect(Array.from(l.order)).toEqual([2, 4, 3, 7, 1, 5, 6, 0]);
    for (let p = 0; p < classes.length; p++) expect(l.position[l.order[p]!]).toBe(p);
  });
});
