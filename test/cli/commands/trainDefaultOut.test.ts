// `train <run>` with no --out writes <workspace>/checkpoints/<run>, where `detect` and the web view
// look for a run's dictionary (sae/checkpoint/checkpointsForRun.ts), and never overwrites a checkpoint there.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkpointsForRun } from '../../../sae/checkpoint/checkpointsForRun.js';
import { runCliCapture } from '../../helpers/runCliCapture.js';
import { tempDir } from '../../helpers/tmp.js';

describe('thoughtlens train without --out', () => {
  it('writes the checkpoint where detect finds it and refuses to overwrite it', async () => {
    const ws = tempDir();
    const rec = await runCliCapture(['-w', ws, '-q', 'record', 'synthetic', '--episodes', '6', '--steps', '40', '--dims', '12', '--seed', '3', '-o', 'r']);
    expect(rec.code, rec.stderr).toBe(0);
    const args = ['-w', ws, '--json', 'train', 'r', '--steps', '20', '--latents', '16', '--k', '2', '--batch', '64', '--backend', 'wasm', '--seed', '1'];
    const first = await runCliCapture(args);
    expect(first.code, first.stderr).toBe(0);
    const dir = join(ws, 'checkpoints', 'r');
    expect(JSON.parse(first.stdout).checkpoint).toBe(dir);
    expect(existsSync(join(dir, 'cfg.json'))).toBe(true);
    expect(checkpointsForRun(ws, join(ws, 'runs', 'r'))).toEqual([dir]);
    // A second run of the same command is a usage error naming the folder; the first checkpoint stays.
    const again = await runCliCapture(args.filter((a) => a !== '--json'));
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/a checkpoint already exists at .*checkpoints\/r: give --resume to continue it, or --out/);
    expect(existsSync(join(dir, 'cfg.json'))).toBe(true);
    // --resume continues it in place.
    const resumed = await runCliCapture([...args, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).checkpoint).toBe(dir);
    // The other commands take the run's name for the checkpoint.
    const split = await runCliCapture(['-w', ws, '--json', 'split', 'r']);
    expect(split.code, split.stderr).toBe(0);
  });
});
