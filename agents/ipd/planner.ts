// A model-based agent: a sequence model (GRU or causal transformer) trained by supervised
// learning to predict the co-player's next move from the episode so far (its "policy" head is read as P(co-player cooperates
// this round)), and a policy that plans with it. Each round it runs an expectimax search
// over its own next `depth` moves, with the predictor supplying the co-player's moves
// (4 outcomes per level, the predictor stepped from the current state for each: a
// SearchBrancher), and
// plays the move with the highest discounted return. Against a reciprocator cooperation
// wins within a few rounds of look-ahead; against a co-player whose play does not depend
// on ours, defection does.
//
// The planner is a SeqModel, so playing, evaluating and recording need nothing new: its
// rollout's logit is the planned move (±PLAN_LOGIT, or the ε-exploring mixture), its
// value the best move's planned return, and its hidden state the predictor's hidden state.
import { PAYOFF } from './payoffs.js';
import { brancherFor, type SearchBrancher } from './searchBrancher.js';
import { sigmoid, type ModelConfig, type Param, type Rollout, type SeqModel } from './seqModel.js';

export interface PlannerConfig {
  /** Own moves planned ahead (the last one is always a defection: no value beyond it). */
  depth: number;
  /** Discount per round in the search. */
  gamma: number;
  /**
   * Value the leaves with the predictor's value head (trained on the normalised discounted
   * return of the planner's own play, (1 − γ)·G); false: nothing beyond the horizon.
   */
  useValue: boolean;
  /** Probability of a uniformly random move (exploration while collecting data; 0 to evaluate). */
  explore: number;
  /**
   * Cooperation margin (return units; default 0): cooperate unless defecting's searched value
   * beats cooperating's by more than this — a bias toward cooperation when the two values differ
   * by less than their estimation noise. Not stored in checkpoints (a play-time setting).
   */
  coopMargin?: number;
  /**
   * Plan to the episode's end (default false: the planner is not told the horizon). The
   * rollout's `maxSteps` is taken as the episode length: with r rounds left the search looks
   * min(depth, r) own moves ahead, and a leaf with k rounds after it is valued at the value
   * head's estimate times (1 − γ^k)/(1 − γ) instead of 1/(1 − γ) (nothing at the last round).
   * Stored in checkpoints only when true (a play-time setting; older checkpoints load as false).
   */
  toEnd?: boolean;
}

export const DEFAULT_PLANNER: Readonly<PlannerConfig> = Object.freeze({ depth: 2, gamma: 0.95, useValue: true, explore: 0 });

/** |logit| of a planned move: P = 1 − 1e-9, i.e. effectively deterministic. */
export const PLAN_LOGIT = 20;

interface PlannerRollout extends Rollout {
  inner: Rollout;
  /** The predictor's own logit of P(co-player cooperates), [t·n + i]. */
  predicted: Float64Array;
}

interface Scratch {
  n: number;
  /** Per level ℓ = 0 … depth: P(co-player C) and value-head output (n·4^ℓ). */
  p: Float64Array[];
  v: Float64Array[];
  leaf: Float64Array[];
  feats: Int32Array[];
}

export class Planner implements SeqModel {
  readonly cfg: ModelConfig;
  readonly params: Param[];
  readonly plan: PlannerConfig;
  private readonly K: number;
  private readonly brancher: SearchBrancher;
  private scratch: Scratch | null = null;
  /**
   * Exploration while collecting: per episode, P(C) for each observation symbol (5 values;
   * NaN = play the planned move). The search still runs, so the rollout's value is the
   * planner's own value of every state visited, whoever chose the moves.
   */
  behaviour: Float64Array | null = null;

  constructor(
    readonly predictor: SeqModel,
    plan: Partial<PlannerConfig> = {},
  ) {
    this.cfg = predictor.cfg;
    this.params = predictor.params;
    this.plan = { ...DEFAULT_PLANNER, ...plan };
    if (!Number.isInteger(this.plan.depth) || this.plan.depth < 1 || this.plan.depth > 6) throw new Error('planner depth must be an integer in 1..6');
    this.K = predictor.cfg.featuresPerStep;
    this.brancher = brancherFor(predictor);
  }

  start(n: number, maxSteps: number): PlannerRollout {
    return {
      n,
      maxSteps,
      t: 0,
      logit: new Float64Array(maxSteps * n),
      value: new Float64Array(maxSteps * n),
      predicted: new Float64Array(maxSteps * n),
      inner: this.predictor.start(n, maxSteps),
    };
  }

  step(rollout: Rollout, features: Int32Array): void {
    const ro = rollout as PlannerRollout;
    const { n } = ro;
    const t = ro.t;
    this.predictor.step(ro.inner, features);
    ro.predicted.set(ro.inner.logit.subarray(t * n, (t + 1) * n), t * n);
    const sc = this.scratchFor(n);
    this.brancher.root(ro.inner, t);
    for (let i = 0; i < n; i++) sc.p[0]![i] = sigmoid(ro.inner.logit[t * n + i]!);
    const { gamma, explore } = this.plan;
    const margin = this.plan.coopMargin ?? 0;
    const K = this.K;
    // with toEnd, look no further than the last round and value the leaves for the rounds left after them
    const left = this.plan.toEnd ? ro.maxSteps - t : Infinity;
    const depth = Math.min(this.plan.depth, left);
    const useValue = this.plan.useValue && left > depth;
    const levels = useValue ? depth : depth - 1;
    // expand: level ℓ+1 state (parent j, outcome o) = j·4 + o, from own move a and co-player move b, o = 2a + b
    for (let l = 0; l < levels; l++) {
      const m = n * 4 ** l;
      const f = sc.feats[l + 1]!;
      for (let j = 0; j < m; j++) {
        const root = Math.floor(j / 4 ** l);
        for (let o = 0; o < 4; o++) {
          f[(j * 4 + o) * K] = 1 + o;
          for (let k = 1; k < K; k++) f[(j * 4 + o) * K + k] = features[root * K + k]!;
        }
      }
      this.brancher.expand(l, m, f, sc.p[l + 1]!, sc.leaf[l + 1]!);
    }
    // back up: V_ℓ(s) = max_a Σ_b P_s(b)·(r(a,b) + γ·V_{ℓ+1}(child)),
    // V_depth = the value head's return estimate (1 − γ)·G scaled back, or 0
    const scaleV = Number.isFinite(left) ? (1 - gamma ** (left - depth)) / (1 - gamma) : 1 / (1 - gamma);
    if (useValue) {
      const lv = sc.leaf[depth]!;
      const v = sc.v[depth]!;
      for (let j = 0; j < lv.length; j++) v[j] = lv[j]! * scaleV;
    }
    for (let l = depth - 1; l >= 0; l--) {
      const m = n * 4 ** l;
      const next = l + 1 < depth || useValue ? sc.v[l + 1]! : null;
      const v = sc.v[l]!;
      for (let j = 0; j < m; j++) {
        const pc = sc.p[l]![j]!;
        const q = (a: number): number => {
          const vc = next ? next[j * 4 + 2 * a]! : 0;
          const vd = next ? next[j * 4 + 2 * a + 1]! : 0;
          return pc * (PAYOFF[2 * a]! + gamma * vc) + (1 - pc) * (PAYOFF[2 * a + 1]! + gamma * vd);
        };
        const qc = q(0);
        const qd = q(1);
        v[j] = Math.max(qc, qd);
        if (l === 0) {
          // ties (within coopMargin) go to cooperation
          const beh = this.behaviour ? this.behaviour[j * 5 + features[j * K]!]! : NaN;
          const pCoop = Number.isNaN(beh) ? explore / 2 + (1 - explore) * (qc >= qd - margin ? 1 : 0) : beh;
          ro.logit[t * n + j] = pCoop >= 1 ? PLAN_LOGIT : pCoop <= 0 ? -PLAN_LOGIT : Math.log(pCoop / (1 - pCoop));
          ro.value[t * n + j] = v[j]!;
        }
      }
    }
    ro.t++;
  }

  hiddenAt(rollout: Rollout, t: number, out: Float32Array | Float64Array): void {
    this.predictor.hiddenAt((rollout as PlannerRollout).inner, t, out);
  }

  backward(): void {
    throw new Error('the planner is not trained by gradient: fit its predictor (fitPredictor)');
  }

  /** The predictor's rollout inside a planner rollout (its logit = predicted co-player move). */
  static inner(ro: Rollout): Rollout {
    return (ro as PlannerRollout).inner ?? ro;
  }

  private scratchFor(n: number): Scratch {
    const d = this.plan.depth;
    this.brancher.prepare(n, d);
    if (this.scratch?.n === n && this.scratch.p.length === d + 1) return this.scratch; // depth may change between calls
    const sizes = Array.from({ length: d + 1 }, (_, l) => n * 4 ** l);
    this.scratch = {
      n,
      p: sizes.map((m) => new Float64Array(m)),
      v: sizes.map((m) => new Float64Array(m)),
      leaf: sizes.map((m) => new Float64Array(m)),
      feats: sizes.map((m) => new Int32Array(m * this.K)),
    };
    return this.scratch;
  }
}

export function isPlanner(m: SeqModel): m is Planner {
  return m instanceof Planner;
}
