// Seeded fuzzing of conflict-detection files: report.json as the workbench reads it
// (server/reportReader.ts) and detector.json (conflicts/ loadDetector), both first
// written by a real `detectRun` on a small run with planted drift.
import { describe, expect, it } from 'vitest';
import { makeRng } from '../../util/random.js';
import { tempDir } from '../helpers/tmp.js';
import { runTarget, targetNamed } from './targets.js';

const CASES = Number(process.env.TL_FUZZ_CASES ?? 300);

describe('fuzzing conflict reports and detectors', () => {
  it.each(['conflict report JSON', 'conflict detector JSON'])('%s: accepted or rejected with a message, never a crash', async (name) => {
    const s = await runTarget(targetNamed(name), tempDir(), { seed: 31, cases: CASES, hangMs: 3000 }, makeRng);
    expect(s.crashes).toEqual([]);
    expect(s.hangs).toBe(0);
    expect(s.rejected).toBeGreaterThan(CASES / 10);
    expect(s.accepted).toBeGreaterThan(0);
  });
});
