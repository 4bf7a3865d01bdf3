// The witness comparison behind the split's 'rare' rule: each latent's one-to-one (Hungarian)
// match and, beside it, its best correlation with any witness latent, which finds a duplicate
// that the one-to-one match gives away to its twin.
import { describe, expect, it } from 'vitest';
import { handModel } from '../handModelFixture.js';
import type { SaeModel } from '../../../sae/checkpoint/checkpoint.js';
import { crossSeedStability } from '../../../sae/train/autoSize.js';
import { makeRng } from '../../../util/random.js';

/** Three latents over A's 2-d state (encoder `enc`: input i, latent j; k = 3); B is empty. */
const model = (enc: number[]): SaeModel => handModel(enc, [1, 0, 0, 1, 0, 1], 3, 3);

describe('crossSeedStability', () => {
  it('reports the best |r| with any witness latent beside the one-to-one match', () => {
    const rows = 400;
    const rng = makeRng(3);
    const x = new Float32Array(rows * 2);
    for (let i = 0; i < x.length; i++) x[i] = rng.normal();
    const sample = { xs: [x, new Float32Array(rows)], rows, episode: new Int32Array(rows) };
    // Primary: latent 0 reads x0, latents 1 and 2 both read x1 (a duplicate).
    const primary = model([1, 0, 0, 0, 1, 1]);
    // Witness: latent 0 reads x0, latent 1 reads x1, latent 2 reads −x0 (the other side of x0).
    const witness = model([1, 0, -1, 0, 1, 0]);
    const st = crossSeedStability(primary, witness, sample);
    expect(st.r[0]).toBeGreaterThan(0.99);
    // One of the two copies gets witness latent 1, the other is left with a poor match…
    expect(Math.min(st.r[1]!, st.r[2]!)).toBeLessThan(0.8);
    expect(Math.max(st.r[1]!, st.r[2]!)).toBeGreaterThan(0.99);
    // …while both correlate fully with witness latent 1.
    expect(st.rAny[1]).toBeGreaterThan(0.99);
    expect(st.rAny[2]).toBeGreaterThan(0.99);
    expect(st.rAny[0]).toBeGreaterThanOrEqual(st.r[0]!);
  });
});
