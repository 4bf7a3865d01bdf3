// Plays an agent (seat A) against game co-players, a batch of episodes in parallel, and
// scores every round against the exact best response (machineOptimum with the game's payoff
// table). The agent is a sequence model, the expert (the best-response move, with a per-episode
// exploration rate) or a uniformly random player. A model sees two features per round: the
// observation symbol (0 = start, 1 + 2·own + other) and the game's id (gameFeature), so one
// agent plays every game.
import type { Rng } from '../../util/random.js';
import { UsageError } from '../../data/index.js';
import { OBS_SIZE, sigmoid, type Rollout, type SeqModel } from '../ipd/index.js';
import { bestMove } from '../context/index.js';
import { machineOptimum, type Optimum } from '../population/index.js';
import { GAMES } from './games.js';
import type { GameCoPlayer } from './coPlayer.js';

/** Input vocabulary of a games agent: the 5 observation symbols, then one feature per game. */
export const GAME_INPUTS = OBS_SIZE + GAMES.length;
export const GAME_FEATURES_PER_STEP = 2;

export function gameFeature(game: number): number {
  return OBS_SIZE + game;
}

export type GameAgent =
  | { kind: 'model'; model: SeqModel; /** most likely move (default) or a sample */ greedy?: boolean }
  | { kind: 'expert'; /** largest per-episode probability of a random move */ explore: number }
  | { kind: 'random' };

export interface GamePlayOptions {
  steps: number;
  /** Model agents: rounds whose hidden state (after reading that round's observation) is kept. */
  hiddenRounds?: readonly number[];
}

export interface GamePlayRecord {
  n: number;
  steps: number;
  /** Per episode: the game and the co-player (index into the list played). */
  game: Int32Array;
  coPlayer: Int32Array;
  /** Episode-major n·steps·2: the features the agent read each round. */
  feats: Int32Array;
  /** Episode-major n·steps. */
  actions: Uint8Array;
  coActions: Uint8Array;
  rewards: Float64Array;
  /** The exact best-response move for the round (move 0 on a tie). */
  best: Uint8Array;
  /** round → n·hidden states (model agents with hiddenRounds). */
  hidden: Map<number, Float64Array>;
}

/** The exact optimum against each co-player over `steps` rounds, in its game. */
export function gameOptima(coPlayers: readonly GameCoPlayer[], steps: number): Optimum[] {
  return coPlayers.map((c) => machineOptimum(c.machine, steps, GAMES[c.game]!.payoffA, c.name));
}

export function playGames(agent: GameAgent, coPlayers: readonly GameCoPlayer[], assign: ArrayLike<number>, rng: Rng, o: GamePlayOptions, optima = gameOptima(coPlayers, o.steps)): GamePlayRecord {
  const n = assign.length;
  const T = o.steps;
  const K = GAME_FEATURES_PER_STEP;
  if (agent.kind === 'model' && (agent.model.cfg.featuresPerStep !== K || agent.model.cfg.inputs !== GAME_INPUTS)) {
    throw new UsageError(`a games agent reads ${K} features per step from ${GAME_INPUTS} inputs, got ${agent.model.cfg.featuresPerStep} from ${agent.model.cfg.inputs}`);
  }
  if (optima.some((q) => q.horizon !== T)) throw new UsageError(`optima were solved for another horizon than ${T} rounds`);
  const rec: GamePlayRecord = {
    n,
    steps: T,
    game: new Int32Array(n),
    coPlayer: Int32Array.from(assign),
    feats: new Int32Array(n * T * K),
    actions: new Uint8Array(n * T),
    coActions: new Uint8Array(n * T),
    rewards: new Float64Array(n * T),
    best: new Uint8Array(n * T),
    hidden: new Map(),
  };
  const state = new Int32Array(n);
  const explore = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = coPlayers[rec.coPlayer[i]!]!;
    rec.game[i] = c.game;
    state[i] = c.machine.initial;
    if (agent.kind === 'expert') explore[i] = agent.explore * rng.next();
  }
  const model = agent.kind === 'model' ? agent.model : null;
  const ro: Rollout | null = model ? model.start(n, T) : null;
  const f = new Int32Array(n * K);
  const prev = new Int32Array(n); // 0 = start
  const keep = new Set(o.hiddenRounds ?? []);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < n; i++) {
      f[i * K] = prev[i]!;
      f[i * K + 1] = gameFeature(rec.game[i]!);
      rec.feats[(i * T + t) * K] = prev[i]!;
      rec.feats[(i * T + t) * K + 1] = gameFeature(rec.game[i]!);
    }
    if (model && ro) {
      model.step(ro, f);
      if (keep.has(t)) {
        const h = new Float64Array(n * model.cfg.hidden);
        model.hiddenAt(ro, t, h);
        rec.hidden.set(t, h);
      }
    }
    for (let i = 0; i < n; i++) {
      const k = rec.coPlayer[i]!;
      const m = coPlayers[k]!.machine;
      const s = state[i]!;
      const best = bestMove(optima[k]!.q, m.nStates, t, s);
      let a: number;
      if (agent.kind === 'model') {
        const p = sigmoid(ro!.logit[t * n + i]!);
        a = agent.greedy === false ? (rng.next() < p ? 0 : 1) : p >= 0.5 ? 0 : 1;
      } else if (agent.kind === 'expert') {
        a = rng.next() < explore[i]! ? rng.int(2) : best;
      } else {
        a = rng.int(2);
      }
      const b = rng.next() < m.coop[s]! ? 0 : 1;
      const g = GAMES[rec.game[i]!]!;
      const j = i * T + t;
      rec.actions[j] = a;
      rec.coActions[j] = b;
      rec.rewards[j] = g.payoffA[2 * a + b]!;
      rec.best[j] = best;
      state[i] = m.next[s * 4 + 2 * b + a]!;
      prev[i] = 1 + 2 * a + b;
    }
  }
  return rec;
}
