import { describe, expect, it } from 'vitest';
import { t95, tInterval } from '../../util/tInterval.js';

describe('tInterval', () => {
  it('is the mean ± t(0.975, n − 1)·sd/√n over the finite values', () => {
    // 1..5: mean 3, sd √2.5, t(4) 2.776
    const r = tInterval([1, 2, NaN, 3, 4, 5]);
    expect(r.n).toBe(5);
    expect(r.estimate).toBe(3);
    expect(r.hi - r.estimate).toBeCloseTo((2.776 * Math.sqrt(2.5)) / Math.sqrt(5), 6);
    expect(r.estimate - r.lo).toBeCloseTo(r.hi - r.estimate, 12);
  });
  it('gives the point for one value and NaN for none', () => {
    expect(tInterval([0.4])).toEqual({ estimate: 0.4, lo: 0.4, hi: 0.4, n: 1 });
    expect(tInterval([NaN]).n).toBe(0);
    expect(Number.isNaN(tInterval([]).estimate)).toBe(true);
  });
  it('approaches the normal quantile for many degrees of freedom', () => {
    expect(t95(1)).toBeCloseTo(12.706, 3);
    expect(t95(30)).toBeCloseTo(2.042, 3);
    expect(t95(1000)).toBeGreaterThan(1.96);
    expect(t95(1000)).toBeLessThan(1.97);
  });
});
