// The one-shot reasoning the co-players use, for either seat of a 2×2 game: best replies to a
// predicted move and the security (maximin) strategy. Ties between moves go to the move with
// the higher payoff against a uniformly random opponent (weak dominance), then to move 0.
import type { Game } from './games.js';

export type Seat = 'A' | 'B';

/** The reward of `seat` for its move `own` against the other seat's move `other`. */
export function seatPayoff(g: Game, seat: Seat, own: number, other: number): number {
  return (seat === 'A' ? g.payoffA : g.payoffB)[2 * own + other]!;
}

function tieBreak(g: Game, seat: Seat): number {
  const avg = (m: number): number => seatPayoff(g, seat, m, 0) + seatPayoff(g, seat, m, 1);
  return avg(1) > avg(0) + 1e-12 ? 1 : 0;
}

/** The move of `seat` that maximises its reward against the other seat's move `other`. */
export function bestReply(g: Game, seat: Seat, other: number): number {
  const u0 = seatPayoff(g, seat, 0, other);
  const u1 = seatPayoff(g, seat, 1, other);
  if (Math.abs(u0 - u1) <= 1e-12) return tieBreak(g, seat);
  return u1 > u0 ? 1 : 0;
}

export interface SecurityStrategy {
  /** Probability of move 0. */
  p0: number;
  /** The guaranteed expected reward (security level). */
  level: number;
}

/**
 * The maximin mixed strategy of `seat`: the P(move 0) that maximises its worst-case expected
 * reward over the other seat's moves. In a 2×2 game the optimum is at p = 0, p = 1 or where
 * the two worst cases are equal; among equally safe strategies the tie rule above applies.
 */
export function securityStrategy(g: Game, seat: Seat): SecurityStrategy {
  const u = (p: number, other: number): number => p * seatPayoff(g, seat, 0, other) + (1 - p) * seatPayoff(g, seat, 1, other);
  const worst = (p: number): number => Math.min(u(p, 0), u(p, 1));
  const cands = [0, 1];
  // u(p,0) = u(p,1) is linear in p: p·(a0 − a1 − c0 + c1) = c1 − c0 with a = move 0, c = move 1
  const a0 = seatPayoff(g, seat, 0, 0);
  const a1 = seatPayoff(g, seat, 0, 1);
  const c0 = seatPayoff(g, seat, 1, 0);
  const c1 = seatPayoff(g, seat, 1, 1);
  const den = a0 - a1 - c0 + c1;
  if (Math.abs(den) > 1e-12) {
    const p = (c1 - c0) / den;
    if (p > 0 && p < 1) cands.push(p);
  }
  const best = Math.max(...cands.map(worst));
  const safe = cands.filter((p) => worst(p) >= best - 1e-12);
  // equally safe: the pure move the tie rule picks, then the other pure move, then the mixed one
  const pref = 1 - tieBreak(g, seat); // p0 = 1 means move 0
  const p0 = safe.includes(pref) ? pref : safe[0]!;
  return { p0, level: best };
}
