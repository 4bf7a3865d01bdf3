// The co-player population of the games study: every family in every game, with training
// members and held-out members whose parameters were never seen in training.
//   minimax   train ε ∈ {0, 0.2}              held out ε = 0.1
//   trust     train f ∈ {0, 0.25, 0.5}        held out f ∈ {0.1, 0.4}
//   level-k   train (k, ε) ∈ {1, 2} × {0, 0.2} held out (1, 0.1), (2, 0.1), (3, 0)
import { GAMES } from './games.js';
import type { GameCoPlayer } from './coPlayer.js';
import { minimaxPlayer } from './minimaxPlayer.js';
import { trustPlayer } from './trustPlayer.js';
import { levelKPlayer } from './levelKPlayer.js';

export type PopulationSplit = 'train' | 'held-out';

export function coPlayerPopulation(split: PopulationSplit, games: readonly number[] = GAMES.map((_, i) => i)): GameCoPlayer[] {
  const out: GameCoPlayer[] = [];
  for (const g of games) {
    if (split === 'train') {
      out.push(minimaxPlayer(g, 0), minimaxPlayer(g, 0.2));
      out.push(trustPlayer(g, 0), trustPlayer(g, 0.25), trustPlayer(g, 0.5));
      for (const k of [1, 2]) for (const eps of [0, 0.2]) out.push(levelKPlayer(g, k, eps));
    } else {
      out.push(minimaxPlayer(g, 0.1));
      out.push(trustPlayer(g, 0.1), trustPlayer(g, 0.4));
      out.push(levelKPlayer(g, 1, 0.1), levelKPlayer(g, 2, 0.1), levelKPlayer(g, 3, 0));
    }
  }
  return out;
}
