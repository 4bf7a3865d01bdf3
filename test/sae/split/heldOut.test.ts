// The episodes held out of training: every 5th by default, a smaller stride when a run has too few
// episodes for that, none when even every 2nd leaves under 256 rows on a side.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRun } from '../../../data/index.js';
import { countRows, effectiveHoldout, rowsPerEpisode } from '../../../sae/split/heldOut.js';
import { tempDir } from '../../helpers/tmp.js';

function writeRun(episodes: number, steps: number): string {
  const dir = join(tempDir('tl-holdout-'), `e${episodes}`);
  const w = createRun(dir, { source: { kind: 'test' }, agents: ['A', 'B'].map((id) => ({ id, hiddenSize: 2, columns: [] })), flushIntervalMs: 0 });
  for (let e = 0; e < episodes; e++) {
    const step = Array.from({ length: steps }, (_, t) => t);
    for (const id of ['A', 'B']) w.append(id, { episode: step.map(() => e), step, hidden: new Float32Array(steps * 2).fill(e) });
  }
  w.close();
  return dir;
}

describe('effectiveHoldout', () => {
  it('keeps every 5th episode out when the run has enough of them', () => {
    const dir = writeRun(10, 300);
    expect(effectiveHoldout([dir], ['A', 'B'], 5)).toBe(5);
    expect(countRows(rowsPerEpisode([dir], ['A', 'B']), 5)).toEqual({ train: 2400, heldout: 600 });
  });

  it('holds the last of 2–4 episodes out with a smaller stride, and none of one', () => {
    expect(effectiveHoldout([writeRun(4, 300)], ['A', 'B'], 5)).toBe(4);
    expect(effectiveHoldout([writeRun(3, 300)], ['A', 'B'], 5)).toBe(3);
    expect(effectiveHoldout([writeRun(2, 300)], ['A', 'B'], 5)).toBe(2);
    expect(effectiveHoldout([writeRun(1, 3000)], ['A', 'B'], 5)).toBe(0);
    // Two short episodes: each side would keep under 256 rows.
    expect(effectiveHoldout([writeRun(2, 200)], ['A', 'B'], 5)).toBe(0);
    expect(effectiveHoldout([writeRun(4, 300)], ['A', 'B'], 0)).toBe(0);
  });
});
