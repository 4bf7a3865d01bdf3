import { describe, expect, it } from 'vitest';
import { groupFolds, scorePredictors, type PredictionEpisode } from '../../experiments/index.js';
import { makeRng } from '../../util/random.js';

// Synthetic episodes: 60 (seed, co-player) groups × 4 episodes in the condition and 4 in the
// baseline, 16 latents and 8 raw dimensions of noise. Latent 3 shifts with the condition
// (+1 s.d.) in every case; what drives the episode's defection differs.
type Drive = 'latent' | 'none' | 'label';
function episodes(drive: Drive, seed = 7): PredictionEpisode[] {
  const rng = makeRng(seed);
  const out: PredictionEpisode[] = [];
  for (let g = 0; g < 60; g++) {
    for (const inCondition of [true, false]) {
      for (let e = 0; e < 4; e++) {
        const u = rng.normal(); // the episode's own variation of latent 3
        const latents = Float64Array.from({ length: 16 }, () => Math.max(0, 1 + 0.5 * rng.normal()));
        latents[3] = 2 + (inCondition ? 1 : 0) + u;
        const raw = Float64Array.from({ length: 8 }, () => rng.normal());
        const noise = 0.03 * rng.normal();
        const defection = drive === 'latent' ? 0.5 + 0.12 * (latents[3]! - 2.5) + noise : drive === 'label' ? 0.4 + (inCondition ? 0.2 : 0) + noise : 0.5 + 0.1 * rng.normal();
        out.push({ group: `s1|${g}`, inCondition, latents, raw, defection, firstDefection: Math.round(20 * (1 - defection)) });
      }
    }
  }
  return out;
}

describe('latent prediction of defection', () => {
  it('folds keep each (seed, co-player) group together and are deterministic', () => {
    const eps = episodes('none');
    const f = groupFolds(eps, 5, 3);
    const byGroup = new Map<string, Set<number>>();
    eps.forEach((e, i) => byGroup.set(e.group, (byGroup.get(e.group) ?? new Set()).add(f[i]!)));
    for (const s of byGroup.values()) expect(s.size).toBe(1);
    expect(new Set(f).size).toBe(5);
    expect(groupFolds(eps, 5, 3)).toEqual(f);
  });

  it('a latent that drives defection: high held-out AUROC and R², pooled and within the condition, beyond the label', () => {
    const eps = episodes('latent');
    const pooled = scorePredictors(eps, 'pooled', { resamples: 200 });
    expect(pooled.episodes).toBe(480);
    expect(pooled.latents.auroc.estimate).toBeGreaterThan(0.9);
    expect(pooled.latents.r2.estimate).toBeGreaterThan(0.7);
    expect(pooled.latents.r2First.estimate).toBeGreaterThan(0.5);
    expect(pooled.label!.r2.estimate).toBeLessThan(0.4);
    expect(pooled.gain!.lo).toBeGreaterThan(0.3); // the latent adds far beyond the label
    expect(pooled.raw.auroc.estimate).toBeGreaterThan(0.35);
    expect(pooled.raw.auroc.estimate).toBeLessThan(0.65); // raw dims are noise here
    expect(pooled.latentsMinusRaw.lo).toBeGreaterThan(0.5);
    expect(pooled.top[0]!.latent).toBe(3);
    expect(pooled.top[0]!.r).toBeGreaterThan(0.8);
    expect(pooled.top[0]!.d).toBeGreaterThan(0.5);
    const within = scorePredictors(eps, 'within', { resamples: 200 });
    expect(within.episodes).toBe(240);
    expect(within.label).toBeNull();
    expect(within.latents.auroc.estimate).toBeGreaterThan(0.9);
    expect(within.latents.auroc.lo).toBeGreaterThan(0.85);
    expect(within.top[0]!.latent).toBe(3);
    // deterministic
    expect(scorePredictors(eps, 'pooled', { resamples: 200 })).toEqual(pooled);
  });

  it('a latent that shifts but does not drive defection: AUROC ≈ 0.5, R² ≤ 0', () => {
    const eps = episodes('none');
    const pooled = scorePredictors(eps, 'pooled', { resamples: 200 });
    for (const s of [pooled.latents, pooled.labelLatents!, pooled.label!, pooled.raw]) {
      expect(Math.abs(s.auroc.estimate - 0.5)).toBeLessThan(0.1);
      expect(s.r2.estimate).toBeLessThan(0.03);
      expect(s.auroc.lo).toBeLessThan(0.5 + 1e-9 + 0.05);
    }
    const within = scorePredictors(eps, 'within', { resamples: 200 });
    expect(Math.abs(within.latents.auroc.estimate - 0.5)).toBeLessThan(0.1);
    expect(within.latents.r2.estimate).toBeLessThan(0.03);
  });

  it('a latent that only encodes the condition: predicts pooled as well as the label, adds nothing beyond it, ≈ 0.5 within', () => {
    const eps = episodes('label');
    const pooled = scorePredictors(eps, 'pooled', { resamples: 200 });
    expect(pooled.label!.auroc.estimate).toBeGreaterThan(0.95);
    expect(pooled.latents.auroc.estimate).toBeGreaterThan(0.6); // the shift is visible in the latent …
    expect(pooled.gain!.lo).toBeLessThan(0.01); // … but adds nothing beyond the label
    expect(pooled.gain!.hi).toBeLessThan(0.05);
    const within = scorePredictors(eps, 'within', { resamples: 200 });
    expect(Math.abs(within.latents.auroc.estimate - 0.5)).toBeLessThan(0.1);
  });
});
