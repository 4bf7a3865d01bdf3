// Trains one in-context agent across games and co-player styles by imitation of the exact
// best response, as agents/context/trainContextAgent.ts does for the prisoner's dilemma: a
// sequence model reads the joint outcomes and the game's id and is fitted (cross-entropy,
// fitPredictor) to the best-response move of every round. The data starts as expert episodes
// (best response with a per-episode exploration rate) against the training co-players; with
// DAgger on, each epoch adds episodes the agent played itself, labelled the same way.
// With target 'co-player-move' the same network is instead fitted to predict the co-player's
// next move on the expert episodes (a predictor, not a policy: no DAgger), the control for
// whether an objective about the co-player makes its state carry more about the style.
import { UsageError } from '../../data/index.js';
import { makeRng } from '../../util/random.js';
import { Adam, concatTrajectories, fitPredictor, makeModel, type Arch, type SeqModel, type Trajectories } from '../ipd/index.js';
import { GAME_NAMES, gameIndex, type GameName } from './games.js';
import { coPlayerPopulation } from './coPlayerPopulation.js';
import { GAME_FEATURES_PER_STEP, GAME_INPUTS, gameOptima, playGames, type GamePlayRecord } from './playGames.js';
import { sampleCoPlayers } from './sampleCoPlayers.js';

export const GAME_AGENT_TARGETS = ['best-response', 'co-player-move'] as const;
export type GameAgentTarget = (typeof GAME_AGENT_TARGETS)[number];

export interface GameAgentConfig {
  arch: Arch;
  /** What the network is fitted to: the best-response move (an agent) or the co-player's move (a predictor). */
  target: GameAgentTarget;
  hidden: number;
  games: GameName[];
  /** Expert episodes at the start. */
  episodes: number;
  /** Rounds per episode (the best response's horizon). */
  steps: number;
  /** Largest per-episode probability of a random move in the expert episodes. */
  explore: number;
  epochs: number;
  /** DAgger: episodes the agent plays itself after each epoch, labelled and added (0 = off). */
  onPolicyEpisodes: number;
  batch: number;
  lr: number;
  seed: number;
}

export const DEFAULT_GAME_AGENT: Readonly<GameAgentConfig> = Object.freeze({
  arch: 'gru',
  target: 'best-response',
  hidden: 32,
  games: [...GAME_NAMES],
  episodes: 4000,
  steps: 20,
  explore: 0.5,
  epochs: 12,
  onPolicyEpisodes: 1000,
  batch: 32,
  lr: 5e-3,
  seed: 1,
});

const POSITIVE = ['hidden', 'episodes', 'steps', 'epochs', 'batch'] as const;

export function resolveGameAgentConfig(c: Partial<GameAgentConfig> = {}): Readonly<GameAgentConfig> {
  const known = new Set(Object.keys(DEFAULT_GAME_AGENT));
  for (const k of Object.keys(c)) if (!known.has(k)) throw new UsageError(`unknown games agent field '${k}' (fields: ${[...known].join(', ')})`);
  const r = { ...DEFAULT_GAME_AGENT, ...Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) } as GameAgentConfig;
  for (const k of POSITIVE) if (!Number.isInteger(r[k]) || r[k] < 1) throw new UsageError(`games agent field '${k}' must be a positive integer, got ${JSON.stringify(r[k])}`);
  for (const k of ['onPolicyEpisodes', 'seed'] as const) if (!Number.isInteger(r[k]) || r[k] < 0) throw new UsageError(`games agent field '${k}' must be a non-negative integer, got ${JSON.stringify(r[k])}`);
  if (r.arch !== 'gru' && r.arch !== 'transformer') throw new UsageError(`games agent field 'arch' must be gru or transformer, got ${JSON.stringify(r.arch)}`);
  if (!Array.isArray(r.games) || r.games.length === 0 || r.games.some((g) => gameIndex(g) < 0)) throw new UsageError(`games agent field 'games' must list some of ${GAME_NAMES.join(', ')}, got ${JSON.stringify(r.games)}`);
  if (!(r.explore >= 0 && r.explore <= 1)) throw new UsageError(`games agent field 'explore' must be in [0, 1], got ${JSON.stringify(r.explore)}`);
  if (!GAME_AGENT_TARGETS.includes(r.target)) throw new UsageError(`games agent field 'target' must be one of ${GAME_AGENT_TARGETS.join(', ')}, got ${JSON.stringify(r.target)}`);
  if (r.target === 'co-player-move' && r.onPolicyEpisodes > 0) throw new UsageError("games agent field 'onPolicyEpisodes' must be 0 with target 'co-player-move' (a predictor does not act)");
  if (!(r.lr > 0)) throw new UsageError(`games agent field 'lr' must be positive, got ${JSON.stringify(r.lr)}`);
  return Object.freeze({ ...r, games: Object.freeze([...r.games]) as GameName[] });
}

export interface GameAgentResult {
  model: SeqModel;
  /** Mean cross-entropy per epoch. */
  loss: number[];
  /** Rounds fitted (forward and backward) over the whole run. */
  roundsFitted: number;
  seconds: number;
}

/** A play record as fitPredictor's trajectories: the target is the best-response move, or the co-player's move. */
export function labelledTrajectories(rec: GamePlayRecord, target: GameAgentTarget = 'best-response'): Trajectories {
  return { n: rec.n, steps: rec.steps, featuresPerStep: GAME_FEATURES_PER_STEP, feats: rec.feats, coMoves: target === 'best-response' ? rec.best : rec.coActions };
}

export function trainGameAgent(c: Readonly<GameAgentConfig>, onEpoch?: (epoch: number, loss: number) => void): GameAgentResult {
  const t0 = performance.now();
  const rng = makeRng(c.seed * 7919 + 11);
  const coPlayers = coPlayerPopulation('train', c.games.map(gameIndex));
  const optima = gameOptima(coPlayers, c.steps);
  const expert = playGames({ kind: 'expert', explore: c.explore }, coPlayers, sampleCoPlayers(coPlayers, c.episodes, rng.fork()), rng.fork(), { steps: c.steps }, optima);
  let data = labelledTrajectories(expert, c.target);
  const model = makeModel({ arch: c.arch, hidden: c.hidden, inputs: GAME_INPUTS, featuresPerStep: GAME_FEATURES_PER_STEP }, rng.fork());
  const adam = new Adam(model.params, { lr: c.lr, clip: 1 });
  const loss: number[] = [];
  let roundsFitted = 0;
  for (let e = 0; e < c.epochs; e++) {
    const r = fitPredictor(model, data, { epochs: 1, batch: c.batch, lr: c.lr, seed: c.seed * 1000 + e }, adam);
    loss.push(r.loss[0]!);
    roundsFitted += r.steps;
    if (c.onPolicyEpisodes > 0 && e < c.epochs - 1) {
      const own = playGames({ kind: 'model', model, greedy: false }, coPlayers, sampleCoPlayers(coPlayers, c.onPolicyEpisodes, rng.fork()), rng.fork(), { steps: c.steps }, optima);
      data = concatTrajectories(data, labelledTrajectories(own, c.target));
    }
    onEpoch?.(e + 1, r.loss[0]!);
  }
  return { model, loss, roundsFitted, seconds: (performance.now() - t0) / 1000 };
}
