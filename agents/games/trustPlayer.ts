// Trust-based co-players: play the game's trusting move until the agent betrays (plays the
// game's betrayal move), then punish (the other move); each punishing round they forgive with
// probability f, i.e. play the trusting move, and if the agent did not betray in that round
// they are back to trusting. The forgiveness shows in the co-player's own move, so its state
// stays a function of the observed history. f = 0 is grim trigger.
//   state 0 trusting: P(trusting move) = 1;   a betrayal → 1, else 0
//   state 1 punishing: P(trusting move) = f;  own trusting move and no betrayal → 0, else 1
import { GAMES } from './games.js';
import type { GameCoPlayer } from './coPlayer.js';

export function trustPlayer(game: number, forgive: number): GameCoPlayer {
  const g = GAMES[game]!;
  const p0 = (pTrust: number): number => (g.trustMove === 0 ? pTrust : 1 - pTrust);
  const next = new Int32Array(8);
  for (let own = 0; own < 2; own++) {
    for (let other = 0; other < 2; other++) {
      const betrayed = other === g.betrayMove;
      next[2 * own + other] = betrayed ? 1 : 0;
      next[4 + 2 * own + other] = own === g.trustMove && !betrayed ? 0 : 1;
    }
  }
  return Object.freeze({
    name: `trust f=${forgive}`,
    family: 'trust',
    game,
    params: Object.freeze({ forgive }),
    machine: { nStates: 2, initial: 0, coop: Float64Array.of(p0(1), p0(forgive)), next },
  });
}
