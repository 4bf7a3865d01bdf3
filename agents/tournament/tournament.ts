// A round-robin tournament in the shape of the Axelrod library's (Knight et al., JORS 2016):
// every player meets every other for `repetitions` matches of `turns` rounds, each move
// flipped with probability `noise`; players are ranked by their median (over repetitions)
// normalised score — payoff per turn averaged over opponents. Self-interactions are played
// too (they fill the payoff matrix's diagonal, which the ecological run needs) but count in
// no score, win, cooperation rating or state rate.
import { makeRng, type Rng } from '../../util/random.js';
import { median } from '../../util/quantile.js';
import { PAYOFF } from '../ipd/payoffs.js';
import { sigmoid, type SeqModel } from '../ipd/seqModel.js';

export interface TournamentPlayer {
  name: string;
  /** 'agent': a learned or baseline agent; 'strategy': a pool style. */
  kind: 'agent' | 'strategy';
  /** A fresh instance (a player meets itself in two seats). */
  make(): SeqModel;
  /** Identity feature for models that take one (featuresPerStep > 1). */
  identity?: number;
}

export interface TournamentOptions {
  turns?: number;
  repetitions?: number;
  noise?: number;
  seed?: number;
}

export interface PlayerStanding {
  rank: number;
  name: string;
  kind: 'agent' | 'strategy';
  medianScore: number;
  meanScore: number;
  /** Normalised score per repetition. */
  scores: number[];
  /** Share of its own moves that were C. */
  cooperationRating: number;
  /** Share of rounds in each joint state, own move first. */
  CC: number;
  CD: number;
  DC: number;
  DD: number;
  /** Matches (of all repetitions) with a strictly higher payoff than the opponent. */
  wins: number;
}

export interface TournamentResult {
  turns: number;
  repetitions: number;
  noise: number;
  seed: number;
  players: string[];
  /** Mean payoff per turn of row player vs column player (diagonal: self-interaction). */
  payoffMatrix: number[][];
  /** Mean cooperation of the row player against the column player. */
  cooperationMatrix: number[][];
  standings: PlayerStanding[];
}

export function runTournament(players: readonly TournamentPlayer[], opts: TournamentOptions = {}): TournamentResult {
  const turns = opts.turns ?? 200;
  const reps = opts.repetitions ?? 10;
  const noise = opts.noise ?? 0;
  const seed = opts.seed ?? 1;
  const N = players.length;
  const rng = makeRng(seed);
  const payoff = Array.from({ length: N }, () => new Array<number>(N).fill(0));
  const coop = Array.from({ length: N }, () => new Array<number>(N).fill(0));
  /** Per player: per repetition total payoff over its non-self matches. */
  const repTotals = Array.from({ length: N }, () => new Float64Array(reps));
  const states = Array.from({ length: N }, () => new Float64Array(4));
  const wins = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    for (let j = i; j < N; j++) {
      const m = playPair(players[i]!, players[j]!, reps, turns, noise, rng.fork());
      payoff[i]![j] = m.meanA;
      payoff[j]![i] = m.meanB;
      coop[i]![j] = m.coopA;
      coop[j]![i] = m.coopB;
      if (i === j) continue;
      for (let r = 0; r < reps; r++) {
        add(repTotals[i]!, r, m.totalA[r]!);
        add(repTotals[j]!, r, m.totalB[r]!);
        if (m.totalA[r]! > m.totalB[r]!) wins[i]!++;
        else if (m.totalB[r]! > m.totalA[r]!) wins[j]!++;
      }
      for (let o = 0; o < 4; o++) {
        add(states[i]!, o, m.states[o]!);
        add(states[j]!, o, m.states[((o & 1) << 1) | (o >> 1)]!);
      }
    }
  }
  const standings = players.map((p, i): Omit<PlayerStanding, 'rank'> => {
    const scores = Array.from(repTotals[i]!, (x) => (N > 1 ? x / ((N - 1) * turns) : NaN));
    const s = states[i]!;
    const total = s[0]! + s[1]! + s[2]! + s[3]!;
    const rate = (o: number): number => (total > 0 ? s[o]! / total : NaN);
    return {
      name: p.name,
      kind: p.kind,
      medianScore: median(scores),
      meanScore: scores.reduce((a, b) => a + b, 0) / reps,
      scores,
      cooperationRating: rate(0) + rate(1),
      CC: rate(0),
      CD: rate(1),
      DC: rate(2),
      DD: rate(3),
      wins: wins[i]!,
    };
  });
  const ranked = standings
    .map((s, i) => ({ s, i }))
    .sort((a, b) => b.s.medianScore - a.s.medianScore || b.s.meanScore - a.s.meanScore || a.i - b.i)
    .map(({ s }, r) => ({ rank: r + 1, ...s }));
  return { turns, repetitions: reps, noise, seed, players: players.map((p) => p.name), payoffMatrix: payoff, cooperationMatrix: coop, standings: ranked };
}

interface PairOutcome {
  totalA: Float64Array;
  totalB: Float64Array;
  meanA: number;
  meanB: number;
  coopA: number;
  coopB: number;
  /** Counts of CC, CD, DC, DD from A's side. */
  states: Float64Array;
}

/** `reps` parallel matches of `turns` rounds between fresh instances of a and b. */
function playPair(pa: TournamentPlayer, pb: TournamentPlayer, reps: number, turns: number, noise: number, rng: Rng): PairOutcome {
  const a = pa.make();
  const b = pb.make();
  const roA = a.start(reps, turns);
  const roB = b.start(reps, turns);
  const obsA = new Int32Array(reps);
  const obsB = new Int32Array(reps);
  const fa = new Int32Array(reps * a.cfg.featuresPerStep);
  const fb = new Int32Array(reps * b.cfg.featuresPerStep);
  const out: PairOutcome = { totalA: new Float64Array(reps), totalB: new Float64Array(reps), meanA: 0, meanB: 0, coopA: 0, coopB: 0, states: new Float64Array(4) };
  const move = (logit: number): number => {
    let m = rng.next() < sigmoid(logit) ? 0 : 1;
    if (noise > 0 && rng.next() < noise) m = 1 - m;
    return m;
  };
  for (let t = 0; t < turns; t++) {
    fill(fa, obsA, a.cfg.featuresPerStep, pa.identity ?? 0);
    fill(fb, obsB, b.cfg.featuresPerStep, pb.identity ?? 0);
    a.step(roA, fa);
    b.step(roB, fb);
    for (let r = 0; r < reps; r++) {
      const x = move(roA.logit[t * reps + r]!);
      const y = move(roB.logit[t * reps + r]!);
      add(out.totalA, r, PAYOFF[2 * x + y]!);
      add(out.totalB, r, PAYOFF[2 * y + x]!);
      out.coopA += 1 - x;
      out.coopB += 1 - y;
      add(out.states, 2 * x + y, 1);
      obsA[r] = 1 + 2 * x + y;
      obsB[r] = 1 + 2 * y + x;
    }
  }
  const n = reps * turns;
  out.meanA = out.totalA.reduce((s, v) => s + v, 0) / n;
  out.meanB = out.totalB.reduce((s, v) => s + v, 0) / n;
  out.coopA /= n;
  out.coopB /= n;
  return out;
}

function fill(out: Int32Array, obs: Int32Array, k: number, identity: number): void {
  for (let i = 0; i < obs.length; i++) {
    out[i * k] = obs[i]!;
    if (k > 1) out[i * k + 1] = 5 + identity;
  }
}

function add(a: Float64Array, i: number, v: number): void {
  a[i] = a[i]! + v;
}
