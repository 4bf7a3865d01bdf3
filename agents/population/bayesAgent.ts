// The Bayesian-posterior baseline: a posterior over a population of strategies (the training
// split) from the co-player's observed moves, and a best response to the posterior mixture.
//
// Each candidate k is tracked in its own machine state (its state is a function of the joint
// history, so tracking is exact); the likelihood of the co-player's move is P_k(move | state),
// mixed with a tremble ε (a co-player that is in no candidate must not zero the posterior).
// The move maximises Σ_k w_k·Q_k(t, s_k, a), with Q_k the candidate's exact finite-horizon
// action values (optimum.ts): the QMDP approximation of the Bayes-optimal policy — it acts as if
// the co-player's identity were revealed after this move, so it never probes for information.
// It is told the round and the horizon (the learned agents are not).
import type { Rollout, SeqModel } from '../ipd/seqModel.js';
import type { CompiledStyle } from '../pool/index.js';
import { MACHINE_CONFIG, SCRIPTED_LOGIT } from './machineAgent.js';
import { exactMachine, optimum, type ExactMachine } from './optimum.js';

export interface BayesAgentOptions {
  /** Rounds the Q-values plan for (the episode length). */
  horizon: number;
  /** Probability that a candidate's move is replaced by a coin flip (default 0.05). */
  tremble?: number;
}

interface Candidate {
  m: ExactMachine;
  q: Float64Array;
}

export class BayesAgent implements SeqModel {
  readonly cfg = MACHINE_CONFIG;
  readonly params = [];
  readonly horizon: number;
  readonly tremble: number;
  private readonly cands: Candidate[];
  private logw = new Float64Array(0);
  private state = new Int32Array(0);
  /** Posterior of the last step, n·K (for inspection). */
  posterior = new Float64Array(0);

  constructor(population: readonly CompiledStyle[], opts: BayesAgentOptions) {
    this.horizon = opts.horizon;
    this.tremble = opts.tremble ?? 0.05;
    this.cands = population.map((s) => ({ m: exactMachine(s), q: optimum(s, opts.horizon).q }));
  }

  start(n: number, maxSteps: number): Rollout {
    const K = this.cands.length;
    this.logw = new Float64Array(n * K);
    this.state = new Int32Array(n * K);
    this.posterior = new Float64Array(n * K);
    for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) this.state[i * K + k] = this.cands[k]!.m.initial;
    return { n, maxSteps, t: 0, logit: new Float64Array(maxSteps * n), value: new Float64Array(maxSteps * n) };
  }

  step(ro: Rollout, features: Int32Array): void {
    const { n, t } = ro;
    const K = this.cands.length;
    const e = this.tremble;
    const tq = Math.min(t, this.horizon - 1);
    for (let i = 0; i < n; i++) {
      const row = i * K;
      if (t > 0) {
        const o = features[i]! - 1;
        const a = o >> 1;
        const b = o & 1;
        for (let k = 0; k < K; k++) {
          const { m } = this.cands[k]!;
          const s = this.state[row + k]!;
          const pc = m.coop[s]!;
          const like = (1 - e) * (b === 0 ? pc : 1 - pc) + e / 2;
          this.logw[row + k] = this.logw[row + k]! + Math.log(like);
          this.state[row + k] = m.next[s * 4 + 2 * b + a]!;
        }
      }
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, this.logw[row + k]!);
      let z = 0;
      let qc = 0;
      let qd = 0;
      for (let k = 0; k < K; k++) {
        const w = Math.exp(this.logw[row + k]! - max);
        this.posterior[row + k] = w;
        z += w;
        const { m, q } = this.cands[k]!;
        const j = (tq * m.nStates + this.state[row + k]!) * 2;
        qc += w * q[j]!;
        qd += w * q[j + 1]!;
      }
      for (let k = 0; k < K; k++) this.posterior[row + k] = this.posterior[row + k]! / z;
      ro.logit[t * n + i] = qc >= qd ? SCRIPTED_LOGIT : -SCRIPTED_LOGIT;
      ro.value[t * n + i] = Math.max(qc, qd) / z;
    }
    ro.t++;
  }

  hiddenAt(): void {}
  backward(): void {}
}

