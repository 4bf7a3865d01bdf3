// Belief-anticipation co-players (level-k): predict the agent's move and best-reply to the
// prediction. Level 0 of either seat repeats its own last move; a level-j player best-replies
// to the other seat's level-(j−1) move. A level-k co-player therefore plays
//   b = BR_B(â),  â = the agent's level-(k−1) move: a_{t−1} for k = 1, BR_A(b_{t−1}) for k = 2, …
// computed from the last joint outcome (before the first round both last moves count as 0).
// With a tremble ε it plays its reply with probability 1 − ε.
// States: the last joint outcome from the co-player's side, 2·b + a (initial 0 = both 0).
import { GAMES } from './games.js';
import { bestReply } from './gameTheory.js';
import { tremble, type GameCoPlayer } from './coPlayer.js';

/** The level-k co-player's intended move after its last move b and the agent's last move a. */
export function levelKMove(game: number, k: number, b: number, a: number): number {
  const g = GAMES[game]!;
  // moves of the level-j player of each seat, j = 0..k
  let moveA = a;
  let moveB = b;
  for (let j = 1; j <= k; j++) [moveA, moveB] = [bestReply(g, 'A', moveB), bestReply(g, 'B', moveA)];
  return moveB;
}

export function levelKPlayer(game: number, k: number, eps = 0): GameCoPlayer {
  const coop = new Float64Array(4);
  const next = new Int32Array(16);
  for (let s = 0; s < 4; s++) {
    coop[s] = tremble(levelKMove(game, k, s >> 1, s & 1) === 0 ? 1 : 0, eps);
    for (let o = 0; o < 4; o++) next[s * 4 + o] = o;
  }
  return Object.freeze({
    name: `level-${k} eps=${eps}`,
    family: 'level-k',
    game,
    params: Object.freeze({ k, eps }),
    machine: { nStates: 4, initial: 0, coop, next },
  });
}
