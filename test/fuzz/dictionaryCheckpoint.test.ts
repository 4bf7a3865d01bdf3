// Seeded fuzzing of dictionary checkpoints: cfg.json and model/optimizer safetensors through
// the trainer's loader (loadCheckpoint, loadOptimizerState) and the workbench's reader.
// TL_FUZZ_CASES sets the cases per parser (default small for CI; the long run is
// bench/fuzz/parsers.bench.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../sae/index.js';
import { readCheckpoint } from '../../server/index.js';
import { makeRng } from '../../util/random.js';
import { tempDir } from '../helpers/tmp.js';
import { outcomeOf, runTarget, targetNamed, writeSmallCheckpoint } from './targets.js';

const CASES = Number(process.env.TL_FUZZ_CASES ?? 250);

describe('fuzzing dictionary checkpoints', () => {
  it.each(['dictionary checkpoint: cfg.json', 'dictionary checkpoint: model.safetensors', 'workbench checkpoint reader'])(
    '%s: accepted or rejected with a ThoughtlensError, never a crash or a hang',
    async (name) => {
      const s = await runTarget(targetNamed(name), tempDir(), { seed: 11, cases: CASES, hangMs: 3000 }, makeRng);
      expect(s.crashes).toEqual([]);
      expect(s.hangs).toBe(0);
      expect(s.cases).toBe(CASES);
      // The mutations must reach the checks, not only the JSON parser.
      expect(s.rejected).toBeGreaterThan(CASES / 5);
    },
  );

  it('regressions: inputs that once crashed are rejected with a message', () => {
    const dir = join(tempDir(), 'ck');
    writeSmallCheckpoint(dir);
    const cfg = join(dir, 'cfg.json');
    // A null cfg.json and a null config crashed loadCheckpoint with a TypeError.
    for (const text of ['null', '[]', '{"format":"thoughtlens-sae","version":1,"config":null}']) {
      writeFileSync(cfg, text);
      expect(outcomeOf(() => loadCheckpoint(dir))).toMatchObject({ kind: 'rejected', code: 'TL_CHECKPOINT' });
    }
    // numLatents 1e308 aborted the whole server process (V8 fatal error in new Array); a
    // layout other than the trainer's is now refused by name, never guessed.
    for (const n of [1e308, 2 ** 53, -1]) {
      writeFileSync(cfg, JSON.stringify({ numLatents: n }));
      expect(outcomeOf(() => readCheckpoint('ck', dir))).toMatchObject({ kind: 'rejected', code: 'TL_FORMAT', message: expect.stringContaining("'format' must be \"thoughtlens-sae\"") });
    }
    writeSmallCheckpoint(dir);
    const good = JSON.parse(readFileSync(cfg, 'utf8')) as { config: { latents: number } };
    for (const n of [1e308, 2 ** 53, 8]) {
      writeFileSync(cfg, JSON.stringify({ ...good, config: { ...good.config, latents: n } }));
      expect(outcomeOf(() => readCheckpoint('ck', dir))).toMatchObject({ kind: 'rejected', code: 'TL_FORMAT', message: expect.stringContaining('shape') });
    }
  });
});
