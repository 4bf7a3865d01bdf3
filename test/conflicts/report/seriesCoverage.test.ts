// report.json keeps the score series of every scored episode (the workbench's score curve
// draws them all); the HTML report charts a few, named by chartEpisodes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ccaViews, chartSeries, detectRun } from '../../../conflicts/index.js';
import { writeTinyRun } from '../helpers/tinyConflicts.js';

describe('report score series', () => {
  const root = mkdtempSync(join(tmpdir(), 'tl-series-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('covers every scored episode, step for step; the HTML chart takes at most seriesLimit of them', () => {
    const data = writeTinyRun(root, 'run', { episodes: 60, steps: 40, seed: 3 });
    const { report } = detectRun({ runDir: data.dir, views: ccaViews(3, { randomFeatures: 0 }), config: { horizon: 10, far: 0.05, mode: 'disagreement' }, resamples: 20 });
    expect(report.scored.episodes).toBeGreaterThan(12);
    expect(report.series.map((s) => s.episode)).toEqual([...report.scored.episodeIds].sort((a, b) => a - b));
    expect(report.series.reduce((n, s) => n + s.step.length, 0)).toBe(report.scored.steps);
    const charted = chartSeries(report);
    expect(charted.length).toBe(12);
    expect(charted.map((s) => s.episode)).toEqual(report.chartEpisodes);
  });
});
