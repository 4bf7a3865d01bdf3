import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../util/wilsonInterval.js';

describe('wilsonInterval', () => {
  it('matches the textbook Wilson score interval', () => {
    // 8 of 10 at 95 %: [0.4902, 0.9433]
    const r = wilsonInterval(8, 10);
    expect(r.estimate).toBe(0.8);
    expect(r.lo).toBeCloseTo(0.4902, 4);
    expect(r.hi).toBeCloseTo(0.9433, 4);
  });

  it('stays inside [0, 1] at 0 and n successes and gives NaN for no trials', () => {
    expect(wilsonInterval(0, 20).lo).toBe(0);
    expect(wilsonInterval(0, 20).hi).toBeGreaterThan(0);
    expect(wilsonInterval(20, 20).hi).toBe(1);
    expect(wilsonInterval(20, 20).lo).toBeLessThan(1);
    expect(wilsonInterval(0, 0).estimate).toBeNaN();
  });
});
