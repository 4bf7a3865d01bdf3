// Thoughts in parent/child trees (the hierarchical family): every thought has its own on/off
// Markov chain and magnitude as in thoughtProcess.ts, but a child is on only while its own
// chain AND its parent are on (feature absorption: a child never appears without its parent).
// Roots' chains have P(on) = rootSparsity, children's P(on) = given, so a thought at tree level
// ℓ is on with probability rootSparsity·givenˡ. Draws per step are fixed (those of one
// ThoughtProcess), so values do not depend on chunking.
import type { Rng } from '../../util/random.js';
import { ThoughtProcess, type ThoughtProcessParams, type ThoughtSource } from './thoughtProcess.js';

export interface HierarchicalThoughtsOptions {
  /** Per thought, its parent's id, or −1 for a root. */
  parent: ArrayLike<number>;
  /** Thought ids ordered so that each parent comes before its children. */
  order: ArrayLike<number>;
  /** P(on) of a root's chain. */
  rootSparsity: number;
  /** P(on) of a child's own chain = P(child on | parent on). */
  given: number;
}

export class HierarchicalThoughts implements ThoughtSource {
  readonly count: number;
  private readonly chains: ThoughtProcess;
  private readonly parent: Int32Array;
  private readonly order: Int32Array;

  constructor(count: number, p: ThoughtProcessParams, o: HierarchicalThoughtsOptions) {
    this.count = count;
    this.parent = Int32Array.from(o.parent);
    this.order = Int32Array.from(o.order);
    this.chains = new ThoughtProcess(count, p, { sparsity: Array.from(this.parent, (q) => (q < 0 ? o.rootSparsity : o.given)) });
  }

  reset(): void {
    this.chains.reset();
  }

  step(rng: Rng, out: Float32Array, offset: number): void {
    this.chains.step(rng, out, offset);
    for (let i = 0; i < this.order.length; i++) {
      const j = this.order[i]!;
      const q = this.parent[j]!;
      if (q >= 0 && out[offset + q] === 0) out[offset + j] = 0;
    }
  }
}
