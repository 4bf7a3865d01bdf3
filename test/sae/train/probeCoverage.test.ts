// The coverage check after `train` chose the size: reproducible probe latents that no latent of the
// trained dictionary reads (best |r| < 0.3) make train retrain once with ⌈h·U⌉ more latents.
import { describe, expect, it } from 'vitest';
import { handModel } from '../handModelFixture.js';
import { grownLatents, unreadProbeLatents, UNREAD_R } from '../../../sae/train/probeCoverage.js';
import { makeRng } from '../../../util/random.js';

describe('unreadProbeLatents', () => {
  const rows = 500;
  const rng = makeRng(11);
  const x = new Float32Array(rows * 2);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const sample = { xs: [x, new Float32Array(rows)], rows, episode: new Int32Array(rows) };
  // The probe reads +x0, −x0, +x1, −x1 (one latent each); the dictionary only ±x0.
  const probe = handModel([1, -1, 0, 0, 0, 0, 1, -1], [1, 0, -1, 0, 0, 1, 0, -1], 4, 4);
  const model = handModel([1, -1, 0, 0], [1, 0, -1, 0], 2, 2);

  it('names the reproduced probe latents the dictionary has no reading of', () => {
    const unread = unreadProbeLatents(probe, [0, 1, 2, 3], model, sample);
    expect(unread.map((u) => u.latent)).toEqual([2, 3]);
    for (const u of unread) expect(u.r).toBeLessThan(UNREAD_R);
  });

  it('looks only at the reproduced ones, and finds nothing when the dictionary reads them all', () => {
    expect(unreadProbeLatents(probe, [0, 2], model, sample).map((u) => u.latent)).toEqual([2]);
    expect(unreadProbeLatents(probe, [0, 1], model, sample)).toEqual([]);
    expect(unreadProbeLatents(probe, [], model, sample)).toEqual([]);
    expect(unreadProbeLatents(probe, [0, 1, 2, 3], probe, sample)).toEqual([]);
  });
});

describe('grownLatents', () => {
  it('adds ⌈headroom × unread⌉ latents, none when nothing is unread', () => {
    expect(grownLatents(24, 1, 1.25)).toBe(26);
    expect(grownLatents(24, 0, 1.25)).toBe(24);
    expect(grownLatents(10, 3, 1.75)).toBe(16);
  });
});
