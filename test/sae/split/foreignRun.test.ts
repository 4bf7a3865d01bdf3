// The split on a run no thoughtlens code wrote: bench/sae/foreign_generator.py (numpy +
// pyarrow; half its thoughts signed) → truth attached → train at the defaults (small step
// count) → eval-truth on held-out episodes. Signed thoughts are found as signed pairs and the
// joined figure is reported beside the per-latent one. At the generator's thought counts (8 + 4 +
// 4); at 4 + 2 + 2 in 24 / 32 dimensions the defaults miss (docs/SPLIT.md, 'Known limits').
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { attachTruth } from '../../../data/index.js';
import { evaluateOnRun, releaseModel, selectBackend, trainDictionary } from '../../../sae/index.js';
import { tempDir } from '../../helpers/tmp.js';

beforeAll(async () => {
  await selectBackend('auto');
});

describe('a foreign run at the defaults', () => {
  it('labels held-out thoughts right and joins the two sides of signed thoughts', async () => {
    const root = tempDir('tl-foreign-');
    const run = join(root, 'run');
    const gen = join(__dirname, '../../../bench/sae/foreign_generator.py');
    execFileSync('python3', [gen, '--out', run, '--seed', '3', '--episodes', '30', '--steps', '150']);
    attachTruth(run, { structure: `${run}.structure.json`, latents: `${run}.latents.arrows` });
    const res = await trainDictionary({ runs: [run], out: join(root, 'ck'), config: { steps: 800, batchSize: 256, seed: 3 } });
    const split = res.analysis!.split;
    const rep = evaluateOnRun(res.model, split, run, {});
    releaseModel(res.model);
    expect(rep.episodeSet).toBe('heldout');
    for (const [c, e] of Object.entries(rep.classes)) expect(e.precision, `precision of ${c}`).toBeGreaterThanOrEqual(0.9);
    expect(rep.signedPairs).toBeGreaterThanOrEqual(1);
    expect(split.signed!.filter((k) => k >= 0).length).toBe(2 * rep.signedPairs);
    // The pair's halves share a class; the variables count them once.
    split.signed!.forEach((k, j) => k >= 0 && expect(split.classes[k]).toBe(split.classes[j]));
    const latents = Object.values(split.counts).reduce((s, n) => s + n, 0);
    const variables = Object.values(split.signedCounts!).reduce((s, n) => s + n, 0);
    expect(latents - variables).toBe(rep.signedPairs);
    // Joined, a signed thought is read as one variable: MCC above the per-latent figure.
    expect(rep.perLatent).not.toBeNull();
    expect(rep.mcc.pearson).toBeGreaterThan(rep.perLatent!.mcc.pearson);
    expect(rep.mcc.pearson).toBeGreaterThanOrEqual(0.85);
  }, 180_000);
});
