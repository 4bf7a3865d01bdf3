// Agents against strangers, judged against the exact optimum: for every co-player style
// with an exact benchmark, each player's expected payoff as a fraction of the exact best
// response, (payoff − worst) / (best − worst). Tit-for-tat and win-stay-lose-shift are
// always included and computed exactly; other players (learned agents, the Bayesian
// baseline) are played out: `episodes` sampled episodes per style.
import { bootstrapGroups, type Interval } from '../../util/bootstrap.js';
import { median } from '../../util/quantile.js';
import { makeRng } from '../../util/random.js';
import { playMatch } from '../ipd/playMatch.js';
import type { SeqModel } from '../ipd/seqModel.js';
import { StylePlayers, type CompiledStyle } from '../pool/index.js';
import { titForTat, winStayLoseShift } from './machineAgent.js';
import { exactPayoff, fractionOfOptimum, hasExactOptimum, optimum } from './optimum.js';

export interface OptimumPlayer {
  name: string;
  model: SeqModel;
  /** Identity feature for models trained with one (featuresPerStep > 1): the "unknown co-player" id. */
  identity?: number;
}

export interface OptimumEvalOptions {
  /** Rounds per episode (default 100). */
  horizon?: number;
  /** Sampled episodes per style for played-out players (default 10). */
  episodes?: number;
  seed?: number;
  /** A player "matches tit-for-tat" on a style when its fraction ≥ TFT's − tolerance (default 0.01). */
  tolerance?: number;
  resamples?: number;
  /** Episodes per playMatch call (memory bound; default 400). */
  chunk?: number;
}

export interface StrategyResult {
  style: string;
  group: string;
  best: number;
  worst: number;
  /** Expected total payoff per player (exact for TFT and WSLS, sampled mean otherwise). */
  payoff: Record<string, number>;
  fraction: Record<string, number>;
}

export interface PlayerSummary {
  name: string;
  /** true: computed exactly; false: sampled. */
  exact: boolean;
  meanFraction: Interval;
  medianFraction: number;
  /** Share of styles on which the player's fraction ≥ tit-for-tat's − tolerance. */
  atLeastTft: Interval;
  payoffPerRound: number;
}

export interface OptimumReport {
  horizon: number;
  episodes: number;
  seed: number;
  tolerance: number;
  styles: number;
  /** Styles without an exact benchmark (random timers or tables), with the reason. */
  skipped: { style: string; reason: string }[];
  players: PlayerSummary[];
  results: StrategyResult[];
}

export const TFT_NAME = 'tit-for-tat';
export const WSLS_NAME = 'win-stay-lose-shift';

export function evaluateOptimum(players: readonly OptimumPlayer[], styles: readonly CompiledStyle[], opts: OptimumEvalOptions = {}): OptimumReport {
  const T = opts.horizon ?? 100;
  const E = opts.episodes ?? 10;
  const seed = opts.seed ?? 12345;
  const tol = opts.tolerance ?? 0.01;
  const chunk = Math.max(E, opts.chunk ?? 400);
  const exact = styles.filter(hasExactOptimum);
  const skipped = styles.filter((s) => !hasExactOptimum(s)).map((s) => ({ style: s.name, reason: s.randomize ? 'random table per episode' : 'random timer ("after")' }));
  const tft = titForTat();
  const wsls = winStayLoseShift();
  const results: StrategyResult[] = exact.map((s) => {
    const opt = optimum(s, T);
    const payoff: Record<string, number> = { [TFT_NAME]: exactPayoff(tft, s, T), [WSLS_NAME]: exactPayoff(wsls, s, T) };
    return { style: s.name, group: s.group, best: opt.best, worst: opt.worst, payoff, fraction: {} };
  });
  const rng = makeRng(seed);
  const perChunk = Math.max(1, Math.floor(chunk / E));
  for (const p of players) {
    for (let lo = 0; lo < exact.length; lo += perChunk) {
      const part = exact.slice(lo, lo + perChunk);
      const n = part.length * E;
      const players = new StylePlayers(part, n, rng.fork());
      const assign = Int32Array.from({ length: n }, (_, i) => Math.floor(i / E));
      const identityA = p.model.cfg.featuresPerStep > 1 ? new Int32Array(n).fill(p.identity ?? 0) : null;
      const rec = playMatch(p.model, { kind: 'pool', players, assign }, n, T, rng.fork(), { identityA });
      const total = new Float64Array(part.length);
      for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) total[Math.floor(i / E)] = total[Math.floor(i / E)]! + rec.a.rewards[t * n + i]!;
      part.forEach((_, j) => (results[lo + j]!.payoff[p.name] = total[j]! / E));
    }
  }
  const names = [...players.map((p) => p.name), TFT_NAME, WSLS_NAME];
  for (const r of results) for (const name of names) r.fraction[name] = fractionOfOptimum(r.payoff[name]!, r);
  const scored = results.filter((r) => Number.isFinite(r.fraction[TFT_NAME]));
  const summaries = names.map((name, j): PlayerSummary => {
    const fr = scored.map((r) => r.fraction[name]!);
    const boot = { resamples: opts.resamples ?? 1000, seed: seed + j };
    return {
      name,
      exact: name === TFT_NAME || name === WSLS_NAME,
      meanFraction: bootstrapGroups(fr, mean, boot),
      medianFraction: median(fr),
      atLeastTft: bootstrapGroups(
        scored.map((r) => (r.fraction[name]! >= r.fraction[TFT_NAME]! - tol ? 1 : 0)),
        mean,
        boot,
      ),
      payoffPerRound: mean(results.map((r) => r.payoff[name]!)) / T,
    };
  });
  return { horizon: T, episodes: E, seed, tolerance: tol, styles: exact.length, skipped, players: summaries, results };
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return xs.length ? s / xs.length : NaN;
}
