// kill -9 of a recording process: whatever was flushed stays readable, the run reads as
// stale (recording, writer gone) and the manifest never claims more than is on disk.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectKilledRunConsistent } from '../helpers/killedRun.js';
import { hiddenValue } from '../helpers/makeTestRun.js';
import { spawnTs } from '../helpers/childProcess.js';
import { tempDir } from '../helpers/tmp.js';
import { rowKey, type RecordChildOptions } from './fixtures/recordChild.js';

const recorder = fileURLToPath(new URL('./fixtures/recordChild.ts', import.meta.url));

const cases: (Omit<RecordChildOptions, 'dir' | 'close' | 'rows'> & { killAfterMs: number })[] = [
  // Small appends, partial batches flushed by the timer.
  {
    dims: [32, 16],
    rowsPerAppend: 7,
    batchRows: 50,
    flushIntervalMs: 5,
    pauseMs: 1,
    killAfterMs: 40,
  },
  {
    dims: [32, 16],
    rowsPerAppend: 7,
    batchRows: 50,
    flushIntervalMs: 5,
    pauseMs: 1,
    killAfterMs: 220,
  },
  // Big batches written as fast as possible: the kill may land inside a write.
  {
    dims: [4096],
    rowsPerAppend: 256,
    batchRows: 256,
    flushIntervalMs: 0,
    pauseMs: 0,
    killAfterMs: 60,
  },
  {
    dims: [4096, 512],
    rowsPerAppend: 300,
    batchRows: 256,
    flushIntervalMs: 0,
    pauseMs: 0,
    killAfterMs: 150,
  },
  {
    dims: [512],
    rowsPerAppend: 1000,
    batchRows: 2048,
    flushIntervalMs: 1,
    pauseMs: 0,
    killAfterMs: 5,
  },
];

describe('kill -9 of a recording process', () => {
  it.each(cases.map((c, i) => [i, c] as const))(
    'case %i: flushed batches stay readable, status stale, counts ≤ disk',
    async (_i, c) => {
      const dir = join(tempDir(), 'run');
      const opts: RecordChildOptions = { ...c, dir, rows: 10_000_000, close: true };
      const child = spawnTs(recorder, [JSON.stringify(opts)]);
      // Wait until at least one whole batch was written (appends write full batches at once).
      await child.waitFor(new RegExp(`^batch ${Math.ceil(c.batchRows / c.rowsPerAppend) - 1} `));
      await sleep(c.killAfterMs);
      child.proc.kill('SIGKILL');
      const { signal } = await child.exited;
      expect(signal, `the recorder ended on its own; stderr:\n${child.stderr()}`).toBe('SIGKILL');

      const { run, scans } = expectKilledRunConsistent(dir);
      // Each stream on its own: every complete batch, correct values, same truncation as scan().
      run.manifest.agents.forEach((ag, a) => {
        const reader = run.openAgent(ag.id, { reuseBuffer: true });
        let rows = 0;
        for (const b of reader.batches()) {
          for (let i = 0; i < b.length; i += 37) {
            const [e, t] = rowKey(b.rowOffset + i);
            expect([b.episode[i], b.step[i]]).toEqual([e, t]);
            expect(b.hidden[i * ag.hiddenSize + ag.hiddenSize - 1]).toBe(
              hiddenValue(a, e, t, ag.hiddenSize - 1),
            );
          }
          rows += b.length;
        }
        expect(rows).toBe(scans[a]!.rows);
        expect(reader.truncation).toEqual(scans[a]!.truncation);
        reader.close();
      });
      scans.forEach((s) => expect(s.rows).toBeGreaterThanOrEqual(c.batchRows));
      // The joined view never throws and pairs every row both agents have.
      let joined = 0;
      for (const b of run.joined({ reuseBuffer: true })) joined += b.length;
      expect(joined).toBe(Math.min(...scans.map((s) => s.rows)));
    },
  );
});
