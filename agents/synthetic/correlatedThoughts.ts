// Correlated thoughts (the linear-correlated family): a few hidden *factors*, each an on/off
// Markov chain like a thought's (values 1/0), switch whole sets of thoughts on together.
// A coupled thought is on when its own chain is on OR its factor is on; its own chain's
// sparsity is lowered so that its overall P(on) stays `sparsity`:
//   own = 1 − (1 − sparsity) / (1 − factorSparsity).
// Two thoughts of one factor then have on/off correlation
//   (q + (1 − q)·own² − s²) / (s·(1 − s))   (s = sparsity, q = factorSparsity),
// ≈ 0.5 at the defaults (s = 0.1, q = 0.05). Factors span groups, so shared and private
// thoughts co-occur. Draws per step are fixed (factors first, then thoughts).
import type { Rng } from '../../util/random.js';
import { ThoughtProcess, type ThoughtProcessParams, type ThoughtSource } from './thoughtProcess.js';

export interface CorrelatedThoughtsOptions {
  /** Per thought, the factor that drives it, or −1 for none. */
  factorOf: ArrayLike<number>;
  factorCount: number;
  /** Stationary P(on) of each factor; must be below the thoughts' sparsity. */
  factorSparsity: number;
}

export class CorrelatedThoughts implements ThoughtSource {
  readonly count: number;
  private readonly factors: ThoughtProcess;
  private readonly thoughts: ThoughtProcess;
  private readonly factorOf: Int32Array;
  private readonly factorValues: Float32Array;
  private readonly force: Uint8Array;

  constructor(count: number, p: ThoughtProcessParams, o: CorrelatedThoughtsOptions) {
    this.count = count;
    this.factorOf = Int32Array.from(o.factorOf);
    const own = 1 - (1 - p.sparsity) / (1 - o.factorSparsity);
    this.thoughts = new ThoughtProcess(count, p, { sparsity: Array.from(this.factorOf, (f) => (f >= 0 ? own : p.sparsity)) });
    this.factors = new ThoughtProcess(o.factorCount, { sparsity: o.factorSparsity, persistence: p.persistence, smoothness: 0, spread: 0 });
    this.factorValues = new Float32Array(o.factorCount);
    this.force = new Uint8Array(count);
  }

  reset(): void {
    this.factors.reset();
    this.thoughts.reset();
  }

  step(rng: Rng, out: Float32Array, offset: number): void {
    this.factors.step(rng, this.factorValues, 0);
    for (let j = 0; j < this.count; j++) {
      const f = this.factorOf[j]!;
      this.force[j] = f >= 0 && this.factorValues[f]! > 0 ? 1 : 0;
    }
    this.thoughts.step(rng, out, offset, this.force);
  }
}
