// End to end on data with a known structure: the split and the recovery must be right, and
// training must resume bit-for-bit on the cpu backend.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeJoint, evaluateRecovery, loadCheckpoint, releaseModel, trainDictionary } from '../../../sae/index.js';
import { tempDir } from '../../helpers/tmp.js';
import { writePairedRun } from '../pairedData.js';

describe('trainDictionary', () => {
  it('recovers shared and private latents of a known structure (F1 = 1, MCC ≥ 0.9)', async () => {
    const root = tempDir();
    const data = writePairedRun(join(root, 'run'), { rows: 8192, seed: 1 });
    const res = await trainDictionary({
      runs: [data.dir],
      out: join(root, 'ck'),
      config: { latents: 32, k: 2, steps: 500, batchSize: 256, lr: 3e-3, seed: 1, deadAfter: 2000, split: { sampleRows: 4096 } },
    });
    const split = res.analysis!.split;
    expect(split.counts['private-A']).toBeGreaterThanOrEqual(3);
    expect(split.counts['private-B']).toBeGreaterThanOrEqual(3);
    const N = 2000;
    const model = loadCheckpoint(res.dir);
    const xs = [new Float32Array(N * 16), new Float32Array(N * 12)];
    // Rows of the run are written in source order: rebuild the first N from the run.
    const { openRun } = await import('../../../data/index.js');
    let r0 = 0;
    for (const b of openRun(data.dir).joined()) {
      const n = Math.min(b.length, N - r0);
      xs[0]!.set(b.hidden[0]!.subarray(0, n * 16), r0 * 16);
      xs[1]!.set(b.hidden[1]!.subarray(0, n * 12), r0 * 12);
      r0 += n;
      if (r0 >= N) break;
    }
    const z = encodeJoint(model, xs, N);
    const rep = evaluateRecovery({ owners: data.owners, values: data.sources.subarray(0, N * data.n), rows: N }, z, 32, split.classes, ['A', 'B'], { trainRows: 400, testRows: 200 });
    releaseModel(model);
    expect(rep.structure.f1).toBe(1);
    expect(rep.mcc.pearson).toBeGreaterThan(0.9);
    for (let i = 0; i < 3; i++) {
      expect(rep.blockR2.r2[i]![i]!).toBeGreaterThan(0.85);
      for (let j = 0; j < 3; j++) if (j !== i) expect(rep.blockR2.r2[i]![j]!).toBeLessThan(0.15);
    }
    expect(res.model.meta.backend).toBe(res.backend.name);
    const metrics = JSON.parse(readFileSync(join(res.dir, 'metrics.json'), 'utf8'));
    expect(metrics.fvu.A).toBeLessThan(0.05);
    expect(metrics.relativeNorm.B.counts.reduce((s: number, x: number) => s + x, 0)).toBeGreaterThan(0);
  });

  for (const engine of ['sparse', 'dense'] as const) {
    it(`resumes bit-for-bit on the cpu backend (${engine} engine)`, async () => {
      const root = tempDir();
      const data = writePairedRun(join(root, 'run'), { rows: 1024, dims: [6, 5], shared: 2, private: 1, seed: 2 });
      const config = { latents: 8, k: 2, steps: 12, batchSize: 64, lr: 1e-2, seed: 3, backend: 'cpu' as const, engine, deadAfter: 64, shuffleBuffer: 256, normRows: 256, split: { sampleRows: 256 } };
      const whole = await trainDictionary({ runs: [data.dir], out: join(root, 'whole'), config, skipAnalysis: true });
      expect(whole.engine).toBe(engine);
      await trainDictionary({ runs: [data.dir], out: join(root, 'parts'), config, stopAfter: 5, skipAnalysis: true });
      const first = loadCheckpoint(join(root, 'parts'));
      expect(first.meta.training.step).toBe(5);
      const resumed = await trainDictionary({ runs: [data.dir], out: join(root, 'parts'), config, resume: true, skipAnalysis: true });
      expect(resumed.steps).toBe(12);
      const a = readFileSync(join(root, 'whole', 'model.safetensors'));
      const b = readFileSync(join(root, 'parts', 'model.safetensors'));
      expect(Buffer.compare(a, b)).toBe(0);
      expect(Buffer.compare(readFileSync(join(root, 'whole', 'optimizer.safetensors')), readFileSync(join(root, 'parts', 'optimizer.safetensors')))).toBe(0);
      expect(resumed.model.threshold).toBe(whole.model.threshold);
    });
  }

  it('resumes a training whose size it chose with no size flags, bit-for-bit, keeping the size record', async () => {
    const root = tempDir();
    const data = writePairedRun(join(root, 'run'), { rows: 1024, dims: [6, 5], shared: 2, private: 1, seed: 4 });
    // No latents, no k: train chooses them. Growth is off: it needs the probes, which a resumed
    // training no longer has.
    const config = { steps: 12, batchSize: 64, lr: 1e-2, seed: 3, backend: 'cpu' as const, grow: false, deadAfter: 64, shuffleBuffer: 256, normRows: 256, split: { sampleRows: 256 } };
    const whole = await trainDictionary({ runs: [data.dir], out: join(root, 'whole'), config, skipAnalysis: true });
    await trainDictionary({ runs: [data.dir], out: join(root, 'parts'), config, stopAfter: 5, skipAnalysis: true });
    const resumed = await trainDictionary({ runs: [data.dir], out: join(root, 'parts'), config, resume: true, skipAnalysis: true });
    expect(resumed.steps).toBe(12);
    expect(resumed.model.cfg.latents).toBe(whole.model.cfg.latents);
    expect(Buffer.compare(readFileSync(join(root, 'whole', 'model.safetensors')), readFileSync(join(root, 'parts', 'model.safetensors')))).toBe(0);
    const ck = loadCheckpoint(join(root, 'parts'));
    expect(ck.meta.training.size?.reason).toBe(whole.model.meta.training.size?.reason);
  });

  it('refuses to resume with a different config', async () => {
    const root = tempDir();
    const data = writePairedRun(join(root, 'run'), { rows: 512, dims: [6, 5], shared: 2, private: 1 });
    const config = { latents: 8, k: 2, steps: 4, batchSize: 64, backend: 'cpu' as const, normRows: 128, shuffleBuffer: 128 };
    await trainDictionary({ runs: [data.dir], out: join(root, 'ck'), config, skipAnalysis: true });
    await expect(trainDictionary({ runs: [data.dir], out: join(root, 'ck'), config: { ...config, latents: 16 }, resume: true })).rejects.toThrow(/different latents/);
  });
});
