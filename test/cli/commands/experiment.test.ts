import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliCapture } from '../../helpers/runCliCapture.js';
import { tempDir } from '../../helpers/tmp.js';

const tiny = {
  name: 'tiny',
  seeds: [1],
  agent: { hidden: 8, coPlayers: 10, episodesPerCoPlayer: 2, episodeLength: 10, sequences: 16, length: 10, epochs: 1, onPolicyEpisodes: 0 },
  evaluate: { coPlayers: 5, episodesPerCoPlayer: 2, steps: 10, resamples: 50 },
  baseline: 'neutral',
  conditions: [{ name: 'neutral', prefix: { memory: 'neutral', length: 3 } }, { name: 'cooperating', prefix: { memory: 'cooperating', length: 3 } }],
};

describe('thoughtlens experiment', () => {
  it('runs a spec, writes the report and resumes every cell on a second run', async () => {
    const dir = tempDir();
    const spec = join(dir, 'spec.json');
    writeFileSync(spec, JSON.stringify(tiny));
    const out = join(dir, 'out');
    const r = await runCliCapture(['--json', 'experiment', spec, '--out', out, '--format', 'json,md']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.resumedCells).toBe(0);
    expect(j.report.conditions).toHaveLength(2);
    expect(existsSync(join(out, 'report.md'))).toBe(true);
    expect(existsSync(join(out, 'report.html'))).toBe(false);
    const again = await runCliCapture(['--json', 'experiment', spec, '--out', out]);
    expect(JSON.parse(again.stdout).resumedCells).toBe(2);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('cooperating');
  }, 60_000);

  it('refuses a bad spec with one line and exit code 2, writing nothing', async () => {
    const dir = tempDir();
    const spec = join(dir, 'spec.json');
    writeFileSync(spec, JSON.stringify({ ...tiny, baseline: 'missing' }));
    const r = await runCliCapture(['experiment', spec, '--out', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/baseline.*must name a condition/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    const bad = await runCliCapture(['experiment', spec, '--format', 'pdf']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown report format 'pdf'/);
  });
});
