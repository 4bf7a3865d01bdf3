// Episodes against known co-players labelled with the exact best response: the agent seat
// plays the best-response move (optimum.ts) with probability 1 − ε and a coin flip otherwise,
// ε drawn per episode from [0, explore] (so off-optimal histories, like the agent's own
// mistakes, are covered), and every round carries the exact
// best-response move for the co-player's true state. These are the supervised examples the
// in-context agents imitate: the label needs the co-player's identity, the agent sees only
// the joint outcomes.
import type { Rng } from '../../util/random.js';
import { UsageError } from '../../data/index.js';
import type { CompiledStyle } from '../pool/index.js';
import { exactMachine, hasExactOptimum, optimum } from '../population/index.js';

export interface LabelledEpisodes {
  n: number;
  steps: number;
  /** Observation fed each round (0 = start, 1 + 2·own + other afterwards), episode-major n·steps. */
  obs: Int32Array;
  /** Exact best-response move for the round (0 = C, 1 = D; C on an exact tie), episode-major. */
  best: Uint8Array;
  /** Co-player (index into the styles) per episode. */
  coPlayer: Int32Array;
}

export interface BestResponseEpisodeOptions {
  episodesPerStyle: number;
  steps: number;
  /** Largest probability of a random move in the agent seat: each episode draws its rate uniformly from [0, explore] (default 0.5). */
  explore?: number;
}

/** The best move at (round t, co-player state s) from optimal action values q; C on a tie. */
export function bestMove(q: Float64Array, nStates: number, t: number, s: number): number {
  const j = (t * nStates + s) * 2;
  return q[j]! >= q[j + 1]! - 1e-12 ? 0 : 1;
}

export function bestResponseEpisodes(styles: readonly CompiledStyle[], o: BestResponseEpisodeOptions, rng: Rng): LabelledEpisodes {
  const bad = styles.find((s) => !hasExactOptimum(s));
  if (bad) throw new UsageError(`co-player '${bad.name}' has no exact best response (hidden random state): filter styles with hasExactOptimum`);
  const T = o.steps;
  const maxExplore = o.explore ?? 0.5;
  const n = styles.length * o.episodesPerStyle;
  const obs = new Int32Array(n * T);
  const best = new Uint8Array(n * T);
  const coPlayer = new Int32Array(n);
  let e = 0;
  styles.forEach((style, k) => {
    const m = exactMachine(style);
    const { q } = optimum(style, T);
    for (let r = 0; r < o.episodesPerStyle; r++, e++) {
      coPlayer[e] = k;
      let s = m.initial;
      let prev = 0;
      const explore = maxExplore * rng.next();
      for (let t = 0; t < T; t++) {
        const b = bestMove(q, m.nStates, t, s);
        obs[e * T + t] = prev;
        best[e * T + t] = b;
        const a = rng.next() < explore ? rng.int(2) : b;
        const c = rng.next() < m.coop[s]! ? 0 : 1;
        prev = 1 + 2 * a + c;
        // the co-player's machine reads the outcome from its side: own (its) move first
        s = m.next[s * 4 + 2 * c + a]!;
      }
    }
  });
  return { n, steps: T, obs, best, coPlayer };
}
