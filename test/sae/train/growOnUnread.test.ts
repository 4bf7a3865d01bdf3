// `train` with no size flags and config grow checks, after training, that the dictionary reads every probe latent a
// second probe seed reproduced; where one has no reading (best |r| < 0.3), it trains once more with
// ⌈h·U⌉ more latents (sae/train/probeCoverage.ts). At this small deterministic config (seed 9) the
// 18-latent dictionary leaves one private thought without any latent; the grown one reads them all.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordSynthetic } from '../../../agents/synthetic/index.js';
import { evaluateOnRun, loadCheckpoint, readCheckpointJson, releaseModel, selectBackend, trainDictionary, type SplitResult } from '../../../sae/index.js';
import { tempDir } from '../../helpers/tmp.js';

beforeAll(async () => {
  await selectBackend('auto');
});

function unreadThoughts(ck: string, run: string): { unread: number[]; f1: number; latents: number; grown: unknown } {
  const model = loadCheckpoint(ck);
  const rep = evaluateOnRun(model, readCheckpointJson<SplitResult>(ck, 'split.json')!, run);
  releaseModel(model);
  const best = new Map(rep.matches.map((x) => [x.truth, Math.abs(x.corr)]));
  const unread = Array.from({ length: rep.trueLatents }, (_, t) => t).filter((t) => (best.get(t) ?? 0) < 0.3);
  return { unread, f1: rep.structure.f1, latents: model.cfg.latents, grown: model.meta.training.size?.grown };
}

describe('train grows the dictionary where it left reproducible structure unread', () => {
  it('retrains once with ⌈1.25 × unread⌉ more latents, says so, stores it, and then reads every thought', async () => {
    const root = tempDir('tl-grow-');
    const run = join(root, 'run');
    await recordSynthetic(run, { hiddenSize: 32, shared: 6, private: 3, episodes: 50, steps: 100, seed: 9, conflicts: { fraction: 0 } });
    const lines: string[] = [];
    const grownCk = join(root, 'grown');
    const res = await trainDictionary({ runs: [run], out: grownCk, config: { steps: 800, batchSize: 256, seed: 9, grow: true }, log: (l) => lines.push(l) });
    releaseModel(res.model);
    const flatCk = join(root, 'flat');
    const flatRes = await trainDictionary({ runs: [run], out: flatCk, config: { steps: 800, batchSize: 256, seed: 9 } }); // grow is off by default
    releaseModel(flatRes.model);

    const flat = unreadThoughts(flatCk, run);
    const grown = unreadThoughts(grownCk, run);
    expect(flat.latents).toBe(18);
    expect(flat.grown).toBeUndefined();
    expect(flat.unread.length).toBe(1);
    expect(grown.latents).toBe(18 + Math.ceil(1.25 * 1));
    expect(grown.grown).toEqual({ from: 18, unread: 1, r: [expect.any(Number)] });
    expect(lines.filter((l) => l.includes('training again at 18 + ⌈1.25 × 1⌉ = 20 latents'))).toHaveLength(1);
    const model = loadCheckpoint(grownCk);
    expect(model.meta.training.size?.reason).toContain('grown to 20');
    releaseModel(model);
    expect(grown.unread).toEqual([]);
    expect(grown.f1).toBeGreaterThan(flat.f1);
    expect(grown.f1).toBeGreaterThanOrEqual(0.95);
  }, 240_000);
});
