// A Moran process over a tournament's payoff matrix (Nowak, Sasaki, Taylor & Fudenberg,
// Nature 2004; the Axelrod library's MoranProcess): a finite population of N players of two
// types, one invader (mutant) among N − 1 residents. Each step one individual reproduces with
// probability proportional to its fitness and its offspring replaces one individual drawn
// uniformly; the process ends when one type has taken over (fixation).
//
// Payoffs are the tournament's mean payoff per turn, shifted by −S = +1 so that every payoff
// is ≥ 0 (as in the ecological run). With i invaders, an invader meets i − 1 invaders and
// N − i residents (no self-interaction):
//   π_A(i) = [a(i − 1) + b(N − i)] / (N − 1),   π_B(i) = [c·i + d(N − i − 1)] / (N − 1),
// a = M[A][A], b = M[A][B], c = M[B][A], d = M[B][B]; fitness f = 1 − w + w·π (w = intensity
// of selection, 1 = fitness is the payoff). The exact fixation probability of one invader is
//   ρ = 1 / (1 + Σ_{k=1}^{N−1} Π_{j=1}^{k} f_B(j) / f_A(j)),
// neutral drift gives ρ = 1/N. `moran` reports both ρ and a seeded simulation of the
// process (its embedded chain: from i, the next change is i + 1 with probability
// f_A(i) / (f_A(i) + f_B(i))). ρ > 1/N means selection favours the invader; within a band
// of ±5 % of 1/N a pair is called neutral.
import { makeRng, type Rng } from '../../util/random.js';
import { wilsonInterval } from '../../util/wilsonInterval.js';
import { S } from '../ipd/payoffs.js';
import type { TournamentResult } from './tournament.js';

export interface MoranOptions {
  /** Population size N (default 20). */
  size?: number;
  /** Simulated runs per (invader, resident) pair (default 1000). */
  runs?: number;
  /** Intensity of selection w in [0, 1] (default 1). */
  selection?: number;
  seed?: number;
  /**
   * Relative band around 1/N called neutral (default 0.05: ρ within 5 % of 1/N), so that two
   * players who play alike (every payoff equal up to rounding) are not called selected.
   */
  neutralBand?: number;
}

/** Payoffs of a two-type game, shifted to be ≥ 0: a = A vs A, b = A vs B, c = B vs A, d = B vs B. */
export interface TwoTypeGame {
  a: number;
  b: number;
  c: number;
  d: number;
}

export interface Fixation {
  /** Share of simulated runs in which the single mutant took over, with a 95 % Wilson interval. */
  simulated: number;
  lo: number;
  hi: number;
  /** Exact fixation probability. */
  exact: number;
}

export interface MoranPair {
  invader: string;
  resident: string;
  /** One `invader` among N − 1 `resident`s. */
  invades: Fixation;
  /** The other way round: one `resident` among N − 1 `invader`s. */
  resisted: Fixation;
  /** Selection on one invader among residents: ρ above, within or below 1/N ± the neutral band. */
  invasion: Selection;
  /** Selection on one resident among invaders (the invader's resistance when 'opposed'). */
  reverse: Selection;
}

/** 'favoured': ρ > (1 + band)/N; 'opposed': ρ < (1 − band)/N; else 'neutral'. */
export type Selection = 'favoured' | 'neutral' | 'opposed';

export interface MoranResult {
  size: number;
  runs: number;
  selection: number;
  seed: number;
  payoffShift: number;
  /** 1/N: the fixation probability under neutral drift. */
  neutral: number;
  neutralBand: number;
  pairs: MoranPair[];
}

function fitnessAt(g: TwoTypeGame, i: number, N: number, w: number): [number, number] {
  const pa = (g.a * (i - 1) + g.b * (N - i)) / (N - 1);
  const pb = (g.c * i + g.d * (N - i - 1)) / (N - 1);
  return [1 - w + w * pa, 1 - w + w * pb];
}

/** Exact probability that one A mutant among N − 1 B residents takes over. */
export function fixationProbability(g: TwoTypeGame, N: number, w = 1): number {
  if (!(N >= 2)) return NaN;
  let sum = 1;
  let prod = 1;
  for (let j = 1; j < N; j++) {
    const [fa, fb] = fitnessAt(g, j, N, w);
    // both fitnesses 0: no one reproduces in this state; treat the step as neutral
    prod *= fa === 0 && fb === 0 ? 1 : fb / fa;
    if (!Number.isFinite(prod)) return 0;
    sum += prod;
  }
  return 1 / sum;
}

/** Simulates `runs` Moran processes from one A mutant; returns how many ended with A fixed. */
export function simulateFixations(g: TwoTypeGame, N: number, w: number, runs: number, rng: Rng): number {
  const up = new Float64Array(N);
  for (let i = 1; i < N; i++) {
    const [fa, fb] = fitnessAt(g, i, N, w);
    up[i] = fa + fb > 0 ? fa / (fa + fb) : 0.5;
  }
  let fixed = 0;
  for (let r = 0; r < runs; r++) {
    let i = 1;
    while (i > 0 && i < N) i += rng.next() < up[i]! ? 1 : -1;
    if (i === N) fixed++;
  }
  return fixed;
}

/** The two-type game of row player `i` (A) against `j` (B), payoffs shifted by −S. */
export function twoTypeGame(matrix: readonly (readonly number[])[], i: number, j: number): TwoTypeGame {
  const shift = -S;
  const m = (x: number, y: number): number => matrix[x]![y]! + shift;
  return { a: m(i, i), b: m(i, j), c: m(j, i), d: m(j, j) };
}

/**
 * Fixation of each invader in a population of each resident (and back), from the
 * tournament's payoff matrix. Names must be tournament players; a pair of a player with
 * itself is skipped.
 */
export function moran(t: TournamentResult, invaders: readonly string[], residents: readonly string[], opts: MoranOptions = {}): MoranResult {
  const N = opts.size ?? 20;
  const runs = opts.runs ?? 1000;
  const w = opts.selection ?? 1;
  const seed = opts.seed ?? 1;
  const band = opts.neutralBand ?? 0.05;
  const select = (rho: number): Selection => (rho > (1 + band) / N ? 'favoured' : rho < (1 - band) / N ? 'opposed' : 'neutral');
  const rng = makeRng(seed * 7919 + 17);
  const index = (name: string): number => {
    const k = t.players.indexOf(name);
    if (k < 0) throw new RangeError(`'${name}' is not a player of the tournament`);
    return k;
  };
  const fix = (g: TwoTypeGame, r: Rng): Fixation => {
    const k = simulateFixations(g, N, w, runs, r);
    const ci = wilsonInterval(k, runs);
    return { simulated: ci.estimate, lo: ci.lo, hi: ci.hi, exact: fixationProbability(g, N, w) };
  };
  const pairs: MoranPair[] = [];
  for (const inv of invaders) {
    for (const res of residents) {
      if (inv === res) continue;
      const i = index(inv);
      const j = index(res);
      const pr = rng.fork();
      const invades = fix(twoTypeGame(t.payoffMatrix, i, j), pr);
      const resisted = fix(twoTypeGame(t.payoffMatrix, j, i), pr);
      pairs.push({ invader: inv, resident: res, invades, resisted, invasion: select(invades.exact), reverse: select(resisted.exact) });
    }
  }
  return { size: N, runs, selection: w, seed, payoffShift: -S, neutral: 1 / N, neutralBand: band, pairs };
}
