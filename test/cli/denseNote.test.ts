// `train`'s note on densely firing latents, on the activation frequencies of checkpoints measured
// in docs/RESULTS.md ("A second foreign generator", eleventh session).
import { describe, expect, it } from 'vitest';
import { DENSE_MEDIAN_FREQUENCY, denseNote } from '../../cli/denseNote.js';

describe('denseNote', () => {
  it('speaks when the median live latent fires on ≥ a fifth of steps (a dense background outweighing the thoughts)', () => {
    // foreign_massive_generator.py --seed 74 --background 1.5: nothing labelled shared.
    const f = [0.548, 0.484, 0.506, 0.374, 0.544, 0.36, 0.642, 0.504];
    const notes = denseNote(f, ['private-B', 'rare', 'private-B', 'rare', 'private-B', 'private-B', 'rare', 'private-A']);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^the latents fire densely \(median 51% of steps; 8 of 8 on over a quarter\)/);
    // The generator's first version, seed 72 (one latent labelled shared): median 0.249.
    const g = [0.061, 0.288, 0.091, 0.109, 0.279, 0.355, 0.239, 0.357, 0.249, 0.331, 0.217, 0.336, 0.108, 0.22, 0.174, 0.252, 0.264, 0.278, 0.028];
    expect(denseNote(g, g.map(() => 'private-A'))).toHaveLength(1);
  });

  it('is silent where the split works (median 0.16 with a weak background, seed 74) and ignores dead latents', () => {
    const f = [0.133, 0.239, 0.341, 0.123, 0.158, 0.227, 0.267, 0.134, 0.099, 0.351, 0.289, 0.161, 0.226, 0.129, 0.397, 0.146, 0.11, 0.314, 0.081, 0.156, 0.062, 0.091];
    expect(denseNote(f, f.map(() => 'shared'))).toEqual([]);
    // Dead latents do not count: two live latents at 0.3 and many dead ones at 0 still speak.
    expect(denseNote([0.3, 0.3, 0, 0, 0, 0], ['shared', 'shared', 'dead', 'dead', 'dead', 'dead'])).toHaveLength(1);
    expect(denseNote([0.3, 0.3, 0, 0, 0, 0], ['shared', 'shared', 'rare', 'rare', 'rare', 'rare'])).toEqual([]);
    expect(denseNote(undefined, undefined)).toEqual([]);
    expect(denseNote([], [])).toEqual([]);
    expect(DENSE_MEDIAN_FREQUENCY).toBe(0.2);
  });
});
