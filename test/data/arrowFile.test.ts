// A stream file in Arrow's *file* format (magic ARROW1, pyarrow ipc.new_file) is read as the
// stream inside it; one whose schema lives only in the footer is named as such (issue 17).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { openRun } from '../../data/index.js';
import { arrowFile } from '../helpers/badRuns.js';
import { makeTestRun } from '../helpers/makeTestRun.js';
import { pythonMissing, runPython } from '../helpers/python.js';
import { tempDir } from '../helpers/tmp.js';

const noPyarrow = pythonMissing('pyarrow');

function rowsOf(dir: string, agent: string): number {
  let n = 0;
  for (const b of openRun(dir).openAgent(agent).batches()) n += b.length;
  return n;
}

describe('Arrow file format where a stream is expected', () => {
  it('reads the stream inside an Arrow file (magic, stream, footer) and counts it in scan()', () => {
    const { dir } = makeTestRun(tempDir(), 'f', { episodes: 3, steps: 20 });
    const file = join(dir, 'agents', 'A.arrows');
    writeFileSync(file, arrowFile(readFileSync(file)));
    expect(rowsOf(dir, 'A')).toBe(60);
    expect(openRun(dir).scan()[0]).toMatchObject({ rows: 60, truncation: null });
    let joined = 0;
    for (const b of openRun(dir).joined()) joined += b.length;
    expect(joined).toBe(60);
  });

  it('says "this is an Arrow file, not a stream" when the schema is only in the footer', () => {
    const { dir } = makeTestRun(tempDir(), 'g');
    const file = join(dir, 'agents', 'A.arrows');
    writeFileSync(file, tableToIPC(tableFromIPC(readFileSync(file)), 'file'));
    expect(() => rowsOf(dir, 'A')).toThrow(/this is an Arrow file \(magic ARROW1\), not a stream/);
  });

  it.skipIf(noPyarrow)(`reads a stream file pyarrow wrote with ipc.new_file${noPyarrow ? ` (skipped: ${noPyarrow})` : ''}`, () => {
    const { dir } = makeTestRun(tempDir(), 'p', { episodes: 2, steps: 30 });
    const file = join(dir, 'agents', 'B.arrows');
    runPython(
      `import sys, pyarrow.ipc as ipc
t = ipc.open_stream(sys.argv[1]).read_all()
with ipc.new_file(sys.argv[1] + '.tmp', t.schema) as w: w.write_table(t)
import os; os.replace(sys.argv[1] + '.tmp', sys.argv[1])`,
      [file],
    );
    expect(readFileSync(file).subarray(0, 6).toString()).toBe('ARROW1');
    expect(rowsOf(dir, 'B')).toBe(60);
    expect(openRun(dir).scan()[1]!.rows).toBe(60);
  });
});
