// Behaviour read out of an agent's own copy of its shared thoughts, L steps late:
//   s_a(τ) = Σ_{j ∈ shared(a)} copy_a,j(τ)     (summed in ascending thought id)
//   action_a(t) = ⌊ s_a(max(0, t − L)) / q ⌋   with quantum q = speed / 2.
// Agents holding the same shared thoughts act alike while their copies agree. A planted
// drift adds at least `speed` to at least one thought from its onset t0 on, so s rises by
// ≥ 2q and the action changes at exactly t0 + L (and stays changed while the drift lasts);
// before that the action reads copies from before t0, which are bit-identical.

export class ActionReadout {
  private readonly ring: Float64Array;
  private readonly undriftedRing: Float64Array;
  private first = 0;
  private firstUndrifted = 0;
  private t = 0;

  constructor(
    readonly lag: number,
    readonly quantum: number,
  ) {
    this.ring = new Float64Array(lag + 1);
    this.undriftedRing = new Float64Array(lag + 1);
  }

  reset(): void {
    this.t = 0;
  }

  /**
   * Takes this step's readout sums (own copy, and the same sum without any planted drift)
   * and returns the action, and the action the agent would take without drift, in `out`.
   */
  push(s: number, undrifted: number, out: { action: number; undrifted: number }): void {
    const n = this.lag + 1;
    const t = this.t++;
    this.ring[t % n] = s;
    this.undriftedRing[t % n] = undrifted;
    if (t === 0) {
      this.first = s;
      this.firstUndrifted = undrifted;
    }
    const read = t >= this.lag ? this.ring[(t - this.lag) % n]! : this.first;
    const readU = t >= this.lag ? this.undriftedRing[(t - this.lag) % n]! : this.firstUndrifted;
    out.action = Math.floor(read / this.quantum);
    out.undrifted = Math.floor(readU / this.quantum);
  }
}
