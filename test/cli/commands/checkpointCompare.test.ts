// `thoughtlens checkpoint` and `thoughtlens compare`: checkpoints named like runs (exit 3
// when neither a folder nor a name), any latent count relative to the hidden size.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCheckpointFixture } from '../../helpers/serverFixtures.js';
import { makeTestRun } from '../../helpers/makeTestRun.js';
import { runCliCapture } from '../../helpers/runCliCapture.js';
import { tempDir } from '../../helpers/tmp.js';

describe('checkpoint and compare commands', () => {
  it('describe a dictionary by name or path with its split.json counts', async () => {
    const ws = tempDir();
    const { classes } = writeCheckpointFixture(ws, 'few', { numLatents: 32, dims: [64, 64] });
    const byName = await runCliCapture(['--workspace', ws, '--json', 'checkpoint', 'few']);
    expect(byName.code).toBe(0);
    const j = JSON.parse(byName.stdout) as { numLatents: number; counts: Record<string, number>; classes: string[]; agents: { id: string; dim: number }[] };
    expect(j.numLatents).toBe(32);
    expect(j.classes).toEqual(classes);
    expect(j.agents).toEqual([{ id: 'A', dim: 64 }, { id: 'B', dim: 64 }]);
    const byPath = await runCliCapture(['--json', 'checkpoint', join(ws, 'checkpoints', 'few')]);
    expect(JSON.parse(byPath.stdout).counts).toEqual(j.counts);
  });

  it('exits 3 for a checkpoint that is neither a folder nor a name, in every command that takes one', async () => {
    const ws = tempDir();
    makeTestRun(join(ws, 'runs'), 'run1', { episodes: 2, steps: 10 });
    for (const argv of [['checkpoint', 'nope'], ['compare', 'nope', 'nope2'], ['export-saelens', 'nope', '--agent', 'A', '--out', join(ws, 'x')], ['detect', 'run1', '--sae', 'nope'], ['encode', 'nope', 'run1']]) {
      const r = await runCliCapture(['--workspace', ws, ...argv]);
      expect([argv[0], r.code]).toEqual([argv[0], 3]);
      expect(r.stderr).toMatch(/no checkpoint 'nope'/);
    }
  });

  it('compares a dictionary with fewer latents than hidden size against one with more', async () => {
    const ws = tempDir();
    writeCheckpointFixture(ws, 'few', { numLatents: 8, dims: [16, 16] });
    writeCheckpointFixture(ws, 'many', { numLatents: 24, dims: [16, 16] });
    const r = await runCliCapture(['--workspace', ws, '--json', 'compare', 'few', 'many']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { numLatentsA: number; numLatentsB: number; matched: number };
    expect([j.numLatentsA, j.numLatentsB, j.matched]).toEqual([8, 24, 8]);
  });
});
