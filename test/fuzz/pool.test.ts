// Seeded fuzzing of co-player pool files (agents/pool: loadPool, poolFromJson): mutated
// values and mutated bytes of the shipped default pool.
import { describe, expect, it } from 'vitest';
import { makeRng } from '../../util/random.js';
import { tempDir } from '../helpers/tmp.js';
import { runTarget, targetNamed } from './targets.js';

const CASES = Number(process.env.TL_FUZZ_CASES ?? 400);

describe('fuzzing co-player pool JSON', () => {
  it('every mutated pool is accepted or rejected naming the style and field', async () => {
    const s = await runTarget(targetNamed('co-player pool'), tempDir(), { seed: 21, cases: CASES, hangMs: 3000 }, makeRng);
    expect(s.crashes).toEqual([]);
    expect(s.hangs).toBe(0);
    expect(s.rejected).toBeGreaterThan(CASES / 2);
    expect(s.accepted).toBeGreaterThan(0);
    expect(Object.keys(s.codes)).toEqual(['TL_CONFIG']);
    expect(s.codes.TL_CONFIG).toMatch(/pool/);
  });
});
