// Behavioural evaluation of an agent: cooperation per co-player style (overall, late in
// the episode, by round with 95% intervals), rounds needed to adapt, a mid-episode style
// switch, and learner-vs-learner play.
import { makeRng } from '../../util/random.js';
import { StylePlayers, styleIndex, type Pool } from '../pool/index.js';
import { playMatch, type MatchRecord } from './playMatch.js';
import type { SeqModel } from './seqModel.js';

export interface EvalOptions {
  episodes?: number;
  episodeLength?: number;
  seed?: number;
  /** Late-episode window: the last `lateFraction` of rounds (default 0.2). */
  lateFraction?: number;
}

export interface CoopCurve {
  /** Mean cooperation of the agent per round. */
  mean: number[];
  /** Half-width of the normal 95% interval per round. */
  ci95: number[];
}

export interface StyleEval {
  style: string;
  group: string;
  heldOut: boolean;
  coop: number;
  lateCoop: number;
  reward: number;
  coPlayerReward: number;
  /** First round after which a 5-round window of cooperation stays within 0.1 of the late level. */
  adaptRounds: number;
  curve: CoopCurve;
}

export function identityFor(model: SeqModel, n: number, id: number): Int32Array | null {
  return model.cfg.featuresPerStep > 1 ? new Int32Array(n).fill(id) : null;
}

export function summarise(rec: MatchRecord, lateFraction = 0.2): { coop: number; lateCoop: number; reward: number; coPlayerReward: number; curve: CoopCurve; adaptRounds: number } {
  const { n, steps } = rec;
  const lateFrom = Math.floor(steps * (1 - lateFraction));
  let coop = 0;
  let late = 0;
  let reward = 0;
  let other = 0;
  const mean: number[] = [];
  const ci95: number[] = [];
  for (let t = 0; t < steps; t++) {
    let c = 0;
    for (let i = 0; i < n; i++) {
      const k = t * n + i;
      c += rec.a.actions[k] === 0 ? 1 : 0;
      reward += rec.a.rewards[k]!;
      other += rec.bRewards[k]!;
    }
    const p = c / n;
    mean.push(p);
    ci95.push(1.96 * Math.sqrt((p * (1 - p)) / n));
    coop += c;
    if (t >= lateFrom) late += c;
  }
  const lateCoop = late / (n * (steps - lateFrom));
  return {
    coop: coop / (n * steps),
    lateCoop,
    reward: reward / (n * steps),
    coPlayerReward: other / (n * steps),
    curve: { mean, ci95 },
    adaptRounds: adaptRounds(mean, lateCoop, 0),
  };
}

/** First round r ≥ from such that every 5-round window from r on is within 0.1 of `level`. */
export function adaptRounds(curve: number[], level: number, from: number): number {
  const w = 5;
  let last = from;
  for (let t = from; t + w <= curve.length; t++) {
    let s = 0;
    for (let j = t; j < t + w; j++) s += curve[j]!;
    if (Math.abs(s / w - level) > 0.1) last = t + 1;
  }
  return last - from;
}

export function evaluateVsStyles(model: SeqModel, pool: Pool, opts: EvalOptions = {}, styles?: number[]): StyleEval[] {
  const n = opts.episodes ?? 200;
  const T = opts.episodeLength ?? 100;
  const rng = makeRng(opts.seed ?? 12345);
  const players = new StylePlayers(pool.styles, n, rng.fork());
  return (styles ?? pool.styles.map((_, i) => i)).map((s) => {
    const st = pool.styles[s]!;
    const rec = playMatch(model, { kind: 'pool', players, assign: new Int32Array(n).fill(s) }, n, T, rng, {
      identityA: identityFor(model, n, s),
    });
    return { style: st.name, group: st.group, heldOut: st.heldOut, ...summarise(rec, opts.lateFraction) };
  });
}

export interface SwitchEval {
  from: string;
  to: string;
  switchAt: number;
  /** Cooperation late before the switch and late after it. */
  coopBefore: number;
  coopAfter: number;
  /** Rounds after the switch until cooperation settles within 0.1 of its final level. */
  adaptRounds: number;
  curve: CoopCurve;
}

export function evaluateSwitch(model: SeqModel, pool: Pool, from: string, to: string, opts: EvalOptions & { switchAt?: number } = {}): SwitchEval {
  const n = opts.episodes ?? 200;
  const T = opts.episodeLength ?? 100;
  const at = opts.switchAt ?? Math.floor(T / 2);
  const rng = makeRng(opts.seed ?? 777);
  const players = new StylePlayers(pool.styles, n, rng.fork());
  const a = styleIndex(pool, from);
  const b = styleIndex(pool, to);
  const rec = playMatch(
    model,
    { kind: 'pool', players, assign: new Int32Array(n).fill(a), switchAt: { step: at, to: new Int32Array(n).fill(b) } },
    n,
    T,
    rng,
    // the identity ablation is told the style it starts against (it is not told of the switch)
    { identityA: identityFor(model, n, a) },
  );
  const s = summarise(rec);
  const window = Math.max(1, Math.floor(at / 5));
  const avg = (lo: number, hi: number): number => s.curve.mean.slice(lo, hi).reduce((x, y) => x + y, 0) / (hi - lo);
  const coopAfter = avg(T - window, T);
  return {
    from,
    to,
    switchAt: at,
    coopBefore: avg(at - window, at),
    coopAfter,
    adaptRounds: adaptRounds(s.curve.mean, coopAfter, at),
    curve: s.curve,
  };
}

export interface PairEval {
  coopA: number;
  coopB: number;
  lateCoopA: number;
  lateCoopB: number;
  rewardA: number;
  rewardB: number;
  curve: CoopCurve;
}

export function evaluatePair(a: SeqModel, b: SeqModel, nStyles: number, opts: EvalOptions = {}): PairEval {
  const n = opts.episodes ?? 200;
  const T = opts.episodeLength ?? 100;
  const rng = makeRng(opts.seed ?? 999);
  const rec = playMatch(a, { kind: 'model', model: b, identity: identityFor(b, n, nStyles) }, n, T, rng, {
    identityA: identityFor(a, n, nStyles),
  });
  const sa = summarise(rec, opts.lateFraction);
  const lateFrom = Math.floor(T * (1 - (opts.lateFraction ?? 0.2)));
  let cb = 0;
  let lb = 0;
  for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) {
    const c = rec.bActions[t * n + i] === 0 ? 1 : 0;
    cb += c;
    if (t >= lateFrom) lb += c;
  }
  return {
    coopA: sa.coop,
    coopB: cb / (n * T),
    lateCoopA: sa.lateCoop,
    lateCoopB: lb / (n * (T - lateFrom)),
    rewardA: sa.reward,
    rewardB: sa.coPlayerReward,
    curve: sa.curve,
  };
}
