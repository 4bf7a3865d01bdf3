// Minimax co-players: play the security (maximin) strategy of seat B every round, whatever
// happened, with an optional tremble ε. Stateless: one state.
import { GAMES } from './games.js';
import { securityStrategy } from './gameTheory.js';
import { tremble, type GameCoPlayer } from './coPlayer.js';

export function minimaxPlayer(game: number, eps = 0): GameCoPlayer {
  const { p0 } = securityStrategy(GAMES[game]!, 'B');
  return Object.freeze({
    name: `minimax eps=${eps}`,
    family: 'minimax',
    game,
    params: Object.freeze({ eps }),
    machine: { nStates: 1, initial: 0, coop: Float64Array.of(tremble(p0, eps)), next: new Int32Array(4) },
  });
}
