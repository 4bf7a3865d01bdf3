// Per held-out episode of one run: each latent's mean activation and firing rate. The experiment
// report's representational shift and the server's conditions view both read them, so the view's
// numbers are the report's.
import { encodeJoint, episodeFilter, readEpisodeSample, type SaeModel } from '../sae/index.js';

export interface EpisodeLatentStats {
  episode: number;
  /** Per latent: mean activation over the episode's rows. */
  mean: Float64Array;
  /** Per latent: fraction of the episode's rows where it fires. */
  rate: Float64Array;
}

/** The held-out episodes of `dir` (model.cfg.holdoutEvery), in order of first appearance. */
export function episodeLatentStats(model: SaeModel, dir: string, agents: readonly string[]): EpisodeLatentStats[] {
  const m = model.cfg.latents;
  const s = readEpisodeSample([dir], [...agents], Number.MAX_SAFE_INTEGER, episodeFilter('heldout', model.cfg.holdoutEvery));
  const z = encodeJoint(model, s.xs, s.rows);
  const byEp = new Map<number, { sum: Float64Array; fire: Float64Array; rows: number }>();
  for (let i = 0; i < s.rows; i++) {
    const e = s.episode[i]!;
    let acc = byEp.get(e);
    if (!acc) byEp.set(e, (acc = { sum: new Float64Array(m), fire: new Float64Array(m), rows: 0 }));
    acc.rows++;
    for (let j = 0; j < m; j++) {
      const v = z[i * m + j]!;
      acc.sum[j] = acc.sum[j]! + v;
      if (v > 0) acc.fire[j] = acc.fire[j]! + 1;
    }
  }
  return [...byEp].map(([episode, acc]) => ({ episode, mean: acc.sum.map((v) => v / acc.rows), rate: acc.fire.map((v) => v / acc.rows) }));
}
