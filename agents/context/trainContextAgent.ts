// Trains an in-context agent by imitation of the exact best response: a fresh sequence model
// reads joint outcomes and is fitted (cross-entropy, fitPredictor) to the best-response move
// of each round, with its training contexts arranged as one of the burstiness conditions.
// The labelled rounds come from the population's TRAIN split; every condition of a seed starts
// from the same expert rounds and the same initial weights, only their arrangement in context
// differs. With DAgger on (onPolicyEpisodes > 0) each epoch adds the agent's own labelled
// episodes, so later data depends on the condition's agent; the count of fitted rounds per
// epoch (sequences × length) is the same in every condition.
import { UsageError } from '../../data/index.js';
import { makeRng } from '../../util/random.js';
import { Adam, fitPredictor, makeModel, OBS_SIZE, type Arch, type SeqModel } from '../ipd/index.js';
import { hasExactOptimum, populationPool } from '../population/index.js';
import { bestResponseEpisodes } from './bestResponseEpisodes.js';
import { concatLabelled, onPolicyEpisodes } from './onPolicyEpisodes.js';
import { burstyContexts, CONTEXT_KINDS, type ContextKind } from './burstyContexts.js';

export interface ContextAgentConfig {
  arch: Arch;
  hidden: number;
  context: ContextKind;
  /** Co-players drawn from the population's train split (those with an exact optimum are used). */
  coPlayers: number;
  episodesPerCoPlayer: number;
  /** Rounds per generated episode (also the horizon of the best response). */
  episodeLength: number;
  /** Largest per-episode probability of a random move in the generated episodes. */
  explore: number;
  /** Training contexts per epoch; each holds `length` labelled rounds. */
  sequences: number;
  length: number;
  /** partial contexts: rounds per piece. */
  segment: number;
  epochs: number;
  /** DAgger: after each epoch the agent plays this many episodes per co-player itself, labelled and added to the data (0 = off). */
  onPolicyEpisodes: number;
  batch: number;
  lr: number;
  seed: number;
}

export const DEFAULT_CONTEXT_AGENT: Readonly<ContextAgentConfig> = Object.freeze({
  arch: 'gru',
  hidden: 32,
  context: 'whole',
  coPlayers: 200,
  episodesPerCoPlayer: 8,
  episodeLength: 50,
  explore: 0.5,
  sequences: 1600,
  length: 50,
  segment: 10,
  epochs: 6,
  onPolicyEpisodes: 2,
  batch: 32,
  lr: 5e-3,
  seed: 1,
});

const INTS = ['hidden', 'coPlayers', 'episodesPerCoPlayer', 'episodeLength', 'sequences', 'length', 'segment', 'epochs', 'batch', 'seed'] as const;
const COUNTS = ['onPolicyEpisodes'] as const;

export function resolveContextAgentConfig(c: Partial<ContextAgentConfig> = {}): Readonly<ContextAgentConfig> {
  const known = new Set(Object.keys(DEFAULT_CONTEXT_AGENT));
  for (const k of Object.keys(c)) if (!known.has(k)) throw new UsageError(`unknown agent field '${k}' (fields: ${[...known].join(', ')})`);
  const r = { ...DEFAULT_CONTEXT_AGENT, ...Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) } as ContextAgentConfig;
  for (const k of INTS) if (!Number.isInteger(r[k]) || r[k] < (k === 'seed' ? 0 : 1)) throw new UsageError(`agent field '${k}' must be a ${k === 'seed' ? 'non-negative' : 'positive'} integer, got ${JSON.stringify(r[k])}`);
  for (const k of COUNTS) if (!Number.isInteger(r[k]) || r[k] < 0) throw new UsageError(`agent field '${k}' must be a non-negative integer, got ${JSON.stringify(r[k])}`);
  if (r.arch !== 'gru' && r.arch !== 'transformer') throw new UsageError(`agent field 'arch' must be gru or transformer, got ${JSON.stringify(r.arch)}`);
  if (!CONTEXT_KINDS.includes(r.context)) throw new UsageError(`agent field 'context' must be one of ${CONTEXT_KINDS.join(', ')}, got ${JSON.stringify(r.context)}`);
  if (!(r.explore >= 0 && r.explore <= 1)) throw new UsageError(`agent field 'explore' must be in [0, 1], got ${JSON.stringify(r.explore)}`);
  if (!(r.lr > 0)) throw new UsageError(`agent field 'lr' must be positive, got ${JSON.stringify(r.lr)}`);
  if (r.length > r.episodeLength) throw new UsageError(`agent field 'length' (${r.length}) must not exceed 'episodeLength' (${r.episodeLength})`);
  return Object.freeze(r);
}

export interface ContextAgentResult {
  model: SeqModel;
  /** Mean cross-entropy per epoch. */
  loss: number[];
  seconds: number;
  /** Labelled rounds fitted per epoch (sequences × length): equal across conditions. */
  samplesPerEpoch: number;
  coPlayers: number;
}

export function trainContextAgent(c: Readonly<ContextAgentConfig>, onEpoch?: (epoch: number, loss: number) => void): ContextAgentResult {
  const t0 = performance.now();
  const rng = makeRng(c.seed * 104729 + 3);
  const styles = populationPool('train', c.coPlayers).styles.filter(hasExactOptimum);
  let data = bestResponseEpisodes(styles, { episodesPerStyle: c.episodesPerCoPlayer, steps: c.episodeLength, explore: c.explore }, rng.fork());
  const model = makeModel({ arch: c.arch, hidden: c.hidden, inputs: OBS_SIZE, featuresPerStep: 1 }, rng.fork());
  const ctxRng = rng.fork();
  const adam = new Adam(model.params, { lr: c.lr, clip: 1 });
  const loss: number[] = [];
  for (let e = 0; e < c.epochs; e++) {
    // fresh arrangements every epoch (whole: a new order of episodes; partial/isolated: new draws)
    const ctx = burstyContexts(data, { kind: c.context, sequences: c.sequences, length: c.length, segment: c.segment }, ctxRng);
    const r = fitPredictor(model, ctx, { epochs: 1, batch: c.batch, lr: c.lr, seed: c.seed * 1000 + e }, adam);
    loss.push(r.loss[0]!);
    if (c.onPolicyEpisodes > 0 && e < c.epochs - 1) data = concatLabelled(data, onPolicyEpisodes(model, styles, c.onPolicyEpisodes, c.episodeLength, rng.fork()));
    onEpoch?.(e + 1, r.loss[0]!);
  }
  return { model, loss, seconds: (performance.now() - t0) / 1000, samplesPerEpoch: c.sequences * c.length, coPlayers: styles.length };
}
