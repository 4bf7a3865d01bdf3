import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainDictionary } from '../../../sae/index.js';
import { dictionaryCoder, type ConflictReport } from '../../../conflicts/index.js';
import { runCliCapture } from '../../helpers/runCliCapture.js';
import { tempDir } from '../../helpers/tmp.js';
import { writeTinyRun } from '../helpers/tinyConflicts.js';

describe('detect with a paired-dictionary checkpoint', () => {
  it('encodes through the checkpoint and compares the agents on its latents, end to end through the CLI', async () => {
    const root = tempDir('tl-conflicts-dict-');
    const data = writeTinyRun(root, 'tiny', { episodes: 16, steps: 80, seed: 31 });
    const ckpt = join(root, 'ckpt');
    await trainDictionary({ runs: [data.dir], out: ckpt, config: { latents: 12, k: 3, steps: 80, batchSize: 128, seed: 1, backend: 'cpu' } });

    const coder = dictionaryCoder(ckpt);
    expect(coder.agents).toEqual(['A', 'B']);
    expect(coder.classes.length).toBe(12);
    const x = [new Float32Array(2 * 12).fill(0.1), new Float32Array(2 * 10).fill(-0.1)];
    const z = coder.encode(x, 2);
    expect(z.length).toBe(24);
    expect(Array.from(z.subarray(0, 12))).toEqual(Array.from(z.subarray(12)));

    const out = join(root, 'rep');
    const r = await runCliCapture(['--json', 'detect', data.dir, '--sae', ckpt, '--views', 'dictionary-all', '--backend', 'cpu', '--out', out, '--horizon', '15', '--far', '0.01', '--resamples', '20']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ConflictReport;
    expect(report.detector.views).toBe('dictionary-all');
    expect(report.detector.dictionary).toMatchObject({ latents: 12, values: 'pre-activation' });
    expect(report.scored.episodes).toBe(8);
    for (const f of report.flags) expect(f.latents[0]!.label).toMatch(/^z\d+$/);

    // Shared views: works when the split found shared latents, otherwise says so.
    const shared = await runCliCapture(['detect', data.dir, '--sae', ckpt, '--backend', 'cpu', '--out', join(root, 'rep2'), '--resamples', '20']);
    if (coder.classes.includes('shared')) expect(shared.code, shared.stderr).toBe(0);
    else expect(shared.stderr).toMatch(/no shared latents/);
  });
});
