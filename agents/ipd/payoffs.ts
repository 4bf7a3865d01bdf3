// The iterated prisoner's dilemma: actions, joint outcomes and payoffs.
// Actions are 0 = cooperate (C), 1 = defect (D). A joint outcome seen from one player's
// side is 2·own + other: 0 = CC, 1 = CD, 2 = DC, 3 = DD (own move first).
// Observations are one-hot of 5: 0 = start of the episode, 1 + outcome afterwards.

export const COOPERATE = 0;
export const DEFECT = 1;

export const OUTCOMES = ['CC', 'CD', 'DC', 'DD'] as const;
export type OutcomeName = (typeof OUTCOMES)[number];

/** Number of observation symbols: start + 4 outcomes. */
export const OBS_SIZE = 5;
export const OBS_START = 0;

/** Reward to a player for outcome index 2·own + other: (C,C)=1, (C,D)=−1, (D,C)=2, (D,D)=0. */
export const PAYOFF: readonly number[] = Object.freeze([1, -1, 2, 0]);

/** Named payoffs in Press & Dyson's notation. */
export const R = 1;
export const S = -1;
export const T = 2;
export const P = 0;

export function outcomeOf(own: number, other: number): number {
  return 2 * own + other;
}

/** The same joint outcome from the other player's side. */
export function mirrorOutcome(o: number): number {
  return ((o & 1) << 1) | (o >> 1);
}

export function obsOf(own: number, other: number): number {
  return 1 + 2 * own + other;
}
