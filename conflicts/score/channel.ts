// A channel turns steps into causal features (step t uses steps ≤ t of its episode only)
// and explains its latest step. The representational channel compares an agent pair's
// shared views; the behaviour channel (baseline) reads only what the agents did.

/** Consecutive steps, all agents joined (a JoinedBatch or one episode). */
export interface StepRows {
  length: number;
  episode: ArrayLike<number>;
  step: ArrayLike<number>;
  /** Per agent in run order, length × d_a. */
  hidden: readonly ArrayLike<number>[];
  /** Per agent in run order, behaviour column → values. */
  columns: readonly Record<string, ArrayLike<unknown>>[];
}

/** One latent's part in a flag. */
export interface LatentAttribution {
  latent: number;
  label: string;
  class: string;
  /** Smoothed, reference-normalised disagreement (signed: first agent minus second). */
  disagreement: number;
  /** This latent's part of the squared disagreement score (parts sum to the score²; may be negative). */
  share?: number;
  /** Each agent's current view of the latent. */
  views: Record<string, number>;
}

export interface Channel<S = unknown, P = unknown> {
  readonly kind: string;
  /** 'A~B' for a pair, 'behaviour' for the baseline. */
  readonly name: string;
  readonly agents: readonly string[];
  readonly featureNames: readonly string[];
  newState(): S;
  /** Per-batch work done once (e.g. the views of every row). */
  prepare(batch: StepRows): P;
  /** Features of row r into out; rows of an episode must come in step order. */
  step(state: S, prep: P, batch: StepRows, r: number, out: Float64Array): void;
  /** The latents behind the state's latest step, strongest first. */
  attribute(state: S, top: number): LatentAttribution[];
  /** The agent whose reading moved, judged over these latents (pair channels), or null. */
  movedAgent?(state: S, latents: readonly LatentAttribution[]): string | null;
  toJSON(): unknown;
}
