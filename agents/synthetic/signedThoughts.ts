// Signed thoughts (the layernorm-residual family): every thought has an on/off Markov chain and
// an AR(1) state u as in thoughtProcess.ts, but while on its value is sign·(floor + E), with E
// = −ln Φ(−u) an Exponential(1) variable (so ±E is Laplace-distributed, and E moves as smoothly
// as u) and the sign ±1 drawn with equal odds each time the thought switches on (kept for the
// whole on-run). Some thoughts may have their own P(on) and mean on-run (the family's
// long-lived thoughts). One extra uniform per thought per step, so values do not depend on
// chunking.
import type { Rng } from '../../util/random.js';
import { ThoughtProcess, type ThoughtProcessParams, type ThoughtSource } from './thoughtProcess.js';

export interface SignedThoughtsOptions {
  /** Smallest magnitude of an active thought (≥ 0). */
  floor: number;
  /** Per-thought P(on) (default the process's sparsity). */
  sparsity?: ArrayLike<number>;
  /** Per-thought mean on-run in steps (default the process's persistence). */
  persistence?: ArrayLike<number>;
}

/**
 * −ln Φ(−u) (Φ the standard normal CDF): an Exponential(1) quantile of a standard normal u.
 * Φ(−u) = ½·erfc(u/√2) with the Chebyshev erfc of Numerical Recipes (relative error < 1.2e-7),
 * taken in logs for large u, so it stays finite and accurate in both tails.
 */
export function exponentialOfNormal(u: number): number {
  const x = Math.abs(u) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  // ln erfc(x) for x ≥ 0.
  const lnErfc =
    Math.log(t) - x * x - 1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  // u ≥ 0: Φ(−u) = ½·erfc(x); u < 0: Φ(−u) = 1 − ½·erfc(x).
  return u >= 0 ? Math.LN2 - lnErfc : -Math.log1p(-0.5 * Math.exp(lnErfc));
}

export class SignedThoughts implements ThoughtSource {
  readonly count: number;
  private readonly chains: ThoughtProcess;
  private readonly sign: Float64Array;
  private started = false;

  constructor(count: number, p: ThoughtProcessParams, o: SignedThoughtsOptions) {
    this.count = count;
    const floor = o.floor;
    this.chains = new ThoughtProcess(count, p, { sparsity: o.sparsity, persistence: o.persistence, value: (u) => floor + exponentialOfNormal(u) });
    this.sign = new Float64Array(count);
  }

  reset(): void {
    this.chains.reset();
    this.started = false;
  }

  step(rng: Rng, out: Float32Array, offset: number): void {
    this.chains.step(rng, out, offset);
    const { sign, count } = this;
    for (let j = 0; j < count; j++) {
      const r = rng.next();
      const v = out[offset + j]!;
      // A new sign when the thought is on and was off (or at an episode's first step).
      if (v !== 0 && (!this.started || sign[j] === 0)) sign[j] = r < 0.5 ? -1 : 1;
      if (v === 0) sign[j] = 0;
      else out[offset + j] = sign[j]! * v;
    }
    this.started = true;
  }
}
