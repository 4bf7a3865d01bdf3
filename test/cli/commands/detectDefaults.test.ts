// `thoughtlens detect <run>` with no flags uses the one dictionary in <workspace>/checkpoints
// trained on that run; with two it asks which (exit 2, naming both); with none it says so.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliCapture } from '../../helpers/runCliCapture.js';
import { tempDir } from '../../helpers/tmp.js';

const train = (ws: string, out: string) =>
  runCliCapture(['--workspace', ws, '--quiet', 'train', 'r1', '--out', join(ws, 'checkpoints', out), '--latents', '12', '--k', '2', '--config', '{"witness":false,"steps":60}']);

describe('detect with no flags', () => {
  it('finds the dictionary trained on the run, and refuses to guess between two', async () => {
    const ws = tempDir();
    const none = await runCliCapture(['--workspace', ws, 'record', 'synthetic', '--out', 'r1', '--episodes', '16', '--steps', '80', '--seed', '3']);
    expect(none.code).toBe(0);
    const missing = await runCliCapture(['--workspace', ws, 'detect', 'r1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no dictionary in <workspace>\/checkpoints was trained on this run: give --sae/);
    expect((await train(ws, 'd1')).code).toBe(0);
    const r = await runCliCapture(['--workspace', ws, '--json', 'detect', 'r1', '--resamples', '20']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { outDir: string; detector: { views: string } };
    expect(j.detector.views).toBe('dictionary-read-alike');
    expect(j.outDir).toBe(join(ws, 'runs', 'r1', 'reports', 'd1'));
    const said = await runCliCapture(['--workspace', ws, 'detect', 'r1', '--resamples', '20', '--name', 'again']);
    expect(said.stderr).toContain(`detect: using the dictionary trained on this run, ${join(ws, 'checkpoints', 'd1')}`);
    expect((await train(ws, 'd2')).code).toBe(0);
    const two = await runCliCapture(['--workspace', ws, 'detect', 'r1']);
    expect(two.code).toBe(2);
    expect(two.stderr.trim().split('\n')).toHaveLength(1);
    expect(two.stderr).toMatch(/2 dictionaries in .* were trained on this run \(d1, d2\): choose one with --sae/);
  }, 120_000);
});
