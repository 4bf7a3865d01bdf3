// The contract between the trainer and an engine that runs training steps. Engines take
// one batch of normalised inputs per agent (rows × d_a, row-major) and update their
// parameters with Adam; the trainer owns data, schedule, dead-latent bookkeeping and
// checkpoints.
import type { ParamSet } from '../model/params.js';

export interface StepStats {
  /** Total loss of the step (reconstruction + aux + penalty). */
  loss: number;
  /** Per agent: mean over rows of ‖x̃_a − x̂_a‖² / d_a. */
  recon: number[];
  aux: number;
  penalty: number;
  /** Mean active latents per row. */
  l0: number;
  /** BatchTopK selection threshold on relu(pre)·weight (NaN for modes without it). */
  threshold: number;
  /** Per latent, rows of the batch on which it fired. */
  fired: Float32Array;
  gradNorm: number;
}

export interface TrainEngine {
  readonly kind: 'dense' | 'sparse';
  /** One Adam step. `dead` marks latents for the auxiliary-k loss (null: none dead). */
  step(xs: Float32Array[], rows: number, lr: number, dead: Uint8Array | null): StepStats;
  params(): ParamSet;
  /** Adam moments, named `adam.m.<param>` / `adam.v.<param>`. */
  optimizerState(): ParamSet;
  /** Adam steps taken so far. */
  readonly t: number;
  load(params: ParamSet, opt: ParamSet | null, t: number): void;
  dispose(): void;
}
