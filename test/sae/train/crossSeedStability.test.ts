// The witness comparison behind the split's 'rare' rule: each latent's one-to-one (Hungarian)
// match and, beside it, its best correlation with any witness latent, which finds a duplicate
// that the one-to-one match gives away to its twin.
import { describe, expect, it } from 'vitest';
import { resolveSaeConfig } from '../../../sae/index.js';
import type { SaeModel } from '../../../sae/checkpoint/checkpoint.js';
import { crossSeedStability } from '../../../sae/train/autoSize.js';
import { makeRng } from '../../../util/random.js';

/** A dictionary of 3 latents over a 2-d agent A (encoder `enc`: input i, latent j; k = 3) and an empty 1-d agent B. */
function model(enc: number[]): SaeModel {
  const cfg = resolveSaeConfig({
    agents: [
      { id: 'A', dim: 2 },
      { id: 'B', dim: 1 },
    ],
    latents: 3,
    k: 3,
    seed: 1,
  });
  return {
    cfg,
    params: {
      'enc.A.W': { data: Float32Array.from(enc), shape: [2, 3] },
      'enc.b': { data: new Float32Array(3), shape: [3] },
      'dec.A.W': { data: Float32Array.from([1, 0, 0, 1, 0, 1]), shape: [3, 2] },
      'dec.A.b': { data: new Float32Array(2), shape: [2] },
      'enc.B.W': { data: new Float32Array(3), shape: [1, 3] },
      'dec.B.W': { data: new Float32Array(3), shape: [3, 1] },
      'dec.B.b': { data: new Float32Array(1), shape: [1] },
    },
    norms: [
      { mean: new Float32Array(2), scale: 1 },
      { mean: new Float32Array(1), scale: 1 },
    ],
    threshold: NaN,
    meta: {} as SaeModel['meta'],
  };
}

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
