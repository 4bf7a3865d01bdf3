// Trains one shared GRU policy for a task whose answer is one bit per node (consensus, vertex
// cover) with A2C (agents/ipd's policy-gradient kernels) on small graphs. Every update draws
// `graphs` instances of one size from `sizes` (families in turn); all nodes of all graphs run as
// one batch for rounds + 1 steps (rounds = the largest of the batch). Each step a node reads
// the task's features (what it said last, what its neighbours said, what it knows at the start)
// and says one bit, broadcast to its neighbours; its answer is its last bit. The task's reward,
// shared by a graph's nodes, comes at the last step.
import { makeRng, type Rng } from '../../util/random.js';
import { Adam, Gru, gaeTargets, pgGradients, sigmoid, zerosLike, type ModelConfig } from '../ipd/index.js';
import { GRAPH_FAMILIES } from './generateGraph.js';
import type { TaskInstance, TaskName } from './task.js';

/** What a binary-answer task gives the trainer. */
export interface BinaryTask {
  task: TaskName;
  /** Multi-hot input width and indices per step. */
  features: number;
  featuresPerStep: number;
  instance(family: string, n: number, seed: number): TaskInstance;
  /** Feature indices of node v at step t: said[w] is what node w said last (−1 before any step). */
  encode(inst: TaskInstance, v: number, t: number, said: Int32Array, out: Int32Array, at: number): void;
  /** A graph's solved flag and reward from the nodes' final bits. */
  reward(inst: TaskInstance, answers: Int32Array): { solved: boolean; reward: number };
}

export interface BinaryTrainConfig {
  hidden: number;
  updates: number;
  graphs: number;
  sizes: number[];
  lr: number;
  entropyCoef: number;
  seed: number;
}

/** The training both learned network policies use by default (consensus and vertex cover). */
export const DEFAULT_BINARY_TRAIN: Readonly<BinaryTrainConfig> = Object.freeze({
  hidden: 16,
  updates: 800,
  graphs: 32,
  sizes: [4, 5, 6, 7, 8],
  lr: 1e-2,
  entropyCoef: 0.003,
  seed: 1,
});

export interface BinaryTrainInfo {
  update: number;
  /** Share of the batch's graphs solved (sampled actions). */
  success: number;
  seconds: number;
}

/** Trains `task`'s policy with DEFAULT_BINARY_TRAIN overridden by `c`; returns the config it used. */
export function trainBinaryPolicy(task: BinaryTask, c: Partial<BinaryTrainConfig> = {}, onUpdate?: (i: BinaryTrainInfo) => void): { model: Gru; history: BinaryTrainInfo[]; config: BinaryTrainConfig } {
  const cfg: BinaryTrainConfig = { ...DEFAULT_BINARY_TRAIN, ...c };
  const rng = makeRng(cfg.seed);
  const mc: ModelConfig = { arch: 'gru', hidden: cfg.hidden, inputs: task.features, featuresPerStep: task.featuresPerStep };
  const model = new Gru(mc, rng.fork());
  const grads = zerosLike(model.params);
  const opt = new Adam(model.params, { lr: cfg.lr, clip: 1 });
  const pg = { gamma: 1, lambda: 0.95, valueCoef: 0.5, entropyCoef: cfg.entropyCoef, clip: 0.2 };
  const history: BinaryTrainInfo[] = [];
  const t0 = performance.now();
  let instanceSeed = 1_000_000 * cfg.seed;
  for (let u = 0; u < cfg.updates; u++) {
    const n = cfg.sizes[rng.int(cfg.sizes.length)]!;
    const insts = Array.from({ length: cfg.graphs }, (_, i) => task.instance(GRAPH_FAMILIES[i % GRAPH_FAMILIES.length]!, n, instanceSeed++));
    const { rewards, actions, ro, T, N, solved } = rollout(task, model, insts, rng);
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

function rollout(task: BinaryTask, model: Gru, insts: TaskInstance[], rng: Rng) {
  const offsets: number[] = [];
  let N = 0;
  for (const inst of insts) {
    offsets.push(N);
    N += inst.graph.n;
  }
  const T = Math.max(...insts.map((i) => i.rounds)) + 1;
  const ro = model.start(N, T);
  const P = task.featuresPerStep;
  const feats = new Int32Array(N * P);
  const said = new Int32Array(N).fill(-1);
  const actions = new Uint8Array(T * N);
  for (let t = 0; t < T; t++) {
    insts.forEach((inst, k) => {
      const o = offsets[k]!;
      const mine = said.subarray(o, o + inst.graph.n);
      for (let v = 0; v < inst.graph.n; v++) task.encode(inst, v, t, mine, feats, (o + v) * P);
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
    const r = task.reward(inst, said.subarray(o, o + inst.graph.n));
    if (r.solved) solved++;
    for (let v = 0; v < inst.graph.n; v++) rewards[(T - 1) * N + o + v] = r.reward;
  });
  return { rewards, actions, ro, T, N, solved };
}
