// The latent thoughts as sparse time series with persistence: each thought switches on and
// off by a two-state Markov chain (stationary on-probability = sparsity, mean on-run =
// persistence) and, while on, has a smoothly varying positive magnitude exp(spread·u) with
// u an AR(1) process of unit stationary variance. Off thoughts are exactly 0.
import type { Rng } from '../../util/random.js';

export interface ThoughtProcessParams {
  sparsity: number;
  persistence: number;
  smoothness: number;
  spread: number;
}

export class ThoughtProcess {
  readonly count: number;
  private readonly on: Uint8Array;
  private readonly u: Float64Array;
  private readonly pOff: number;
  private readonly pOn: number;
  private readonly rho: number;
  private readonly innov: number;
  private readonly spread: number;
  private readonly sparsity: number;
  private started = false;

  constructor(count: number, p: ThoughtProcessParams) {
    this.count = count;
    this.on = new Uint8Array(count);
    this.u = new Float64Array(count);
    this.pOff = 1 / p.persistence;
    this.pOn = (p.sparsity * this.pOff) / (1 - p.sparsity);
    this.rho = p.smoothness;
    this.innov = Math.sqrt(1 - p.smoothness * p.smoothness);
    this.spread = p.spread;
    this.sparsity = p.sparsity;
  }

  /** Starts a new episode: states drawn from the stationary distribution. */
  reset(): void {
    this.started = false;
  }

  /**
   * Advances one step and writes the thoughts into out[offset .. offset+count). The number
   * of draws per step is fixed (one uniform and one normal per thought), so a stream's
   * values do not depend on how steps are grouped into chunks.
   */
  step(rng: Rng, out: Float32Array, offset: number): void {
    const { on, u, count } = this;
    if (!this.started) {
      for (let j = 0; j < count; j++) {
        on[j] = rng.next() < this.sparsity ? 1 : 0;
        u[j] = rng.normal();
      }
      this.started = true;
    } else {
      for (let j = 0; j < count; j++) {
        const r = rng.next();
        on[j] = on[j] ? (r < this.pOff ? 0 : 1) : r < this.pOn ? 1 : 0;
        u[j] = this.rho * u[j]! + this.innov * rng.normal();
      }
    }
    for (let j = 0; j < count; j++) out[offset + j] = on[j] ? Math.exp(this.spread * u[j]!) : 0;
  }
}
