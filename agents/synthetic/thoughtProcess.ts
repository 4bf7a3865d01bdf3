// The latent thoughts as sparse time series with persistence: each thought switches on and
// off by a two-state Markov chain (stationary on-probability = sparsity, mean on-run =
// persistence) and, while on, has a smoothly varying positive magnitude exp(spread·u) with
// u an AR(1) process of unit stationary variance. Off thoughts are exactly 0. Sparsity may
// differ per thought (1 = always on), and so may the mean on-run; a family may replace the value
// exp(spread·u) by another function of u (layernorm-residual's signed thoughts do), and a
// caller may force thoughts on for a step (the correlated family's shared factors do).
import type { Rng } from '../../util/random.js';

export interface ThoughtProcessParams {
  sparsity: number;
  persistence: number;
  smoothness: number;
  spread: number;
}

/** What the generator draws thoughts from: one step at a time, episode by episode. */
export interface ThoughtSource {
  readonly count: number;
  /** Starts a new episode: states drawn from the stationary distribution. */
  reset(): void;
  /** Advances one step and writes the thoughts into out[offset .. offset+count). */
  step(rng: Rng, out: Float32Array, offset: number): void;
}

export interface ThoughtProcessOptions {
  /** Per-thought stationary on-probability (default `sparsity` for all); 1 = always on. */
  sparsity?: ArrayLike<number>;
  /** Per-thought mean on-run in steps (default `persistence` for all). */
  persistence?: ArrayLike<number>;
  /** The value of an active thought from its AR(1) state u (default exp(spread·u)). */
  value?: (u: number) => number;
}

export class ThoughtProcess implements ThoughtSource {
  readonly count: number;
  private readonly on: Uint8Array;
  private readonly u: Float64Array;
  private readonly pOff: Float64Array;
  private readonly pOn: Float64Array;
  private readonly rho: number;
  private readonly innov: number;
  private readonly value: (u: number) => number;
  private readonly sparsity: Float64Array;
  private started = false;

  constructor(count: number, p: ThoughtProcessParams, opts: ThoughtProcessOptions = {}) {
    this.count = count;
    this.on = new Uint8Array(count);
    this.u = new Float64Array(count);
    this.sparsity = Float64Array.from({ length: count }, (_, j) => opts.sparsity?.[j] ?? p.sparsity);
    this.pOff = new Float64Array(count);
    this.pOn = new Float64Array(count);
    for (let j = 0; j < count; j++) {
      const s = this.sparsity[j]!;
      const off = s >= 1 ? 0 : 1 / (opts.persistence?.[j] ?? p.persistence);
      this.pOff[j] = off;
      this.pOn[j] = s >= 1 ? 1 : (s * off) / (1 - s);
    }
    this.rho = p.smoothness;
    this.innov = Math.sqrt(1 - p.smoothness * p.smoothness);
    const spread = p.spread;
    this.value = opts.value ?? ((x) => Math.exp(spread * x));
  }

  reset(): void {
    this.started = false;
  }

  /**
   * Advances one step. The number of draws per step is fixed (one uniform and one normal per
   * thought), so a stream's values do not depend on how steps are grouped into chunks.
   * Where `force[j]` is 1 the thought is on at this step whatever its own chain says.
   */
  step(rng: Rng, out: Float32Array, offset: number, force?: Uint8Array): void {
    const { on, u, count } = this;
    if (!this.started) {
      for (let j = 0; j < count; j++) {
        on[j] = rng.next() < this.sparsity[j]! ? 1 : 0;
        u[j] = rng.normal();
      }
      this.started = true;
    } else {
      for (let j = 0; j < count; j++) {
        const r = rng.next();
        on[j] = on[j] ? (r < this.pOff[j]! ? 0 : 1) : r < this.pOn[j]! ? 1 : 0;
        u[j] = this.rho * u[j]! + this.innov * rng.normal();
      }
    }
    for (let j = 0; j < count; j++) out[offset + j] = on[j] || force?.[j] ? this.value(u[j]!) : 0;
  }
}
