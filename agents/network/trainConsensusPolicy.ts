// Trains the shared GRU consensus policy with A2C (agents/ipd's policy-gradient kernels) on
// small graphs. Every update draws `graphs` instances of one size from `sizes` (families in
// turn), each with binary initial values of a per-instance bias p ~ U(0, 1) (so unanimous
// starts are common and "always say 1" is not a solution); all nodes of all graphs run as
// one batch for rounds + 1 steps (rounds = the largest 2·diameter + 1 of the batch). Reward,
// shared by a graph's nodes at the last step: 1 if the graph solved consensus (agreement and
// validity), plus 0.2 × the largest share of nodes answering one valid value.
import { makeRng, type Rng } from '../../util/random.js';
import { Adam, Gru, gaeTargets, pgGradients, sigmoid, zerosLike, type ModelConfig } from '../ipd/index.js';
import { CONSENSUS_FEATURES, CONSENSUS_FEATURES_PER_STEP, consensusFeatures } from './consensusFeatures.js';
import { checkConsensus } from './checkSolution.js';
import { GRAPH_FAMILIES, generateGraph } from './generateGraph.js';
import { makeTaskInstance, type TaskInstance } from './task.js';

export interface ConsensusTrainConfig {
  hidden: number;
  updates: number;
  graphs: number;
  sizes: number[];
  lr: number;
  entropyCoef: number;
  seed: number;
}

export const DEFAULT_CONSENSUS_TRAIN: Readonly<ConsensusTrainConfig> = Object.freeze({
  hidden: 16,
  updates: 800,
  graphs: 32,
  sizes: [4, 5, 6, 7, 8],
  lr: 1e-2,
  entropyCoef: 0.003,
  seed: 1,
});

export interface ConsensusTrainInfo {
  update: number;
  /** Share of the batch's graphs solved (sampled actions). */
  success: number;
  seconds: number;
}

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

export function trainConsensusPolicy(c: Partial<ConsensusTrainConfig> = {}, onUpdate?: (i: ConsensusTrainInfo) => void): { model: Gru; history: ConsensusTrainInfo[]; config: ConsensusTrainConfig } {
  const cfg: ConsensusTrainConfig = { ...DEFAULT_CONSENSUS_TRAIN, ...c };
  const rng = makeRng(cfg.seed);
  const mc: ModelConfig = { arch: 'gru', hidden: cfg.hidden, inputs: CONSENSUS_FEATURES, featuresPerStep: CONSENSUS_FEATURES_PER_STEP };
  const model = new Gru(mc, rng.fork());
  const grads = zerosLike(model.params);
  const opt = new Adam(model.params, { lr: cfg.lr, clip: 1 });
  const pg = { gamma: 1, lambda: 0.95, valueCoef: 0.5, entropyCoef: cfg.entropyCoef, clip: 0.2 };
  const history: ConsensusTrainInfo[] = [];
  const t0 = performance.now();
  let instanceSeed = 1_000_000 * cfg.seed;
  for (let u = 0; u < cfg.updates; u++) {
    const n = cfg.sizes[rng.int(cfg.sizes.length)]!;
    const insts = Array.from({ length: cfg.graphs }, (_, i) => biasedConsensusInstance(GRAPH_FAMILIES[i % GRAPH_FAMILIES.length]!, n, instanceSeed++));
    const { rewards, actions, ro, T, N, solved } = rollout(model, insts, rng);
    const values = ro.value;
    const targets = gaeTargets(rewards, values, N, T, pg);
    const dL = new Float64Array(T * N);
    const dV = new Float64Array(T * N);
    pgGradients(ro.logit, values, ro.logit, actions, targets, pg, 1 / (T * N), dL, dV);
    model.backward(ro, dL, dV, grads);
    opt.lrScale = 1 - 0.9 * (u / Math.max(1, cfg.updates - 1));
    opt.step(grads);
    const info = { update: u + 1, success: solved / insts.length, seconds: (performance.now() - t0) / 1000 };
    history.push(info);
    onUpdate?.(info);
  }
  return { model, history, config: cfg };
}

function rollout(model: Gru, insts: TaskInstance[], rng: Rng) {
  const offsets: number[] = [];
  let N = 0;
  for (const inst of insts) {
    offsets.push(N);
    N += inst.graph.n;
  }
  const T = Math.max(...insts.map((i) => i.rounds)) + 1;
  const ro = model.start(N, T);
  const feats = new Int32Array(N * CONSENSUS_FEATURES_PER_STEP);
  const said = new Int32Array(N).fill(-1);
  const actions = new Uint8Array(T * N);
  for (let t = 0; t < T; t++) {
    insts.forEach((inst, k) => {
      const o = offsets[k]!;
      for (let v = 0; v < inst.graph.n; v++) {
        let ones = 0;
        const ns = inst.graph.neighbours[v]!;
        for (const w of ns) ones += said[o + w] === 1 ? 1 : 0;
        consensusFeatures(inst.initial[v]!, ones, t === 0 ? -1 : ns.length, said[o + v]!, feats, (o + v) * CONSENSUS_FEATURES_PER_STEP);
      }
    });
    model.step(ro, feats);
    for (let i = 0; i < N; i++) {
      const say1 = rng.next() < sigmoid(ro.logit[t * N + i]!) ? 1 : 0;
      said[i] = say1;
      actions[t * N + i] = say1 ? 0 : 1; // pgGradients: action 0 is the σ(logit) action
    }
  }
  const rewards = new Float64Array(T * N);
  let solved = 0;
  insts.forEach((inst, k) => {
    const o = offsets[k]!;
    const answers = said.subarray(o, o + inst.graph.n);
    const ok = checkConsensus(answers, inst.initial).ok;
    if (ok) solved++;
    let best = 0;
    for (const val of [0, 1]) {
      if (!inst.initial.includes(val)) continue;
      best = Math.max(best, answers.filter((a) => a === val).length / inst.graph.n);
    }
    const r = (ok ? 1 : 0) + 0.2 * best;
    for (let v = 0; v < inst.graph.n; v++) rewards[(T - 1) * N + o + v] = r;
  });
  return { rewards, actions, ro, T, N, solved };
}
