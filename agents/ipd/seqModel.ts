// The contract between sequence-model agents (GRU, causal transformer) and the code that
// plays, trains and records them. Models are hand-written typed-array kernels: at this size
// (hidden 32–64, 100-step episodes) per-op overhead dominates any tensor library.
//
// Inputs are sparse: each step every episode presents `featuresPerStep` active feature
// indices (the observation symbol 0..4, and for the identity ablation a co-player id
// feature), i.e. a multi-hot input whose embedding is a sum of table rows.

export type Arch = 'gru' | 'transformer';

export interface ModelConfig {
  arch: Arch;
  /** Width of the recorded hidden state. */
  hidden: number;
  /** Size of the input vocabulary (5 observation symbols + optional identity features). */
  inputs: number;
  featuresPerStep: number;
  /** Transformer only: feed-forward width (default 2·hidden). */
  ffn?: number;
}

export interface Param {
  name: string;
  shape: number[];
  data: Float64Array;
}

/** Forward caches of one batch of n episodes, filled step by step. */
export interface Rollout {
  readonly n: number;
  readonly maxSteps: number;
  /** Steps taken so far. */
  t: number;
  /** Policy logit of P(cooperate) = σ(logit), [step·n + episode]. */
  readonly logit: Float64Array;
  readonly value: Float64Array;
}

export interface SeqModel {
  readonly cfg: ModelConfig;
  readonly params: Param[];
  /** Allocates caches for n episodes of up to maxSteps steps. */
  start(n: number, maxSteps: number): Rollout;
  /** One step for every episode; features is n·featuresPerStep indices. Fills logit/value row t. */
  step(ro: Rollout, features: Int32Array): void;
  /** Copies the hidden state (n·hidden) of step t into out. */
  hiddenAt(ro: Rollout, t: number, out: Float32Array | Float64Array): void;
  /** Backpropagates d(loss)/d(logit) and d(loss)/d(value) ([step·n + ep]) into grads (same order as params). */
  backward(ro: Rollout, dLogit: Float64Array, dValue: Float64Array, grads: Float64Array[]): void;
}

export function zerosLike(params: Param[]): Float64Array[] {
  return params.map((p) => new Float64Array(p.data.length));
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}
