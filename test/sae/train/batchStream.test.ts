// The shuffled batch stream: replaying the first pass from memory (when the data fit the
// buffer) must give exactly the batches that reading the files every pass gives.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ShuffledBatches } from '../../../sae/train/batchStream.js';
import { tempDir } from '../../helpers/tmp.js';
import { writePairedRun } from '../pairedData.js';

function batches(s: ShuffledBatches, n: number): Float32Array[][] {
  const out: Float32Array[][] = [];
  for (let i = 0; i < n; i++) out.push(s.next().xs.map((x) => x.slice()));
  return out;
}

describe('ShuffledBatches', () => {
  const base = () => ({ runs: [writePairedRun(join(tempDir(), 'run'), { rows: 600, seed: 3 }).dir], agents: ['A', 'B'], batchSize: 64, seed: 5, episodes: (e: number) => e % 3 !== 0 });

  it('replays the first pass from memory when the kept rows fit the buffer, with the same batches as re-reading', () => {
    const o = base();
    const replayed = new ShuffledBatches({ ...o, bufferRows: 1000 });
    const reread = new ShuffledBatches({ ...o, bufferRows: 1000, replay: false });
    const a = batches(replayed, 40);
    const b = batches(reread, 40);
    expect(replayed.epoch).toBeGreaterThanOrEqual(4);
    expect(replayed.replaying).toBe(true);
    expect(reread.replaying).toBe(false);
    expect(a).toEqual(b);
    expect(replayed.rowsRead).toBe(reread.rowsRead);
  });

  it('reads the files every pass when the data are larger than the buffer', () => {
    const s = new ShuffledBatches({ ...base(), bufferRows: 128 });
    batches(s, 30);
    expect(s.epoch).toBeGreaterThanOrEqual(3);
    expect(s.replaying).toBe(false);
  });
});
