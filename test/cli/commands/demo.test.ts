import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../cli/program.js';
import { listRuns } from '../../../data/index.js';
import { tempDir } from '../../helpers/tmp.js';

describe('thoughtlens demo', () => {
  it('records, trains, encodes and detects to completion with --no-serve', async () => {
    const ws = tempDir();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    stdout.on('data', (b) => (out += b));
    stderr.resume();
    const code = await runCli(['-w', ws, '--json', 'demo', '--no-serve', '--episodes', '30', '--steps', '100', '--dims', '16', '--train-steps', '300', '--ipd-episodes', '0'], { stdout, stderr }, {});
    const r = JSON.parse(out) as { stages: { stage: string; status: string; detail: string }[]; runs: string[]; checkpoint: string };
    expect(code).toBe(0);
    expect(r.stages.map((s) => s.status)).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(existsSync(join(ws, 'checkpoints', 'demo-dictionary-seed1', 'split.json'))).toBe(true);
    expect(r.runs).toEqual(['demo-synthetic']);
    const runDir = join(ws, 'runs', 'demo-synthetic');
    expect(listRuns(ws).map((x) => [x.id, x.status])).toEqual([['demo-synthetic', 'complete']]);
    expect(existsSync(join(ws, 'checkpoints', 'demo-dictionary', 'model.safetensors'))).toBe(true);
    expect(existsSync(join(runDir, 'codes', 'demo-dictionary.arrows'))).toBe(true);
    for (const f of ['report.json', 'flags.csv', 'report.md', 'report.html']) expect(existsSync(join(runDir, 'reports', 'demo-dictionary', f))).toBe(true);
  }, 240_000);
});
