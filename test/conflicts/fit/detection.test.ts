import { describe, expect, it } from 'vitest';
import { openRun } from '../../../data/index.js';
import {
  ccaViews,
  dictionaryViews,
  evaluateScored,
  fitDetector,
  loadEpisodes,
  resolveEventSpec,
  scoreEpisodes,
  selectEpisodes,
} from '../../../conflicts/index.js';
import { tempDir } from '../../helpers/tmp.js';
import { tinyCoder, writeTinyRun } from '../helpers/tinyConflicts.js';

describe('conflict detection on a tiny synthetic run with planted conflicts', () => {
  const root = tempDir('tl-conflicts-det-');
  const data = writeTinyRun(root, 'tiny', { episodes: 40, steps: 120, fraction: 0.5, seed: 3 });
  const run = openRun(data.dir);
  const all = loadEpisodes(run);
  const train = selectEpisodes(all, (e) => e.episode < 24);
  const test = selectEpisodes(all, (e) => e.episode >= 24);
  const events = resolveEventSpec(all.agents, all.columnSpecs);
  const H = 15;

  it('uses the run’s event column by default', () => {
    expect(events).toEqual({ kind: 'columns', columns: ['diverged'] });
  });

  for (const [name, views] of [
    ['dictionary shared views', dictionaryViews(tinyCoder(data), 'shared', { randomFeatures: 0 })],
    ['raw canonical correlation, random features', ccaViews(4, { randomFeatures: 24 })],
  ] as const) {
    it(`flags held-out planted conflicts before behaviour diverges (${name})`, () => {
      const det = fitDetector(train, { events, views, config: { horizon: H, far: 0.005, mode: 'disagreement' } });
      const { episodes } = scoreEpisodes(det, test);
      const ev = evaluateScored(episodes, H, { resamples: 100 });
      const planted = data.conflicts.filter((c) => c.episode >= 24);
      expect(ev.conflicts).toBe(planted.length);
      expect(ev.detectionRate).toBeGreaterThanOrEqual(0.85);
      expect(ev.auroc).toBeGreaterThan(0.75);
      expect(ev.medianLead).toBeGreaterThanOrEqual(6);
      expect(ev.falseAlarmsPer1000).toBeLessThan(8);
    });
  }
});
