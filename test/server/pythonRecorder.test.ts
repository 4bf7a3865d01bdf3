// The Python recorder example (examples/python-recorder/record_hf.py): syntax-checked, and
// where pyarrow is installed, run with --fake against a real server (no torch needed).
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { openRun } from '../../data/index.js';
import type { RunningServer } from '../../server/index.js';
import { pythonMissing } from '../helpers/python.js';
import { startTestServer } from '../helpers/serverClient.js';
import { tempDir } from '../helpers/tmp.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SCRIPT = join(ROOT, 'examples', 'python-recorder', 'record_hf.py');
const python = pythonMissing('pyarrow') === null; // under THOUGHTLENS_CI=1 a missing pyarrow fails
const pythonAtAll = spawnSync('python3', ['--version'], { stdio: 'ignore' }).status === 0;

let server: RunningServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('Python recorder example', () => {
  it.skipIf(!pythonAtAll)('compiles', () => {
    const out = tempDir();
    execFileSync('python3', ['-c', `import py_compile; py_compile.compile(${JSON.stringify(SCRIPT)}, cfile=${JSON.stringify(join(out, 'r.pyc'))}, doraise=True)`]);
  });

  it.skipIf(!python)('streams steps with pyarrow over chunked HTTP into the run store', async () => {
    const ws = tempDir();
    server = await startTestServer({ workspace: ws });
    // Asynchronously: the server runs in this process and must keep serving.
    const { stdout, code, stderr } = await new Promise<{ stdout: string; stderr: string; code: number | null }>((done) => {
      const child = spawn('python3', [SCRIPT, '--fake', '--url', server!.url, '--run', 'py1', '--turns', '120', '--hidden', '16', '--episode-len', '40']);
      let out = '';
      let err = '';
      child.stdout.on('data', (b) => (out += b));
      child.stderr.on('data', (b) => (err += b));
      child.on('close', (c) => done({ stdout: out, stderr: err, code: c }));
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({ run: 'py1', rows: [120, 120], finish: 'complete' });
    const run = openRun(join(ws, 'runs', 'py1'));
    expect(run.manifest.status).toBe('complete');
    expect(run.scan().map((s) => s.rows)).toEqual([120, 120]);
    let rows = 0;
    for (const b of run.joined()) {
      rows += b.length;
      expect(b.hidden[0]!.length).toBe(b.length * 16);
    }
    expect(rows).toBe(120);
  });
});
