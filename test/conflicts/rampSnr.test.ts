import { describe, expect, it } from 'vitest';
import { rampSnr } from '../../bench/conflicts/rampSnr.js';

describe('rampSnr', () => {
  it('in white noise the matched filter is √Σ i² and an EWMA stays below it', () => {
    const n = 10;
    const { matched, ewma } = rampSnr(0, n, [0.3, 1]);
    const sumSq = (n * (n + 1) * (2 * n + 1)) / 6;
    expect(matched).toBeCloseTo(Math.sqrt(sumSq), 9);
    // λ = 1 reads the last step alone: SNR n.
    expect(ewma[1]).toBeCloseTo(n, 9);
    expect(ewma[0]!).toBeLessThan(matched);
  });

  it('the EWMA of weight 0.3 reaches over 80 % of the bound for the measured correlations', () => {
    for (const rho of [0.45, 0.65, 0.7]) {
      const { matched, ewma } = rampSnr(rho, 10, [0.3]);
      expect(ewma[0]! / matched).toBeGreaterThan(0.9);
      expect(ewma[0]! / matched).toBeLessThanOrEqual(1 + 1e-9);
    }
  });
});
