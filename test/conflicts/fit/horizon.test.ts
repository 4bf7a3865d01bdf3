import { describe, expect, it } from 'vitest';
import {
  HORIZON_LAG_AUROC,
  HORIZON_RANGE,
  horizonFromLagAuroc,
} from '../../../conflicts/fit/fitDetector.js';

// lag curves (index l − 1 = lag l), as chooseHorizon reads them off calibration episodes
const curve = (f: (lag: number) => number) =>
  Array.from({ length: HORIZON_RANGE.max }, (_, i) => f(i + 1));

describe('horizonFromLagAuroc', () => {
  it('is the last lag of the run from lag 1 that reaches the bar', () => {
    const c = curve((l) => 0.99 - 0.03 * l); // 0.70 is reached at lag 9 (0.72), not at lag 10 (0.69)
    expect(c[8]).toBeGreaterThanOrEqual(HORIZON_LAG_AUROC);
    expect(c[9]).toBeLessThan(HORIZON_LAG_AUROC);
    expect(horizonFromLagAuroc(c)).toEqual({ horizon: 9, signal: true });
  });

  it('stops at the low point where the curve turns back up above the bar', () => {
    // falls to 0.72 at lag 16, then climbs back to 0.92 around lag 35 (a few episodes whose
    // level sits high), never dipping under 0.7: the old rule read horizon 52 off this
    const c = curve((l) =>
      l <= 16 ? 0.99 - (0.27 * (l - 1)) / 15 : 0.72 + 0.2 * Math.exp(-(((l - 35) / 10) ** 2)),
    );
    expect(Math.min(...c.slice(0, 52))).toBeGreaterThanOrEqual(HORIZON_LAG_AUROC);
    expect(horizonFromLagAuroc(c)).toEqual({ horizon: 16, signal: true });
  });

  it('lets small wiggles pass', () => {
    const c = curve((l) => (l <= 12 ? 0.95 - 0.01 * l + (l % 2 ? 0.01 : 0) : 0.6));
    expect(horizonFromLagAuroc(c).horizon).toBe(12);
  });

  it('falls back to the smallest horizon, without signal, when lag 1 misses the bar', () => {
    expect(horizonFromLagAuroc(curve(() => 0.55))).toEqual({
      horizon: HORIZON_RANGE.min,
      signal: false,
    });
    expect(horizonFromLagAuroc(curve(() => NaN))).toEqual({
      horizon: HORIZON_RANGE.min,
      signal: false,
    });
  });

  it('never goes past the range', () => {
    expect(horizonFromLagAuroc(curve(() => 0.9)).horizon).toBe(HORIZON_RANGE.max);
  });
});

describe('horizonFromLagAuroc before the peak', () => {
  it('does not stop while the curve climbs to its peak a few lags back', () => {
    // as read on a recurrent development run: 0.944 at lag 1 rising to 0.966 at lag 5, then falling
    const c = curve((l) => (l <= 5 ? 0.94 + 0.0065 * (l - 1) : 0.966 - 0.06 * (l - 5)));
    expect(horizonFromLagAuroc(c)).toEqual({ horizon: 9, signal: true });
  });
});
