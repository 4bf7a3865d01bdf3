// Attribution against truth. Each view latent is read as the true thought its views track
// best on reference episodes (largest |correlation| of the pair's mean view with a thought;
// the dictionary's latents, canonical components of raw states, anything a channel names).
// A detection's attribution is right when its top-named latent reads one of the planted
// conflict's drifting thoughts, and its named agent is the one whose copy drifted.
import type { Detector } from '../detector.js';
import type { EpisodeSet } from '../input/episodes.js';
import type { ThoughtSeries } from '../input/truth.js';
import { PairChannel } from '../score/pairChannel.js';
import type { Flag } from '../score/scorer.js';
import type { EpisodeOutcome } from './evaluate.js';

/** Channel name → view latent id → the thought it reads (and how well). */
export type LatentThoughts = Map<string, Map<number, { thought: number; correlation: number }>>;

export function latentThoughtMap(d: Detector, reference: EpisodeSet, thoughts: ThoughtSeries, maxRows = 20_000): LatentThoughts {
  const out: LatentThoughts = new Map();
  const T = thoughts.count;
  for (const ch of d.channels) {
    if (!(ch instanceof PairChannel)) continue;
    const K = ch.K;
    // Streaming sums for the correlation of each latent's mean view with each thought.
    const sv = new Float64Array(K);
    const svv = new Float64Array(K);
    const st = new Float64Array(T);
    const stt = new Float64Array(T);
    const svt = new Float64Array(K * T);
    let n = 0;
    for (const e of reference.episodes) {
      if (n >= maxRows) break;
      const [va, vb] = ch.viewModel.views([e.hidden[ch.agentIndex[0]]!, e.hidden[ch.agentIndex[1]]!], e.length);
      for (let r = 0; r < e.length && n < maxRows; r++) {
        const row = thoughts.row(e.episode, e.step[r]!);
        if (row === undefined) continue;
        n++;
        for (let t = 0; t < T; t++) {
          const x = thoughts.values[row * T + t]!;
          st[t] = st[t]! + x;
          stt[t] = stt[t]! + x * x;
        }
        for (let j = 0; j < K; j++) {
          const v = (va[r * K + j]! + vb[r * K + j]!) / 2;
          sv[j] = sv[j]! + v;
          svv[j] = svv[j]! + v * v;
          for (let t = 0; t < T; t++) svt[j * T + t] = svt[j * T + t]! + v * thoughts.values[row * T + t]!;
        }
      }
    }
    const m = new Map<number, { thought: number; correlation: number }>();
    if (n > 2) {
      for (let j = 0; j < K; j++) {
        let best = -1;
        let bc = 0;
        for (let t = 0; t < T; t++) {
          const cov = svt[j * T + t]! / n - (sv[j]! / n) * (st[t]! / n);
          const vv = svv[j]! / n - (sv[j]! / n) ** 2;
          const tt = stt[t]! / n - (st[t]! / n) ** 2;
          const c = vv > 0 && tt > 0 ? cov / Math.sqrt(vv * tt) : 0;
          if (Math.abs(c) > Math.abs(bc)) {
            bc = c;
            best = t;
          }
        }
        if (best >= 0) m.set(ch.viewModel.latents[j]!.id, { thought: best, correlation: Math.round(bc * 1e3) / 1e3 });
      }
    }
    out.set(ch.name, m);
  }
  return out;
}

/** The thought each of a flag's named latents reads, or null where unknown. */
export function flagThoughts(f: Flag, map: LatentThoughts | null): (number | null)[] | null {
  if (!map) return null;
  const m = map.get(f.channel);
  if (!m) return null;
  return f.latents.map((l) => m.get(l.latent)?.thought ?? null);
}

/** Marks each detection with truth as attributed right or wrong (in place; returns the outcomes). */
export function attributeOutcomes(outcomes: EpisodeOutcome[], flags: readonly Flag[], map: LatentThoughts | null): EpisodeOutcome[] {
  const byKey = new Map(flags.map((f) => [`${f.episode}/${f.step}`, f]));
  for (const e of outcomes) {
    for (const c of e.conflicts) {
      if (!c.truth || c.flagRow === null || c.flagRow === undefined || !e.stepIds) continue;
      const f = byKey.get(`${e.episode}/${e.stepIds[c.flagRow]!}`);
      if (!f) continue;
      const th = flagThoughts(f, map);
      const top = th?.[0] ?? null;
      c.attribution = {
        latentCorrect: top === null ? null : c.truth.thoughts.includes(top),
        agentCorrect: f.movedAgent === null ? null : f.movedAgent === c.truth.agent,
      };
    }
  }
  return outcomes;
}
