// In-context adaptation of an agent against held-out co-players, judged against the exact
// best response: per co-player, the payoff as a fraction of the optimum, the share of rounds
// on which the agent played the best-response move, its defection rate and first defection;
// per round, the best-response rate (the adaptation curve) and the rounds it takes to settle.
// Intervals are percentile bootstraps over co-players.
import { bootstrapGroups, type Interval } from '../../util/bootstrap.js';
import { makeRng } from '../../util/random.js';
import { adaptRounds, type SeqModel } from '../ipd/index.js';
import type { CompiledStyle } from '../pool/index.js';
import { fractionOfOptimum, optimum } from '../population/index.js';
import { peerPrefix, type PeerPrefixSpec } from './peerPrefix.js';
import { playInContext, type ContextPlayRecord } from './playInContext.js';
import type { HistoryTransform } from './historyTransform.js';

export interface AdaptationOptions {
  episodesPerStyle: number;
  steps: number;
  seed: number;
  prefix?: PeerPrefixSpec | null;
  history?: HistoryTransform | null;
  greedy?: boolean;
  resamples?: number;
}

/** Per co-player means (each over its episodes). */
export interface CoPlayerAdaptation {
  style: string;
  fraction: number;
  bestRate: number;
  /** Best-response rate from the history edit on (the whole episode without one). */
  bestRateAfter: number;
  defection: number;
  /** Mean round of the first defection (steps when it never defects). */
  firstDefection: number;
}

export interface AdaptationEval {
  coPlayers: number;
  episodes: number;
  steps: number;
  fractionOfOptimum: Interval;
  bestResponseRate: Interval;
  bestRateAfter: Interval;
  defectionRate: Interval;
  firstDefection: Interval;
  /** Best-response rate per round. */
  curve: number[];
  /** Rounds until the best-response rate settles (adaptRounds of the curve at its last-20% level). */
  adaptRounds: number;
  perCoPlayer: CoPlayerAdaptation[];
}

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

export function evaluateAdaptation(model: SeqModel, styles: readonly CompiledStyle[], o: AdaptationOptions): AdaptationEval {
  const E = o.episodesPerStyle;
  const T = o.steps;
  const n = styles.length * E;
  const rng = makeRng(o.seed);
  const assign = Int32Array.from({ length: n }, (_, i) => Math.floor(i / E));
  const prefix = o.prefix ? peerPrefix(o.prefix, n, rng.fork()) : null;
  const rec = playInContext(model, { kind: 'styles', styles, assign }, n, rng.fork(), {
    steps: T,
    ...(prefix ? { prefix, prefixLength: o.prefix!.length } : {}),
    history: o.history ?? null,
    greedy: o.greedy ?? true,
  });
  const from = o.history ? o.history.at : 0;
  const perCoPlayer = styles.map((st, k) => coPlayerStats(rec, st, k, E, T, from));
  const curve = Array.from({ length: T }, (_, t) => {
    let c = 0;
    for (let i = 0; i < n; i++) c += rec.actions[t * n + i] === rec.best[t * n + i] ? 1 : 0;
    return c / n;
  });
  const lateFrom = Math.floor(0.8 * T);
  const late = mean(curve.slice(lateFrom));
  const boot = (f: (c: CoPlayerAdaptation) => number, j: number): Interval =>
    bootstrapGroups(perCoPlayer.map(f).filter((x) => Number.isFinite(x)), mean, { resamples: o.resamples ?? 1000, seed: o.seed + j });
  return {
    coPlayers: styles.length,
    episodes: n,
    steps: T,
    fractionOfOptimum: boot((c) => c.fraction, 1),
    bestResponseRate: boot((c) => c.bestRate, 2),
    bestRateAfter: boot((c) => c.bestRateAfter, 3),
    defectionRate: boot((c) => c.defection, 4),
    firstDefection: boot((c) => c.firstDefection, 5),
    curve,
    adaptRounds: adaptRounds(curve, late, 0),
    perCoPlayer,
  };
}

function coPlayerStats(rec: ContextPlayRecord, style: CompiledStyle, k: number, E: number, T: number, from: number): CoPlayerAdaptation {
  const n = rec.n;
  let total = 0;
  let best = 0;
  let after = 0;
  let defect = 0;
  let first = 0;
  for (let i = k * E; i < (k + 1) * E; i++) {
    let f = T;
    for (let t = 0; t < T; t++) {
      const j = t * n + i;
      total += rec.rewards[j]!;
      const hit = rec.actions[j] === rec.best[j] ? 1 : 0;
      best += hit;
      if (t >= from) after += hit;
      if (rec.actions[j] === 1) {
        defect++;
        if (f === T) f = t;
      }
    }
    first += f;
  }
  const opt = optimum(style, T);
  return {
    style: style.name,
    fraction: fractionOfOptimum(total / E, opt),
    bestRate: best / (E * T),
    bestRateAfter: after / (E * (T - from)),
    defection: defect / (E * T),
    firstDefection: first / E,
  };
}
