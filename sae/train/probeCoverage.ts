// After `train` has trained the dictionary at the size it chose: which of the reproducible probe
// latents (those a second probe seed reproduces, autoSize.ts) the dictionary left without any
// reading. A reproducible probe latent is structure two seeds agree on; if no latent of the
// dictionary correlates with it even weakly (best |r| < UNREAD_R on the held-out rows), the
// dictionary spent its latents elsewhere (on an agent's second reading of a shared thought, on
// rare detail) and that structure, often a private thought, has no latent at all. With config
// `grow` (off by default) `train` then retrains once with ⌈h·U⌉ more latents (U unread, h the
// size headroom) — room added only where the data shows it is missing. Measured neutral on
// held-out runs, hence off (docs/SPLIT.md, "What `train` does with no flags").
import type { SaeModel } from '../checkpoint/checkpoint.js';
import type { EpisodeSample } from '../split/heldOut.js';
import { encodeJoint } from '../model/inference.js';
import { pearsonMatrix } from '../eval/correlation.js';

/** Below this best |r| with every dictionary latent, a reproducible probe latent is unread. */
export const UNREAD_R = 0.3;

export interface UnreadProbeLatent {
  /** Index among the probe's latents. */
  latent: number;
  /** Its best |r| with any latent of the dictionary on the held-out rows. */
  r: number;
}

/** The reproducible probe latents (`reproduced`, indices into `probe`) that no latent of `model` reads. */
export function unreadProbeLatents(probe: SaeModel, reproduced: readonly number[], model: SaeModel, sample: EpisodeSample, minR = UNREAD_R): UnreadProbeLatent[] {
  if (!reproduced.length) return [];
  const mp = probe.cfg.latents;
  const m = model.cfg.latents;
  const zp = encodeJoint(probe, sample.xs, sample.rows);
  const zm = encodeJoint(model, sample.xs, sample.rows);
  const C = pearsonMatrix(zp, mp, zm, m, sample.rows);
  const out: UnreadProbeLatent[] = [];
  for (const i of reproduced) {
    let best = 0;
    for (let j = 0; j < m; j++) best = Math.max(best, Math.abs(C[i * m + j]!) || 0);
    if (best < minR) out.push({ latent: i, r: best });
  }
  return out;
}

/** Latents after growing for `unread` probe latents: ⌈headroom·U⌉ more. */
export function grownLatents(latents: number, unread: number, headroom: number): number {
  return unread > 0 ? latents + Math.ceil(headroom * unread) : latents;
}
