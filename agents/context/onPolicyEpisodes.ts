// Dataset aggregation (DAgger, Ross et al. 2011) for the imitation-trained in-context agents:
// the current agent plays the co-players itself (sampling its moves) and every round it
// reached is labelled with the exact best-response move. Training on the expert's histories
// alone leaves the agent lost after its own first mistakes (it never saw them labelled).
import type { Rng } from '../../util/random.js';
import type { SeqModel } from '../ipd/index.js';
import type { CompiledStyle } from '../pool/index.js';
import type { LabelledEpisodes } from './bestResponseEpisodes.js';
import { playInContext } from './playInContext.js';

export function onPolicyEpisodes(model: SeqModel, styles: readonly CompiledStyle[], episodesPerStyle: number, steps: number, rng: Rng): LabelledEpisodes {
  const n = styles.length * episodesPerStyle;
  const T = steps;
  const coPlayer = Int32Array.from({ length: n }, (_, i) => Math.floor(i / episodesPerStyle));
  const rec = playInContext(model, { kind: 'styles', styles, assign: coPlayer }, n, rng, { steps: T, greedy: false });
  const obs = new Int32Array(n * T);
  const best = new Uint8Array(n * T);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < T; t++) {
      best[i * T + t] = rec.best[t * n + i]!;
      if (t > 0) obs[i * T + t] = 1 + 2 * rec.actions[(t - 1) * n + i]! + rec.coActions[(t - 1) * n + i]!;
    }
  }
  return { n, steps: T, obs, best, coPlayer };
}

/** b's episodes after a's (same length). */
export function concatLabelled(a: LabelledEpisodes, b: LabelledEpisodes): LabelledEpisodes {
  const cat = <A extends Int32Array | Uint8Array>(x: A, y: A, make: (n: number) => A): A => {
    const out = make(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  };
  return {
    n: a.n + b.n,
    steps: a.steps,
    obs: cat(a.obs, b.obs, (n) => new Int32Array(n)),
    best: cat(a.best, b.best, (n) => new Uint8Array(n)),
    coPlayer: cat(a.coPlayer, b.coPlayer, (n) => new Int32Array(n)),
  };
}
