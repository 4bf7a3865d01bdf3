import { describe, expect, it } from 'vitest';
import { aurocDifference, episodeOutcome, evaluateOutcomes, evaluateScored, stepLabels, timeBlocks, type ScoredEpisode } from '../../../conflicts/index.js';
import { auroc } from '../../../util/auroc.js';
import { bootstrapGroups } from '../../../util/bootstrap.js';
import { median, quantile } from '../../../util/quantile.js';

function episode(id: number, n: number, onsets: number[], flags: number[], score?: (t: number) => number): ScoredEpisode {
  const active = new Uint8Array(n);
  for (const o of onsets) active[o] = 1;
  return { episode: id, step: Int32Array.from({ length: n }, (_, i) => i), score: Float64Array.from({ length: n }, (_, t) => score?.(t) ?? 0), active, onsets, flags };
}

describe('statistics', () => {
  it('AUROC on known inputs', () => {
    expect(auroc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(auroc([4, 3, 2, 1], [0, 0, 1, 1])).toBe(0);
    expect(auroc([1, 1, 1, 1], [0, 1, 0, 1])).toBe(0.5);
    // Pairs (pos, neg): (2,1) win, (2,3) loss, (4,1) win, (4,3) win → 3/4.
    expect(auroc([1, 2, 3, 4], [0, 1, 0, 1])).toBe(0.75);
    // A tie between a positive and a negative counts one half: (2,2) tie, (3,2) win → 3/4.
    expect(auroc([2, 2, 3], [0, 1, 1])).toBe(0.75);
    expect(auroc([1, NaN, 3], [0, 1, 1])).toBe(1);
    expect(auroc([1, 2], [1, 1])).toBeNaN();
  });

  it('quantiles interpolate like numpy', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('bootstrap intervals are seeded and bracket the estimate', () => {
    const groups = Array.from({ length: 40 }, (_, i) => i % 7);
    const mean = (g: readonly number[]) => g.reduce((s, x) => s + x, 0) / g.length;
    const a = bootstrapGroups(groups, mean, { resamples: 300, seed: 5 });
    const b = bootstrapGroups(groups, mean, { resamples: 300, seed: 5 });
    expect(a).toEqual(b);
    expect(a.lo).toBeLessThan(a.estimate);
    expect(a.hi).toBeGreaterThan(a.estimate);
    expect(bootstrapGroups(groups, mean, { resamples: 300, seed: 6 })).not.toEqual(a);
  });
});

describe('lead time, detection and false alarms', () => {
  it('labels steps before, during and after a conflict', () => {
    const y = stepLabels(Int32Array.from({ length: 12 }, (_, i) => i), Uint8Array.from([0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]), [6], 3, 2);
    expect(Array.from(y)).toEqual([0, 0, 0, 1, 1, 1, -1, -1, -1, 0, 0, 0]);
    const rest = stepLabels(Int32Array.from({ length: 8 }, (_, i) => i), new Uint8Array(8), [5], 2);
    expect(Array.from(rest)).toEqual([0, 0, 0, 1, 1, -1, -1, -1]);
  });

  it('computes lead from the earliest flag inside the horizon; flags outside are false alarms', () => {
    // Conflict at step 50, H = 10: flags at 20 (false alarm), 43 (early, lead 7), 47 (also early).
    const o = episodeOutcome(episode(0, 100, [50], [20, 43, 47]), 10);
    expect(o.conflicts).toEqual([{ episode: 0, step: 50, windowStart: 40, flaggedBefore: true, lead: 7 }]);
    expect(o.falseAlarms).toBe(1);
    // A flag at the conflict step itself is not "before"; a flag 11 steps early is outside H.
    const late = episodeOutcome(episode(1, 100, [50], [39, 50]), 10);
    expect(late.conflicts[0]!.flaggedBefore).toBe(false);
    expect(late.conflicts[0]!.lead).toBeNull();
    expect(late.falseAlarms).toBe(1);
  });

  it('aggregates over episodes: rate, median lead, false alarms per 1000 steps, AUROC', () => {
    const ramp = (te: number) => (t: number) => (t >= te - 10 && t < te ? 1 + (t - te + 10) : 0);
    const eps = [episode(0, 200, [100], [95], ramp(100)), episode(1, 200, [150], [141], ramp(150)), episode(2, 200, [], [10, 120]), episode(3, 200, [80], [])];
    const ev = evaluateScored(eps, 10, { resamples: 200, seed: 1 });
    expect(ev.conflicts).toBe(3);
    expect(ev.flaggedBefore).toBe(2);
    expect(ev.detectionRate).toBeCloseTo(2 / 3, 10);
    expect(ev.leads.sort()).toEqual([5, 9]);
    expect(ev.medianLead).toBe(7);
    expect(ev.falseAlarms).toBe(2);
    expect(ev.falseAlarmsPer1000).toBeCloseTo((1000 * 2) / 800, 10);
    expect(ev.auroc).toBeGreaterThan(0.6);
    expect(ev.ci.auroc.lo).toBeLessThanOrEqual(ev.auroc);
    expect(ev.ci.detectionRate.hi).toBeGreaterThanOrEqual(ev.detectionRate);
  });

  it('paired AUROC differences use the same resamples', () => {
    const good = [0, 1, 2, 3, 4, 5].map((i) => episodeOutcome(episode(i, 60, [40], [], (t) => (t >= 30 && t < 40 ? 1 : 0)), 10));
    const bad = [0, 1, 2, 3, 4, 5].map((i) => episodeOutcome(episode(i, 60, [40], [], (t) => Math.sin(t * 7.1 + i)), 10));
    const d = aurocDifference(good, bad, { resamples: 200 });
    expect(d.estimate).toBeGreaterThan(0.3);
    expect(d.lo).toBeGreaterThan(0);
  });
});

describe('a single scored episode: intervals over time blocks', () => {
  // 800 steps, conflicts at 500 and 700 (H 10; steps after the first are unlabelled); flags at 50 and
  // 150 (false alarms), 490 (early: detects the first), 640 (after it: neither).
  const one = () => episodeOutcome(episode(0, 800, [500, 700], [50, 150, 490, 640], (t) => Math.sin(t / 3) + (t >= 490 && t < 500 ? 2 : 0)), 10);

  it('cuts it into consecutive blocks whose counts add up to the episode', () => {
    const o = one();
    const blocks = timeBlocks(o, 8)!;
    expect(blocks).toHaveLength(8);
    expect(blocks.reduce((s, b) => s + b.steps, 0)).toBe(800);
    expect(blocks.map((b) => b.conflicts.length)).toEqual([0, 0, 0, 0, 0, 1, 0, 1]);
    expect(o.falseAlarms).toBe(2);
    expect(blocks.reduce((s, b) => s + b.falseAlarms, 0)).toBe(o.falseAlarms);
    expect(blocks.reduce((s, b) => s + b.flags, 0)).toBe(4);
    expect(blocks[1]!.flagRows).toEqual([50]);
    expect(blocks.map((b) => b.falseAlarms)).toEqual([1, 1, 0, 0, 0, 0, 0, 0]);
    expect(timeBlocks({ ...o, flagRows: undefined }, 8)).toBeNull();
  });

  it('gives intervals with width around the unchanged point estimates, and says so', () => {
    const o = one();
    const e = evaluateOutcomes([o], 10, { resamples: 200, seed: 3 });
    const plain = evaluateOutcomes([o, { ...o, episode: 1 }], 10, { resamples: 200, seed: 3 });
    expect(e.bootstrap).toMatchObject({ unit: 'time block', blocks: 8 });
    expect(plain.bootstrap.unit).toBe('episode');
    expect(e.detectionRate).toBe(0.5);
    expect(e.falseAlarms).toBe(2);
    expect(e.ci.detectionRate.hi - e.ci.detectionRate.lo).toBeGreaterThan(0);
    expect(e.ci.falseAlarmsPer1000.lo).toBeLessThanOrEqual(e.falseAlarmsPer1000);
    expect(e.ci.falseAlarmsPer1000.hi).toBeGreaterThan(e.falseAlarmsPer1000);
  });
});
