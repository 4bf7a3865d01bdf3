// Seeded fuzzing of the run store's parsers: Arrow streams (run store reader), run.json and
// safetensors. Every mutated input is accepted or rejected with a clear ThoughtlensError.
import { readFileSync, writeFileSync, mkdirSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, openRun, validateManifest, readManifest } from '../../data/index.js';
import { fuzz, mutateBytes, mutateJson } from '../helpers/fuzz.js';
import { makeTestRun } from '../helpers/makeTestRun.js';
import { tempDir } from '../helpers/tmp.js';

const CASES = Number(process.env.TL_FUZZ_CASES ?? 300);

describe('fuzzing the run store parsers', () => {
  it('Arrow agent streams: accepted or rejected with a message, never a crash or a hang', () => {
    const root = tempDir();
    const { dir } = makeTestRun(root, 'seed', { episodes: 2, steps: 12, batchRows: 8 });
    const original = readFileSync(join(dir, 'agents/A.arrows'));
    const work = join(root, 'work');
    mkdirSync(work);
    cpSync(dir, work, { recursive: true });
    const target = join(work, 'agents/A.arrows');
    const stats = fuzz({
      seed: 1,
      cases: CASES,
      seedInput: new Uint8Array(original),
      mutate: mutateBytes,
      parse: (bytes) => {
        writeFileSync(target, bytes);
        const run = openRun(work);
        for (const b of run.joined()) void b.length;
        run.scan();
      },
    });
    expect(stats.crashes).toEqual([]);
    expect(stats.cases).toBe(CASES);
    expect(stats.rejected + stats.accepted).toBe(CASES);
    expect(stats.slowest).toBeLessThan(2000);
  });

  it('run.json: every mutated manifest is accepted or rejected naming the field', () => {
    const root = tempDir();
    const { dir } = makeTestRun(root, 'seed', { episodes: 1, steps: 4 });
    const manifest = readManifest(dir);
    const stats = fuzz({
      seed: 2,
      cases: CASES,
      seedInput: manifest as unknown,
      mutate: mutateJson,
      parse: (json) => void validateManifest(json, 'run.json'),
    });
    expect(stats.crashes).toEqual([]);
    expect(stats.rejected).toBeGreaterThan(CASES / 4);
  });

  it('safetensors: bit flips, truncations and huge lengths are rejected cleanly', () => {
    const bytes = encodeSafetensors({
      'enc.A.W': { data: new Float32Array(24).map((_, i) => i), shape: [4, 6] },
      'dec.A.b': { data: new Float32Array(4), shape: [4] },
    });
    const stats = fuzz({ seed: 3, cases: CASES, seedInput: bytes, mutate: mutateBytes, parse: (b) => void decodeSafetensors(b) });
    expect(stats.crashes).toEqual([]);
  });
});
