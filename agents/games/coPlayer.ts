// A co-player in one of the games: a machine whose state moves deterministically on the joint
// outcome and whose move is drawn with P(move 0) = coop(state) (population/optimum.ts's
// ExactMachine). Because every transition reads only what the agent also observes, the
// co-player's state is a function of the history and the exact best response is solved by
// machineOptimum with the game's payoff table.
import type { ExactMachine } from '../population/index.js';

export const STYLE_FAMILIES = ['minimax', 'trust', 'level-k'] as const;
export type StyleFamily = (typeof STYLE_FAMILIES)[number];

export interface GameCoPlayer {
  /** e.g. "trust f=0.25". */
  readonly name: string;
  readonly family: StyleFamily;
  /** Index into GAMES. */
  readonly game: number;
  /** The family's parameters (tremble, forgiveness, k). */
  readonly params: Readonly<Record<string, number>>;
  /** next[s·4 + 2·own + other] with the co-player's own move first; coop[s] = P(move 0). */
  readonly machine: ExactMachine;
}

/** A tremble: the intended move with probability 1 − ε, the other with ε. */
export function tremble(p0: number, eps: number): number {
  return p0 * (1 - eps) + (1 - p0) * eps;
}
