// Trains one in-context agent across games and co-player styles by imitation of the exact
// best response, as agents/context/trainContextAgent.ts does for the prisoner's dilemma: a
// sequence model reads the joint outcomes and the game's id and is fitted (cross-entropy,
// fitPredictor) to the best-response move of every round. The data starts as expert episodes
// (best response with a per-episode exploration rate) against the training co-players; with
// DAgger on, each epoch adds episodes the agent played itself, labelled the same way.
import { UsageError } from '../../data/index.js';
import { makeRng } from '../../util/random.js';
import { Adam, concatTrajectories, fitPredictor, makeModel, type Arch, type SeqModel, type Trajectories } from '../ipd/index.js';
import { GAME_NAMES, gameIndex, type GameName } from './games.js';
import { coPlayerPopulation } from './coPlayerPopulation.js';
import { GAME_FEATURES_PER_STEP, GAME_INPUTS, gameOptima, playGames, type GamePlayRecord } from './playGames.js';
import { sampleCoPlayers } from './sampleCoPlayers.js';

export interface GameAgentConfig {
  arch: Arch;
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

/** A play record as fitPredictor's trajectories: the target "co-player move" is the best-response move. */
export function labelledTrajectories(rec: GamePlayRecord): Trajectories {
  return { n: rec.n, steps: rec.steps, featuresPerStep: GAME_FEATURES_PER_STEP, feats: rec.feats, coMoves: rec.best };
}

export function trainGameAgent(c: Readonly<GameAgentConfig>, onEpoch?: (epoch: number, loss: number) => void): GameAgentResult {
  const t0 = performance.now();
  const rng = makeRng(c.seed * 7919 + 11);
  const coPlayers = coPlayerPopulation('train', c.games.map(gameIndex));
  const optima = gameOptima(coPlayers, c.steps);
  const expert = playGames({ kind: 'expert', explore: c.explore }, coPlayers, sampleCoPlayers(coPlayers, c.episodes, rng.fork()), rng.fork(), { steps: c.steps }, optima);
  let data = labelledTrajectories(expert);
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
      data = concatTrajectories(data, labelledTrajectories(own));
    }
    onEpoch?.(e + 1, r.loss[0]!);
  }
  return { model, loss, roundsFitted, seconds: (performance.now() - t0) / 1000 };
}
