import { describe, expect, it } from 'vitest';
import { openRun } from '../../../data/index.js';
import {
  calibrateThreshold,
  ccaViews,
  dictionaryViews,
  evaluateScored,
  falseAlarmsAt,
  fitDetector,
  loadEpisodes,
  resolveEventSpec,
  scoreEpisodes,
  selectEpisodes,
} from '../../../conflicts/index.js';
import { makeRng } from '../../../util/random.js';
import { tempDir } from '../../helpers/tmp.js';
import { tinyCoder, writeTinyRun } from '../helpers/tinyConflicts.js';

describe('calibration to a target false-alarm rate', () => {
  it('picks the lowest threshold whose false-alarm rate on the calibration data is at most the target', () => {
    const rng = makeRng(4);
    const eps = Array.from({ length: 20 }, () => ({ scores: Float64Array.from({ length: 500 }, () => rng.normal()), labels: new Int8Array(500) }));
    for (const far of [0.05, 0.01, 0.002]) {
      const c = calibrateThreshold(eps, far, 1);
      expect(c.nullSteps).toBe(10_000);
      expect(c.achievedRate).toBeLessThanOrEqual(far);
      // As low as allowed: the achieved rate is close to the target, and a clearly lower
      // threshold exceeds it.
      expect(c.achievedRate).toBeGreaterThan(0.8 * far);
      expect(falseAlarmsAt(eps, c.threshold - 0.1, 1) / c.nullSteps).toBeGreaterThan(far);
    }
    // Ignored steps (labels ≠ 0) never count as false alarms.
    const ignored = eps.map((e) => ({ scores: e.scores, labels: new Int8Array(500).fill(-1) }));
    expect(calibrateThreshold(ignored, 0.01, 1).threshold).toBe(Infinity);
  });

  for (const [name, far] of [
    ['dictionary views', 0.01],
    ['raw CCA', 0.003],
  ] as const) {
    it(`hits the target rate on held-out null episodes within tolerance (${name}, far ${far})`, () => {
      const root = tempDir('tl-conflicts-cal-');
      const data = writeTinyRun(root, 'null', { episodes: 60, steps: 200, fraction: 0, seed: 21 });
      const all = loadEpisodes(openRun(data.dir));
      const ref = selectEpisodes(all, (e) => e.episode < 30);
      const held = selectEpisodes(all, (e) => e.episode >= 30);
      const views = name === 'raw CCA' ? ccaViews(4, { randomFeatures: 0 }) : dictionaryViews(tinyCoder(data), 'shared', { randomFeatures: 0 });
      const det = fitDetector(ref, {
        events: resolveEventSpec(all.agents, all.columnSpecs),
        views,
        config: { far, calibrationFraction: 0.5, mode: 'disagreement' },
      });
      expect(det.calibration.nullSteps).toBe(15 * 200);
      expect(det.calibration.achievedRate).toBeLessThanOrEqual(far);
      const ev = evaluateScored(scoreEpisodes(det, held).episodes, 30, { resamples: 10 });
      const rate = ev.falseAlarms / ev.steps;
      // Binomial-scale tolerance: the held-out count is within a factor ~2.5 of the target.
      expect(rate).toBeGreaterThan(far / 2.5);
      expect(rate).toBeLessThan(far * 2.5);
    });
  }
});
