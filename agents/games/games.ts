// Two-action repeated games beyond the prisoner's dilemma, as payoff tables. The agent sits in
// seat A, the co-player in seat B. Moves are 0 and 1 (named per seat); a joint outcome seen
// from a seat is 2·own + other, as in agents/ipd/payoffs.ts, so payoffA[2·a + b] is the
// agent's reward and payoffB[2·b + a] the co-player's. Symmetric games have payoffB =
// payoffA; matching pennies and the trust game are asymmetric (the agent is the matcher and
// the trustee). Every table is stated in docs/GAMES.md.
//
// For the trust-based co-players each game also names the co-player's trusting move and the
// agent's move that counts as a betrayal (games.ts is the one place these are defined).
import { PAYOFF } from '../ipd/payoffs.js';

export const GAME_NAMES = ['prisoners-dilemma', 'stag-hunt', 'chicken', 'matching-pennies', 'trust'] as const;
export type GameName = (typeof GAME_NAMES)[number];

export interface Game {
  readonly name: GameName;
  /** Seat A's (the agent's) move names, [move 0, move 1]. */
  readonly movesA: readonly [string, string];
  /** Seat B's (the co-player's) move names. */
  readonly movesB: readonly [string, string];
  /** Agent's reward, indexed 2·a + b. */
  readonly payoffA: readonly number[];
  /** Co-player's reward, indexed 2·b + a (own move first). */
  readonly payoffB: readonly number[];
  /** The co-player's trusting move (trust-based styles). */
  readonly trustMove: number;
  /** The agent's move that a trust-based co-player takes as a betrayal. */
  readonly betrayMove: number;
}

const game = (g: Game): Game => Object.freeze({ ...g, payoffA: Object.freeze([...g.payoffA]), payoffB: Object.freeze([...g.payoffB]) });

export const GAMES: readonly Game[] = Object.freeze([
  // the repo's prisoner's dilemma: R 1, S −1, T 2, P 0
  game({ name: 'prisoners-dilemma', movesA: ['C', 'D'], movesB: ['C', 'D'], payoffA: PAYOFF, payoffB: PAYOFF, trustMove: 0, betrayMove: 1 }),
  // stag/stag 4, stag/hare 0, hare/stag 3, hare/hare 2: two pure equilibria, hare is safe
  game({ name: 'stag-hunt', movesA: ['stag', 'hare'], movesB: ['stag', 'hare'], payoffA: [4, 0, 3, 2], payoffB: [4, 0, 3, 2], trustMove: 0, betrayMove: 1 }),
  // swerve/swerve 3, swerve/straight 1, straight/swerve 4, straight/straight 0
  game({ name: 'chicken', movesA: ['swerve', 'straight'], movesB: ['swerve', 'straight'], payoffA: [3, 1, 4, 0], payoffB: [3, 1, 4, 0], trustMove: 0, betrayMove: 1 }),
  // zero-sum: the agent (matcher) wins 1 when the moves match, the co-player wins 1 otherwise;
  // a trust-based co-player plays heads until the agent matches it (exploits its heads)
  game({ name: 'matching-pennies', movesA: ['heads', 'tails'], movesB: ['heads', 'tails'], payoffA: [1, -1, -1, 1], payoffB: [-1, 1, 1, -1], trustMove: 0, betrayMove: 0 }),
  // simultaneous trust game, the agent is the trustee: the investor (co-player) invests or
  // withholds; invested and returned 2/2, invested and kept 4 to the trustee and 0 to the
  // investor, withheld 1/1 whatever the trustee does
  game({ name: 'trust', movesA: ['return', 'keep'], movesB: ['invest', 'withhold'], payoffA: [2, 1, 4, 1], payoffB: [2, 0, 1, 1], trustMove: 0, betrayMove: 1 }),
]);

export function gameIndex(name: string): number {
  return GAMES.findIndex((g) => g.name === name);
}
