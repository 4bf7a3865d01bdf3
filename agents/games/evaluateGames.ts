// Performance of an agent per game × co-player style family: the payoff as a fraction of the
// exact optimum ((payoff − worst) / (best − worst), machineOptimum with the game's table) and
// the share of rounds on which it played the best-response move, each the mean over the
// family's co-players of per-co-player means over episodes. A co-player against which every
// policy earns the same (matching pennies against a 50/50 minimax player) has no fraction
// (NaN) and is left out of the mean; a cell with only such co-players is NaN.
import { makeRng } from '../../util/random.js';
import { fractionOfOptimum } from '../population/index.js';
import { GAMES, type GameName } from './games.js';
import { STYLE_FAMILIES, type GameCoPlayer, type StyleFamily } from './coPlayer.js';
import { gameOptima, playGames, type GameAgent, type GamePlayRecord } from './playGames.js';

export interface GameEvalOptions {
  episodesPerCoPlayer: number;
  steps: number;
  seed: number;
  /** Model agents: rounds whose hidden states are kept in the record (for probes). */
  hiddenRounds?: readonly number[];
}

export interface GameStyleCell {
  game: GameName;
  family: StyleFamily;
  coPlayers: number;
  /** Co-players with a defined fraction (best ≠ worst). */
  scored: number;
  fraction: number;
  bestRate: number;
  /** Mean reward per round. */
  reward: number;
  /** Share of the agent's moves that are move 1 (D, hare, straight, tails, keep): in round 0, and over all rounds. */
  move1First: number;
  move1: number;
}

export interface GameEval {
  cells: GameStyleCell[];
  record: GamePlayRecord;
}

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

export function evaluateGames(agent: GameAgent, coPlayers: readonly GameCoPlayer[], o: GameEvalOptions): GameEval {
  const E = o.episodesPerCoPlayer;
  const T = o.steps;
  const optima = gameOptima(coPlayers, T);
  const assign = Int32Array.from({ length: coPlayers.length * E }, (_, i) => Math.floor(i / E));
  const record = playGames(agent, coPlayers, assign, makeRng(o.seed), { steps: T, hiddenRounds: o.hiddenRounds ?? [] }, optima);
  const per = coPlayers.map((_, k) => {
    let total = 0;
    let best = 0;
    let move1 = 0;
    let move1First = 0;
    for (let i = k * E; i < (k + 1) * E; i++) {
      move1First += record.actions[i * T]!;
      for (let t = 0; t < T; t++) {
        total += record.rewards[i * T + t]!;
        best += record.actions[i * T + t] === record.best[i * T + t] ? 1 : 0;
        move1 += record.actions[i * T + t]!;
      }
    }
    return { fraction: fractionOfOptimum(total / E, optima[k]!), bestRate: best / (E * T), reward: total / (E * T), move1First: move1First / E, move1: move1 / (E * T) };
  });
  const cells: GameStyleCell[] = [];
  for (const g of new Set(coPlayers.map((c) => c.game))) {
    for (const family of STYLE_FAMILIES) {
      const ks = coPlayers.flatMap((c, k) => (c.game === g && c.family === family ? [k] : []));
      if (!ks.length) continue;
      const fr = ks.map((k) => per[k]!.fraction).filter(Number.isFinite);
      cells.push({
        game: GAMES[g]!.name,
        family,
        coPlayers: ks.length,
        scored: fr.length,
        fraction: mean(fr),
        bestRate: mean(ks.map((k) => per[k]!.bestRate)),
        reward: mean(ks.map((k) => per[k]!.reward)),
        move1First: mean(ks.map((k) => per[k]!.move1First)),
        move1: mean(ks.map((k) => per[k]!.move1)),
      });
    }
  }
  return { cells, record };
}
