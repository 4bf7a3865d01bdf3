// Trains the shared GRU consensus policy (trainBinaryPolicy.ts: A2C on small graphs). Each
// instance has binary initial values of a per-instance bias p ~ U(0, 1) (so unanimous starts are
// common and "always say 1" is not a solution). Reward, shared by a graph's nodes at the last
// step: 1 if the graph solved consensus (agreement and validity), plus 0.2 × the largest share of
// nodes answering one valid value.
import { makeRng } from '../../util/random.js';
import type { Gru } from '../ipd/index.js';
import { CONSENSUS_FEATURES, CONSENSUS_FEATURES_PER_STEP, consensusFeatures } from './consensusFeatures.js';
import { checkConsensus } from './checkSolution.js';
import { generateGraph } from './generateGraph.js';
import { makeTaskInstance, type TaskInstance } from './task.js';
import { trainBinaryPolicy, type BinaryTask, type BinaryTrainConfig, type BinaryTrainInfo } from './trainBinaryPolicy.js';

export type ConsensusTrainConfig = BinaryTrainConfig;

export type ConsensusTrainInfo = BinaryTrainInfo;

/** Binary initial values with a per-instance bias p ~ U(0, 1). */
export function biasedConsensusInstance(family: string, n: number, seed: number): TaskInstance {
  return withBiasedInitial(makeTaskInstance('consensus', generateGraph(family, n, seed), seed), seed);
}

/** The instance with binary initial values of a seeded bias p ~ U(0, 1) (any graph). */
export function withBiasedInitial(inst: TaskInstance, seed: number): TaskInstance {
  const n = inst.graph.n;
  const rng = makeRng((Math.imul(seed | 0, 0x68e31da4) ^ n) >>> 0);
  const p = rng.next();
  return { ...inst, values: 2, initial: Int32Array.from({ length: n }, () => (rng.next() < p ? 1 : 0)) };
}

/** Consensus as a binary-answer task: features of consensusFeatures.ts, the reward above. */
export const CONSENSUS_TASK: BinaryTask = {
  task: 'consensus',
  features: CONSENSUS_FEATURES,
  featuresPerStep: CONSENSUS_FEATURES_PER_STEP,
  instance: biasedConsensusInstance,
  encode(inst, v, t, said, out, at) {
    let ones = 0;
    const ns = inst.graph.neighbours[v]!;
    for (const w of ns) ones += said[w] === 1 ? 1 : 0;
    consensusFeatures(inst.initial[v]!, ones, t === 0 ? -1 : ns.length, said[v]!, out, at);
  },
  reward(inst, answers) {
    const solved = checkConsensus(answers, inst.initial).ok;
    let best = 0;
    for (const val of [0, 1]) {
      if (!inst.initial.includes(val)) continue;
      best = Math.max(best, answers.filter((a) => a === val).length / inst.graph.n);
    }
    return { solved, reward: (solved ? 1 : 0) + 0.2 * best };
  },
};

export function trainConsensusPolicy(c: Partial<ConsensusTrainConfig> = {}, onUpdate?: (i: ConsensusTrainInfo) => void): { model: Gru; history: ConsensusTrainInfo[]; config: ConsensusTrainConfig } {
  return trainBinaryPolicy(CONSENSUS_TASK, c, onUpdate);
}
