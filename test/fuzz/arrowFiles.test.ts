// Seeded fuzzing of the other Arrow files thoughtlens reads: latent codes (codes/*.arrows
// and .json, read by sae/codes and by the workbench) and truth tables (truth/*.arrows).
// Corrupt flatbuffer lengths in these used to make apache-arrow loop until the process ran
// out of memory; now the message bounds are checked before decoding.
import { describe, expect, it } from 'vitest';
import { makeRng } from '../../util/random.js';
import { tempDir } from '../helpers/tmp.js';
import { runTarget, targetNamed } from './targets.js';

const CASES = Number(process.env.TL_FUZZ_CASES ?? 300);

describe('fuzzing latent codes and truth tables', () => {
  it.each(['latent codes', 'truth tables'])('%s: accepted or rejected with TL_FORMAT, never a crash or a hang', async (name) => {
    const s = await runTarget(targetNamed(name), tempDir(), { seed: 51, cases: CASES, hangMs: 3000 }, makeRng);
    expect(s.crashes).toEqual([]);
    expect(s.hangs).toBe(0);
    expect(s.rejected).toBeGreaterThan(CASES / 3);
    expect(s.accepted).toBeGreaterThan(0);
    expect(Object.keys(s.codes)).toEqual(['TL_FORMAT']);
  });
});
