// Signed pairs: two latents reading the two sides of one signed variable are found from the
// decoder, co-firing and the encoder, take one class, count once, and score as one signed latent.
import { describe, expect, it } from 'vitest';
import { classifyLatents, DEFAULT_SPLIT } from '../../../sae/index.js';
import { handModel } from '../handModelFixture.js';
import type { SaeModel } from '../../../sae/checkpoint/checkpoint.js';
import { matchSignedPairs, signedCodes, signedPairCandidates } from '../../../sae/split/signedPairs.js';
import { makeRng } from '../../../util/random.js';
import { stats } from './usageStatsFixture.js';

/**
 * A hand-built dictionary over a 2-d agent A (B's state is always 0): rows x = (s, t) with s signed (standard normal) and t ≥ 0 half the
 * time. Latents: 0 reads +s, 1 reads −s (decoder (−1, 0)), 2 reads t, 3 has decoder (−1, 0) but
 * encoder along t (fires with 2, not against 0).
 */
function model(): SaeModel {
  // encoder d × m (input i, latent j); decoder m × d
  return handModel([1, -1, 0, 0, 0, 0, 1, 1], [1, 0, -1, 0, 0, 1, -1, 0], 4, 1);
}

function sample(rows: number) {
  const rng = makeRng(7);
  const x = new Float32Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    x[r * 2] = rng.normal();
    x[r * 2 + 1] = rng.next() < 0.5 ? rng.next() + 0.1 : 0;
  }
  const codes = new Float32Array(rows * 4);
  for (let r = 0; r < rows; r++) {
    const [s, t] = [x[r * 2]!, x[r * 2 + 1]!];
    codes.set([Math.max(0, s), Math.max(0, -s), t, t], r * 4);
  }
  return { xs: [x, new Float32Array(rows)], rows, episode: new Int32Array(rows), codes };
}

/** The candidates matched greedily, as the split does over its kept latents (here: every latent). */
const findSignedPairs = (...a: Parameters<typeof signedPairCandidates>) => matchSignedPairs(signedPairCandidates(...a), a[0].cfg.latents);

describe('signed pairs: candidates and matching', () => {
  it('pairs the two sides of a signed variable and nothing else', () => {
    const s = sample(2000);
    const partner = findSignedPairs(model(), s, s.codes, () => true, DEFAULT_SPLIT.signedCosine);
    // 0 and 1: opposite decoders, never together, pre-activations r = −1. 3 has 1's decoder
    // direction opposite 0's too, but fires with 0 on half of 0's rows and its encoder reads t.
    expect(Array.from(partner)).toEqual([1, 0, -1, -1]);
  });

  it('signedCosine 1 turns it off; ineligible latents never pair', () => {
    const s = sample(500);
    expect(Array.from(findSignedPairs(model(), s, s.codes, () => true, 1))).toEqual([
      -1, -1, -1, -1,
    ]);
    expect(Array.from(findSignedPairs(model(), s, s.codes, (j) => j !== 1, 0.6))).toEqual([
      -1, -1, -1, -1,
    ]);
  });

  it('folds a pair into one signed code: z_j‖D_j‖ − z_k‖D_k‖', () => {
    const codes = Float32Array.from([2, 0, 5, 0, 3, 1]); // 2 rows × 3 latents
    const out = signedCodes(codes, 3, 2, [1, 0, -1], [1, 2, 1]);
    expect(Array.from(out)).toEqual([2, 0, 5, -6, 0, 1]);
  });
});

describe('classifyLatents with signed pairs', () => {
  it('a pair takes the union of its halves’ users and counts once; a rare half is not merged', () => {
    const s = stats(
      [
        [true, true, false, true, false],
        [false, true, true, false, true],
      ],
      [100, 100, 100, 100, 5],
    );
    const split = classifyLatents(
      ['A', 'B'],
      s,
      { ...DEFAULT_SPLIT, pairCorrelation: 1 },
      'heldout',
      undefined,
      [
        { j: 0, k: 1, cos: -0.9 },
        { j: 3, k: 4, cos: -0.8 },
      ],
    );
    expect(split.classes).toEqual(['shared', 'shared', 'private-B', 'private-A', 'rare']);
    expect(split.signed).toEqual([1, 0, -1, -1, -1]);
    expect(split.counts).toMatchObject({ shared: 2, 'private-A': 1, 'private-B': 1, rare: 1 });
    expect(split.signedCounts).toMatchObject({
      shared: 1,
      'private-A': 1,
      'private-B': 1,
      rare: 1,
    });
  });

  it('pairs are matched among kept latents: a rare latent does not take a kept latent’s partner', () => {
    // Candidates: 0 with 2 (most opposite, but 2 is rare) and 0 with 1. 0 and 1 pair.
    const s = stats(
      [
        [true, true, true],
        [true, false, true],
      ],
      [100, 100, 5],
    );
    const split = classifyLatents(['A', 'B'], s, { ...DEFAULT_SPLIT, pairCorrelation: 1 }, 'heldout', undefined, [
      { j: 0, k: 2, cos: -0.95 },
      { j: 0, k: 1, cos: -0.9 },
    ]);
    expect(split.classes).toEqual(['shared', 'shared', 'rare']);
    expect(split.signed).toEqual([1, 0, -1]);
  });
});
