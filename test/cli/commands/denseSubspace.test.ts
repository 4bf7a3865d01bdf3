// The dense subspace end to end on a run whose states carry a dense Gaussian background five
// times the thoughts' variance (bench/sae/foreign_massive_generator.py --background 1.5, a
// generator written outside thoughtlens, truth attached): with --dense-subspace off the latents
// fire densely, `train` says so and the split finds almost no shared thought; at the defaults
// `train` sees that, trains again with the background set aside, says what it set aside, and
// the shared thoughts are found and labelled shared (docs/RESULTS.md, "A second foreign
// generator"). Where nothing is dense, auto changes nothing.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliCapture } from '../../helpers/runCliCapture.js';
import { tempDir } from '../../helpers/tmp.js';

interface EvalJson {
  classes: Record<string, { precision: number | null; recall: number }>;
  structure: { f1: number };
}

describe('train --dense-subspace auto', () => {
  it('at the defaults, trains again with the dense background set aside and recovers the shared thoughts', async () => {
    const root = tempDir('tl-dense-cli-');
    const run = join(root, 'bg');
    execFileSync('python3', ['bench/sae/foreign_massive_generator.py', '--out', run, '--seed', '75', '--background', '1.5', '--episodes', '30', '--steps', '150']);
    const att = await runCliCapture(['truth', 'attach', run, '--structure', `${run}.structure.json`, '--latents', `${run}.latents.arrows`]);
    expect(att.code).toBe(0);
    const cfg = ['--config', '{"witness":false}', '--steps', '1200'];
    // --dense-subspace off: the states as they are; the latents fire densely and train says so.
    const off = await runCliCapture(['train', run, '--out', join(root, 'off'), '--dense-subspace', 'off', ...cfg]);
    expect(off.code).toBe(0);
    expect(off.stdout).toMatch(/^note {7}the latents fire densely \(median \d+% of steps/m);
    expect(off.stderr).not.toMatch(/training again/);
    // No flag: the same first training, then a second with the subspace set aside, kept in --out.
    const auto = await runCliCapture(['--json', 'train', run, '--out', join(root, 'auto'), ...cfg]);
    expect(auto.code).toBe(0);
    expect(auto.stderr).toMatch(/the latents fire densely \(median \d+% of steps\): training again with --dense-subspace auto/);
    expect(auto.stderr).toMatch(/dense subspace: A sets aside 4 directions \(\d+% of the variance/);
    expect(auto.stderr).toMatch(/dense subspace: B sets aside 4 directions/);
    const j = JSON.parse(auto.stdout) as { checkpoint: string; notes: string[] };
    expect(j.checkpoint).toBe(join(root, 'auto'));
    expect(j.notes[0]).toMatch(/^trained again with --dense-subspace auto: the first training's latents fired densely/);
    expect(j.notes.some((n) => /fire densely/.test(n))).toBe(false);
    expect(readdirSync(root).filter((f) => /\.(dense|first)-/.test(f))).toEqual([]);
    const score = async (ck: string) => {
      const r = await runCliCapture(['--json', 'eval-truth', join(root, ck), run]);
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout) as EvalJson;
    };
    const before = await score('off');
    const after = await score('auto');
    expect(before.classes.shared!.recall).toBeLessThan(0.5);
    expect(after.classes.shared!.recall).toBeGreaterThanOrEqual(0.875);
    expect(after.classes.shared!.precision).toBeGreaterThanOrEqual(0.8);
    expect(after.structure.f1).toBeGreaterThan(before.structure.f1 + 0.3);
  }, 400_000);

  it('changes nothing where nothing is dense: the same weights as without it, bit for bit', async () => {
    const root = tempDir('tl-dense-none-');
    const run = join(root, 'nobg');
    execFileSync('python3', ['bench/sae/foreign_massive_generator.py', '--out', run, '--seed', '3', '--background', '0', '--episodes', '12', '--steps', '100']);
    const cfg = ['--latents', '20', '--k', '2', '--steps', '150', '--config', '{"witness":false}'];
    const off = await runCliCapture(['train', run, '--out', join(root, 'off'), ...cfg]);
    const auto = await runCliCapture(['train', run, '--out', join(root, 'auto'), '--dense-subspace', 'auto', ...cfg]);
    expect(off.code).toBe(0);
    expect(auto.code).toBe(0);
    expect(auto.stderr + auto.stdout).toMatch(/dense subspace: A sets aside nothing/);
    expect(auto.stderr + auto.stdout).toMatch(/dense subspace: B sets aside nothing/);
    expect(readFileSync(join(root, 'auto', 'model.safetensors')).equals(readFileSync(join(root, 'off', 'model.safetensors')))).toBe(true);
  }, 120_000);
});
