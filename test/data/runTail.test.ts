import {
  appendFileSync,
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scanMessage, tailRun, type JoinedBatch } from '../../data/index.js';
import { hiddenValue, makeTestRun } from '../helpers/makeTestRun.js';
import { spawnTs } from '../helpers/childProcess.js';
import { tempDir } from '../helpers/tmp.js';
import { rowKey, type RecordChildOptions } from './fixtures/recordChild.js';

const recorder = fileURLToPath(new URL('./fixtures/recordChild.ts', import.meta.url));

/** Checks rows against the recorder's values; returns [rows, checksum of every hidden value]. */
function consume(b: JoinedBatch, dims: number[], nextRow: number): [number, number] {
  let sum = 0;
  for (let i = 0; i < b.length; i++) {
    const [e, t] = rowKey(nextRow + i);
    expect([b.episode[i], b.step[i]]).toEqual([e, t]);
    dims.forEach((d, a) => {
      const h = b.hidden[a]!;
      for (let k = 0; k < d; k++) {
        expect(h[i * d + k]).toBe(hiddenValue(a, e, t, k));
        sum += h[i * d + k]!;
      }
    });
    expect(b.columns[0]!.action![i]).toBe(t % 3);
  }
  return [b.length, sum];
}

describe('tailRun', () => {
  it('follows a writer in another process: every batch exactly once, ends when the writer closes', async () => {
    const dir = join(tempDir(), 'live');
    const opts: RecordChildOptions = {
      dir,
      dims: [16, 8],
      rows: 1500,
      rowsPerAppend: 25,
      batchRows: 64,
      flushIntervalMs: 15,
      pauseMs: 15,
      close: true,
    };
    const child = spawnTs(recorder, [JSON.stringify(opts)]);
    await child.waitFor(/^ready$/);
    expect(existsSync(join(dir, 'run.json'))).toBe(true);
    const tail = tailRun(dir, { pollMs: 5 });
    let rows = 0;
    let checksum = 0;
    let batches = 0;
    let seenWhileRecording = 0;
    for await (const b of tail) {
      const [n, s] = consume(b, opts.dims, rows);
      rows += n;
      checksum += s;
      batches++;
      if (!child.lines.some((l) => l.startsWith('done'))) seenWhileRecording += n;
    }
    const done = await child.waitFor(/^done /);
    expect((await child.exited).code).toBe(0);
    expect(rows).toBe(1500);
    expect(tail.rowsSeen).toBe(1500);
    // Same sum over every hidden value as the writer computed (same order of additions).
    expect(checksum).toBe(Number(done.split(' ')[1]));
    expect(tail.endStatus).toBe('complete');
    expect(tail.truncations).toEqual([null, null]);
    // It really tailed: rows arrived while the writer was still running (≈ 1 s), in many pieces.
    expect(seenWhileRecording).toBeGreaterThan(300);
    expect(batches).toBeGreaterThan(10);
  });

  it('ends on a stale run (writer killed) after handing out what is on disk', async () => {
    const dir = join(tempDir(), 'killed');
    const opts: RecordChildOptions = {
      dir,
      dims: [4],
      rows: 300,
      rowsPerAppend: 10,
      batchRows: 20,
      flushIntervalMs: 0,
      pauseMs: 0,
      close: false,
    };
    const child = spawnTs(recorder, [JSON.stringify(opts)]);
    await child.waitFor(/^flushed /);
    const tail = tailRun(dir, { pollMs: 5 });
    let rows = 0;
    const reading = (async () => {
      for await (const b of tail) rows += consume(b, opts.dims, rows)[0];
    })();
    await sleep(100);
    child.proc.kill('SIGKILL');
    await child.exited;
    await reading;
    expect(rows).toBe(300);
    expect(tail.endStatus).toBe('stale');
  });

  it('stops following when its signal is aborted', async () => {
    const { dir, writer } = makeTestRun(tempDir(), 'open', {
      episodes: 1,
      steps: 10,
      batchRows: 4,
      leaveOpen: true,
    });
    const ac = new AbortController();
    const tail = tailRun(dir, { pollMs: 5, signal: ac.signal });
    let rows = 0;
    setTimeout(() => ac.abort(), 150);
    for await (const b of tail) rows += b.length;
    expect(rows).toBe(8); // two full batches of 4; the last 2 rows are not flushed
    expect(tail.endStatus).toBe('recording');
    writer.close();
  });

  it('a stale run with a torn tail: complete batches, then the truncation is reported', async () => {
    const { dir, writer } = makeTestRun(tempDir(), 'torn', {
      episodes: 1,
      steps: 12,
      batchRows: 4,
      leaveOpen: true,
    });
    writer.flush();
    const file = join(dir, 'agents', 'A.arrows');
    const whole = readFileSync(file);
    // The first half of a copy of the last batch message at the end: what a kill mid-write
    // leaves behind.
    const fd = openSync(file, 'r');
    let last = { start: 0, end: 0 };
    for (let at = 0; ;) {
      const r = scanMessage(fd, at, whole.byteLength, file);
      if (r.kind !== 'message') break;
      last = { start: at, end: r.end };
      at = r.end;
    }
    closeSync(fd);
    const half = Math.floor((last.end - last.start) / 2);
    appendFileSync(file, whole.subarray(last.start, last.start + half));
    // Pretend the recorder died: a pid that has exited.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const manifestPath = join(dir, 'run.json');
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as { writer: { pid: number } };
    m.writer.pid = dead;
    writeFileSync(manifestPath, JSON.stringify(m));
    const tail = tailRun(dir, { pollMs: 5 });
    let rows = 0;
    for await (const b of tail) rows += b.length;
    expect(rows).toBe(12);
    expect(tail.endStatus).toBe('stale');
    expect(tail.truncations[0]).toMatchObject({ byteOffset: whole.byteLength, bytesDropped: half });
    expect(tail.truncations[1]).toBeNull();
  });

  it('a finished run is read to its end at once', async () => {
    const { dir } = makeTestRun(tempDir(), 'done', { episodes: 2, steps: 10, batchRows: 4 });
    const tail = tailRun(dir);
    let rows = 0;
    for await (const b of tail) rows += b.length;
    expect([rows, tail.endStatus]).toEqual([20, 'complete']);
  });
});
