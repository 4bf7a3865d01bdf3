// `thoughtlens train --threads`: the sparse engine on a second core through the CLI gives the
// same dictionary as one thread up to float rounding, and a bad thread count is a clear error.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSafetensors } from '../../../data/index.js';
import { fvuNotes } from '../../../cli/fvuNotes.js';
import { runCliCapture } from '../../helpers/runCliCapture.js';
import { tempDir } from '../../helpers/tmp.js';

const weights = (dir: string) => readSafetensors(join(dir, 'model.safetensors')).tensors;

describe('thoughtlens train --threads', () => {
  it('trains with 2 worker threads to the same weights as 1 thread (up to rounding)', async () => {
    const ws = tempDir();
    const rec = await runCliCapture(['-w', ws, '-q', 'record', 'synthetic', '--episodes', '6', '--steps', '50', '--dims', '16', '--seed', '4', '-o', 'r']);
    expect(rec.code, rec.stderr).toBe(0);
    const train = (threads: string) =>
      runCliCapture(['-w', ws, '--json', 'train', 'r', '--out', join(ws, `t${threads}`), '--steps', '30', '--latents', '64', '--k', '4', '--batch', '64', '--backend', 'wasm', '--engine', 'sparse', '--seed', '1', '--threads', threads]);
    const one = await train('1');
    const two = await train('2');
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    expect(two.stderr).toMatch(/engine sparse \(2 threads\)/);
    const out = JSON.parse(two.stdout);
    expect(out).toMatchObject({ engine: 'sparse', steps: 30 });
    // The notes on uneven held-out FVU are the ones the metrics call for (cli/fvuNotes.ts).
    expect(out.notes).toEqual(fvuNotes(out.metrics.fvu));
    const a = weights(join(ws, 't1'));
    const b = weights(join(ws, 't2'));
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const [name, t] of Object.entries(a)) {
      const x = t.data as Float32Array;
      const y = b[name]!.data as Float32Array;
      let worst = 0;
      for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
      expect(worst, name).toBeLessThan(1e-3);
    }
    const bad = await runCliCapture(['-w', ws, 'train', 'r', '--out', join(ws, 'tx'), '--steps', '2', '--threads', '0']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/threads.*integer ≥ 1.*0/);
  });
});
