// A batch of parallel iterated-prisoner's-dilemma episodes between two seats (A and B).
// Everything is a typed array over episodes; there is no time-step input in the
// observation (a clock would teach end-game defection).
import { OBS_START, PAYOFF } from './payoffs.js';

export class IpdBatch {
  readonly n: number;
  /** Observation of each seat for the coming round: 0 = start, 1 + (2·own + other). */
  readonly obsA: Int32Array;
  readonly obsB: Int32Array;
  readonly rewardA: Float64Array;
  readonly rewardB: Float64Array;
  /** Rounds played since reset. */
  t = 0;

  constructor(n: number) {
    this.n = n;
    this.obsA = new Int32Array(n);
    this.obsB = new Int32Array(n);
    this.rewardA = new Float64Array(n);
    this.rewardB = new Float64Array(n);
  }

  reset(): void {
    this.obsA.fill(OBS_START);
    this.obsB.fill(OBS_START);
    this.t = 0;
  }

  /** Plays one round; actions are 0 = C, 1 = D per episode. */
  step(actA: ArrayLike<number>, actB: ArrayLike<number>): void {
    for (let i = 0; i < this.n; i++) {
      const a = actA[i]!;
      const b = actB[i]!;
      const oa = 2 * a + b;
      const ob = 2 * b + a;
      this.rewardA[i] = PAYOFF[oa]!;
      this.rewardB[i] = PAYOFF[ob]!;
      this.obsA[i] = 1 + oa;
      this.obsB[i] = 1 + ob;
    }
    this.t++;
  }
}
