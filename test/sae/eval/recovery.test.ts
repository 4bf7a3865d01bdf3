// Class precision by Pearson (the strict figure) and by rank (beside it) on hand-made codes.
import { describe, expect, it } from 'vitest';
import { evaluateRecovery } from '../../../sae/index.js';
import { makeRng } from '../../../util/random.js';

describe('evaluateRecovery class precision', () => {
  it('a latent reading the bulk of a heavy-tailed thought is wrong by Pearson, right by rank', () => {
    // Thought 0 (shared): heavy-tailed magnitudes; thought 1 (private-A): uniform.
    // Latent 0 reads thought 0 exactly (shared); latent 1 reads only its bulk, min(t0, 1) (shared);
    // latent 2 reads thought 1 (private-A).
    const rows = 2000;
    const rng = makeRng(7);
    const values = new Float32Array(rows * 2);
    const codes = new Float32Array(rows * 3);
    for (let r = 0; r < rows; r++) {
      const t0 = Math.exp(3 * rng.normal());
      const t1 = rng.next();
      values[r * 2] = t0;
      values[r * 2 + 1] = t1;
      codes[r * 3] = t0;
      codes[r * 3 + 1] = Math.min(t0, 1);
      codes[r * 3 + 2] = t1;
    }
    const rep = evaluateRecovery({ owners: [['A', 'B'], ['A']], values, rows }, codes, 3, ['shared', 'shared', 'private-A'], ['A', 'B'], { trainRows: 200, testRows: 100 });
    const bulk = rep.latentMatches.find((x) => x.latent === 1)!;
    expect(bulk.r).toBeLessThan(0.3);
    expect(bulk.correct).toBe(false);
    expect(bulk.rho).toBeGreaterThan(0.8);
    expect(bulk.correctByRank).toBe(true);
    expect(rep.classes.shared!.precision).toBe(0.5);
    expect(rep.classes.shared!.precisionByRank).toBe(1);
    expect(rep.classPrecision).toBe(0.75);
    expect(rep.classPrecisionByRank).toBe(1);
  });
});
