import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRun, readTruthJson } from '../../../data/index.js';
import type { StructureTruth } from '../../../agents/index.js';
import { recordOutDir } from '../../../cli/commands/recordOutput.js';
import { runCliCapture } from '../../helpers/runCliCapture.js';
import { tempDir } from '../../helpers/tmp.js';

describe('thoughtlens record synthetic', () => {
  it('records into the workspace, reports it as JSON, and inspect shows the truth files', async () => {
    const ws = tempDir();
    const r = await runCliCapture(['-w', ws, 'record', 'synthetic', '--episodes', '4', '--steps', '40', '--dims', '24,32', '--lag', '5', '--seed', '3', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      id: string;
      dir: string;
      status: string;
      steps: number;
      agents: { id: string; hiddenSize: number; rows: number }[];
      truth: { files: string[]; conflicts: number; lag: number; thoughtCount: number };
    };
    expect(out.id).toMatch(/^synthetic-\d{8}-\d{6}(-\d+)?$/);
    expect(out.dir).toBe(join(ws, 'runs', out.id));
    expect(out.status).toBe('complete');
    expect(out.steps).toBe(160);
    expect(out.agents).toEqual([
      { id: 'A', hiddenSize: 24, rows: 160 },
      { id: 'B', hiddenSize: 32, rows: 160 },
    ]);
    expect(out.truth).toMatchObject({ files: ['truth/structure.json', 'truth/conflicts.json', 'truth/latents.arrows'], conflicts: 1, lag: 5, thoughtCount: 16 });

    const runs = JSON.parse((await runCliCapture(['-w', ws, 'runs', '--json'])).stdout) as { runs: { id: string }[] };
    expect(runs.runs.map((x) => x.id)).toEqual([out.id]);
    const ins = await runCliCapture(['-w', ws, 'inspect', out.id, '--json']);
    expect(ins.code).toBe(0);
    const summary = JSON.parse(ins.stdout) as { truth: string[]; status: string; source: { kind: string } };
    expect(summary.truth).toEqual(out.truth.files);
    expect(summary.status).toBe('complete');
    expect(summary.source.kind).toBe('synthetic');
    const human = await runCliCapture(['-w', ws, 'inspect', out.id]);
    expect(human.stdout).toContain('ground truth: truth/structure.json, truth/conflicts.json, truth/latents.arrows');
  });

  it('takes a config file, a custom sharing structure for three agents and an --out path, and prints where the run went', async () => {
    const ws = tempDir();
    const file = join(ws, 'cfg.json');
    writeFileSync(file, JSON.stringify({ episodes: 3, steps: 30, seed: 9, mixing: { depth: 3 }, conflicts: { fraction: 0 } }));
    const groups = JSON.stringify([
      { name: 'all', agents: ['A', 'B', 'C'], size: 2 },
      { name: 'AB', agents: ['A', 'B'], size: 2 },
      { name: 'pC', agents: ['C'], size: 3 },
    ]);
    const dest = join(ws, 'elsewhere', 'tri');
    const r = await runCliCapture(['-w', ws, 'record', 'synthetic', '--config', file, '--agents', 'A,B,C', '--dims', '16', '--groups', groups, '--steps', '25', '--out', dest]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`→ ${dest}`);
    expect(r.stdout).toContain('all 2 [A,B,C], AB 2 [A,B], pC 3 [C]');
    const run = openRun(dest);
    expect(run.manifest.id).toBe('tri');
    expect(run.manifest.agents.map((a) => a.hiddenSize)).toEqual([16, 16, 16]);
    expect(run.scan().map((s) => s.rows)).toEqual([75, 75, 75]); // --steps overrides the file
    const s = readTruthJson<StructureTruth>(dest, 'structure.json');
    expect(s.config.mixing.depth).toBe(3);
    expect(s.config.seed).toBe(9);
    expect(s.agents.map((a) => a.thoughts)).toEqual([[0, 1, 2, 3], [0, 1, 2, 3], [0, 1, 4, 5, 6]]);
  });

  it('records into a named run id in the workspace', async () => {
    const ws = tempDir();
    const r = await runCliCapture(['-w', ws, 'record', 'synthetic', '--episodes', '1', '--steps', '20', '--conflicts', '0', '--out', 'my-run', '-q']);
    expect(r.code).toBe(0);
    expect(existsSync(join(ws, 'runs', 'my-run', 'run.json'))).toBe(true);
    expect(r.stdout).toContain('next: thoughtlens inspect my-run');
  });

  it.each([
    [['--episodes', '0'], 2, /'episodes' must be an integer/],
    [['--dims', '64,64,64'], 2, /--dims gives 3 sizes for 2 agents/],
    [['--groups', '[{'], 2, /--groups is not valid JSON/],
    [['--groups', '[{"name":"g","agents":["A","Q"],"size":2}]'], 2, /'groups\[0\].agents' names unknown agent "Q"/],
    [['--lag', 'x'], 2, /expected an integer/],
    [['--config', '/nonexistent/cfg.json'], 2, /cannot read --config file/],
  ])('fails with a clear message and exit code for %j', async (args, code, message) => {
    const ws = tempDir();
    const r = await runCliCapture(['-w', ws, 'record', 'synthetic', ...args]);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(ws, 'runs'))).toBe(false); // nothing written
  });

  it('reports errors as JSON with --json', async () => {
    const r = await runCliCapture(['-w', tempDir(), 'record', 'synthetic', '--sparsity', '2', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'TL_CONFIG' } });
  });

  it('names default runs by time and never reuses an existing folder', () => {
    const ws = tempDir();
    const now = new Date('2026-11-24T07:08:09Z');
    const first = recordOutDir(ws, undefined, 'synthetic', now);
    expect(first.id).toBe('synthetic-20261124-070809');
    mkdirSync(first.dir, { recursive: true });
    expect(recordOutDir(ws, undefined, 'synthetic', now).id).toBe('synthetic-20261124-070809-2');
    expect(recordOutDir(ws, 'abc', 'synthetic').dir).toBe(join(ws, 'runs', 'abc'));
    expect(recordOutDir(ws, './x/y', 'synthetic').id).toBe('y');
  });
});
