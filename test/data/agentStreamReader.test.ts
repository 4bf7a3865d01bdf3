import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AgentStreamReader,
  FormatError,
  NotFoundError,
  openRun,
  scanMessage,
  type StreamBatch,
} from '../../data/index.js';
import { hiddenValue, makeTestRun } from '../helpers/makeTestRun.js';
import { tempDir } from '../helpers/tmp.js';

/** Byte ranges [start, end) of every message in an Arrow stream file (schema first). */
function messageRanges(file: string): { start: number; end: number; kind: string }[] {
  const size = readFileSync(file).byteLength;
  const fd = openSync(file, 'r');
  const out: { start: number; end: number; kind: string }[] = [];
  try {
    for (let at = 0; ;) {
      const r = scanMessage(fd, at, size, file);
      if (r.kind === 'eof' || r.kind === 'incomplete') break;
      out.push({
        start: at,
        end: r.end,
        kind: r.kind === 'end-of-stream' ? 'eos' : r.message.isSchema() ? 'schema' : 'batch',
      });
      at = r.end;
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

function checkRows(batches: StreamBatch[], d: number): number {
  let row = 0;
  for (const b of batches) {
    expect(b.rowOffset).toBe(row);
    for (let i = 0; i < b.length; i++, row++) {
      expect(b.step[i]).toBe(row);
      for (let k = 0; k < d; k++) expect(b.hidden[i * d + k]).toBe(hiddenValue(0, 0, row, k));
    }
  }
  return row;
}

describe('AgentStreamReader', () => {
  it('reads batch by batch with zero-copy hidden views and reports a clean end', () => {
    const { dir } = makeTestRun(tempDir(), 'r', {
      dims: [6],
      episodes: 1,
      steps: 30,
      batchRows: 8,
    });
    const reader = openRun(dir).openAgent('A');
    const batches = [...reader.batches()];
    expect(batches.map((b) => b.length)).toEqual([8, 8, 8, 6]);
    expect(batches.map((b) => b.index)).toEqual([0, 1, 2, 3]);
    // The hidden column is a view over the batch's own bytes: same buffer as the Arrow child.
    const child = batches[0]!.batch.getChild('hidden')!.data[0]!.children[0]!;
    expect(batches[0]!.hidden.buffer).toBe((child.values as Float32Array).buffer);
    expect(checkRows(batches, 6)).toBe(30);
    expect([reader.ended, reader.truncation, reader.rowsRead, reader.batchesRead]).toEqual([
      true,
      null,
      30,
      4,
    ]);
    expect(reader.schema!.fields.map((f) => f.name)).toEqual([
      'episode',
      'step',
      'hidden',
      'action',
      'reward',
      'defected',
    ]);
    reader.close();
  });

  it('with reuseBuffer returns the same values from one recycled buffer', () => {
    const { dir } = makeTestRun(tempDir(), 'r', {
      dims: [6],
      episodes: 1,
      steps: 30,
      batchRows: 8,
    });
    const reader = openRun(dir).openAgent('A', { reuseBuffer: true });
    const buffers = new Set<ArrayBufferLike>();
    let row = 0;
    for (const b of reader.batches()) {
      buffers.add(b.hidden.buffer);
      expect(b.rowOffset).toBe(row);
      row += b.length;
      for (let i = 0; i < b.length; i++)
        for (let k = 0; k < 6; k++)
          expect(b.hidden[i * 6 + k]).toBe(hiddenValue(0, 0, b.step[i]!, k));
    }
    expect(row).toBe(30);
    expect(buffers.size).toBe(1);
    // poll() hands out one batch at a time in this mode: they share one buffer.
    const polling = openRun(dir).openAgent('A', { reuseBuffer: true });
    expect(polling.poll().map((b) => b.index)).toEqual([0]);
    expect(polling.poll(5).map((b) => b.index)).toEqual([1]);
  });

  it('a torn last batch, cut at every byte: every complete batch comes back and the truncation is reported', () => {
    const { dir } = makeTestRun(tempDir(), 'torn', {
      dims: [6],
      episodes: 1,
      steps: 30,
      batchRows: 8,
    });
    const file = join(dir, 'agents', 'A.arrows');
    const whole = readFileSync(file);
    const ranges = messageRanges(file);
    expect(ranges.map((r) => r.kind)).toEqual([
      'schema',
      'batch',
      'batch',
      'batch',
      'batch',
      'eos',
    ]);
    const last = ranges[4]!;
    const run = openRun(dir);
    let cuts = 0;
    for (let cut = last.start + 1; cut < last.end; cut++, cuts++) {
      writeFileSync(file, whole.subarray(0, cut));
      const reader = run.openAgent('A');
      const batches = [...reader.batches()];
      expect(batches.length).toBe(3);
      expect(checkRows(batches, 6)).toBe(24);
      expect(reader.ended).toBe(false);
      expect(reader.truncation).toMatchObject({
        byteOffset: last.start,
        bytesDropped: cut - last.start,
      });
      expect(reader.truncation!.reason).toMatch(/cut short/);
      reader.close();
      const scan = run.scan()[0]!;
      expect(scan).toMatchObject({ rows: 24, batches: 3, ended: false, bytes: cut });
      expect(scan.truncation).toEqual(reader.truncation);
      let joinedRows = 0;
      for (const j of run.joined()) joinedRows += j.length;
      expect(joinedRows).toBe(24);
      expect(run.lastTruncations[0]).toEqual(reader.truncation);
    }
    expect(cuts).toBe(last.end - last.start - 1);
  });

  it('names the part of the message that was cut', () => {
    const { dir } = makeTestRun(tempDir(), 'why', {
      dims: [6],
      episodes: 1,
      steps: 12,
      batchRows: 8,
    });
    const file = join(dir, 'agents', 'A.arrows');
    const whole = readFileSync(file);
    const b = messageRanges(file)[2]!;
    const reason = (cut: number): string => {
      writeFileSync(file, whole.subarray(0, cut));
      const r = new AgentStreamReader(file, null);
      for (const b of r.batches()) void b;
      r.close();
      return r.truncation!.reason;
    };
    expect(reason(b.start + 2)).toBe('message prefix cut short');
    expect(reason(b.start + 6)).toBe('message length cut short');
    expect(reason(b.start + 9)).toMatch(/^message metadata cut short \(9 of \d+ bytes\)$/);
    expect(reason(b.end - 1)).toMatch(/^RecordBatch body cut short \(\d+ of \d+ bytes\)$/);
  });

  it('a cut inside an earlier batch or the schema returns what precedes it', () => {
    const { dir } = makeTestRun(tempDir(), 'mid', {
      dims: [6],
      episodes: 1,
      steps: 30,
      batchRows: 8,
    });
    const file = join(dir, 'agents', 'A.arrows');
    const whole = readFileSync(file);
    const ranges = messageRanges(file);
    for (const [m, expectBatches] of [
      [0, 0],
      [1, 0],
      [2, 1],
    ] as const) {
      const r = ranges[m]!;
      writeFileSync(file, whole.subarray(0, r.start + Math.floor((r.end - r.start) / 2)));
      const reader = new AgentStreamReader(file, null);
      expect([...reader.batches()].length).toBe(expectBatches);
      expect(reader.truncation!.byteOffset).toBe(r.start);
      reader.close();
    }
    // Zero bytes: not even a schema yet (a writer that just started).
    writeFileSync(file, new Uint8Array(0));
    const empty = new AgentStreamReader(file, null);
    expect([[...empty.batches()].length, empty.schema, empty.truncation]).toEqual([0, null, null]);
  });

  it('a stream that stops between batches (no end marker) has no truncation and is not ended', () => {
    const { dir } = makeTestRun(tempDir(), 'cut', {
      dims: [6],
      episodes: 1,
      steps: 30,
      batchRows: 8,
    });
    const file = join(dir, 'agents', 'A.arrows');
    const ranges = messageRanges(file);
    writeFileSync(file, readFileSync(file).subarray(0, ranges[3]!.end));
    const reader = new AgentStreamReader(file, null);
    expect(checkRows([...reader.batches()], 6)).toBe(24);
    expect([reader.ended, reader.truncation]).toEqual([false, null]);
  });

  it('poll() hands out only batches that became complete since the last call', () => {
    const { dir } = makeTestRun(tempDir(), 'poll', {
      dims: [6],
      episodes: 1,
      steps: 30,
      batchRows: 8,
    });
    const file = join(dir, 'agents', 'A.arrows');
    const whole = readFileSync(file);
    const ranges = messageRanges(file);
    writeFileSync(file, whole.subarray(0, ranges[1]!.end + 5));
    const reader = new AgentStreamReader(file, null);
    expect(reader.poll().map((b) => b.index)).toEqual([0]);
    expect(reader.poll()).toEqual([]);
    writeFileSync(file, whole.subarray(0, ranges[3]!.end));
    expect(reader.poll(1).map((b) => b.index)).toEqual([1]);
    expect(reader.poll().map((b) => b.index)).toEqual([2]);
    writeFileSync(file, whole);
    expect(reader.poll().map((b) => [b.index, b.rowOffset, b.length])).toEqual([[3, 24, 6]]);
    expect(reader.ended).toBe(true);
    expect(reader.poll()).toEqual([]);
  });

  it('garbage instead of an Arrow stream is a FormatError naming the file, and a missing stream is NotFound', () => {
    const { dir } = makeTestRun(tempDir(), 'junk', { dims: [6], episodes: 1, steps: 3 });
    const file = join(dir, 'agents', 'A.arrows');
    writeFileSync(file, Buffer.from('this is not an arrow stream at all, just text'));
    const reader = new AgentStreamReader(file, null);
    expect(() => [...reader.batches()]).toThrow(FormatError);
    expect(() => [...new AgentStreamReader(file, null).batches()]).toThrow(file);
    expect(() => new AgentStreamReader(join(dir, 'agents', 'nope.arrows'), null)).toThrow(
      NotFoundError,
    );
  });
});
