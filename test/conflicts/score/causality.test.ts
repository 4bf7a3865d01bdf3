import { describe, expect, it } from 'vitest';
import { openRun } from '../../../data/index.js';
import {
  ConflictScorer,
  behaviourOnly,
  ccaViews,
  detectorFromJson,
  detectorToJson,
  dictionaryViews,
  episodeRows,
  fitDetector,
  loadEpisodes,
  resolveEventSpec,
  selectEpisodes,
  type Detector,
  type Episode,
} from '../../../conflicts/index.js';
import { makeRng } from '../../../util/random.js';
import { tempDir } from '../../helpers/tmp.js';
import { tinyCoder, writeTinyRun } from '../helpers/tinyConflicts.js';

/** A copy of the episode with every step after t replaced by noise and flipped behaviour. */
function scrambledAfter(e: Episode, t: number, seed: number): Episode {
  const rng = makeRng(seed);
  const hidden = e.hidden.map((h) => {
    const c = h.slice();
    const d = c.length / e.length;
    for (let i = (t + 1) * d; i < c.length; i++) c[i] = 5 * rng.normal();
    return c;
  });
  const columns = e.columns.map((cols) =>
    Object.fromEntries(
      Object.entries(cols).map(([k, v]) => [k, v.map((x, r) => (r <= t ? x : typeof x === 'boolean' ? !x : typeof x === 'number' ? x + 1 + rng.int(3) : x))]),
    ),
  );
  return { ...e, hidden, columns };
}

describe('scores are strictly causal', () => {
  const root = tempDir('tl-conflicts-causal-');
  const data = writeTinyRun(root, 'tiny', { episodes: 16, steps: 80, seed: 11 });
  const all = loadEpisodes(openRun(data.dir));
  const train = selectEpisodes(all, (e) => e.episode < 10);
  const events = resolveEventSpec(all.agents, all.columnSpecs);
  const detectors: [string, Detector][] = [
    ['combined, dictionary views', fitDetector(train, { events, views: dictionaryViews(tinyCoder(data), 'shared', { randomFeatures: 16 }), config: { horizon: 15, far: 0.01 } })],
    ['disagreement, raw CCA', fitDetector(train, { events, views: ccaViews(4, { randomFeatures: 0 }), config: { horizon: 15, far: 0.01, mode: 'disagreement' } })],
    ['behaviour baseline', fitDetector(train, { events, views: behaviourOnly, config: { horizon: 15, far: 0.01 } })],
  ];

  for (const [name, det] of detectors) {
    it(`changing steps after t never changes the score or flags at t (${name})`, () => {
      const e = all.episodes.find((x) => x.episode === 12)!;
      const base = new ConflictScorer(det).push(episodeRows(e));
      for (const t of [0, 17, 40, 79]) {
        const s = new ConflictScorer(det).push(episodeRows(scrambledAfter(e, t, t)));
        expect(Array.from(s.score.subarray(0, t + 1))).toEqual(Array.from(base.score.subarray(0, t + 1)));
        expect(s.flagRows.filter((r) => r <= t)).toEqual(base.flagRows.filter((r) => r <= t));
        if (t < 79 && !name.startsWith('behaviour')) expect(Array.from(s.score.subarray(t + 1))).not.toEqual(Array.from(base.score.subarray(t + 1)));
      }
    });
  }

  it('scoring in live batches gives the same scores and flags as one pass, and survives a JSON round trip', () => {
    const det = detectors[0]![1];
    const again = detectorFromJson(JSON.parse(JSON.stringify(detectorToJson(det))));
    const test = selectEpisodes(all, (e) => e.episode >= 10);
    for (const e of test.episodes) {
      const whole = new ConflictScorer(det).push(episodeRows(e));
      const live = new ConflictScorer(again);
      const rows = episodeRows(e);
      const scores: number[] = [];
      const flags: number[] = [];
      for (let at = 0; at < e.length; at += 7) {
        const n = Math.min(7, e.length - at);
        const part = {
          length: n,
          episode: Int32Array.from(rows.episode as Int32Array).subarray(at, at + n),
          step: e.step.subarray(at, at + n),
          hidden: e.hidden.map((h) => h.subarray((at * h.length) / e.length, ((at + n) * h.length) / e.length)),
          columns: e.columns.map((c) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v.slice(at, at + n)]))),
        };
        const s = live.push(part);
        scores.push(...s.score);
        flags.push(...s.flagRows.map((r) => r + at));
      }
      expect(scores).toEqual(Array.from(whole.score));
      expect(flags).toEqual(whole.flagRows);
    }
  });
});
