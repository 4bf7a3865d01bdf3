// Two learners watching one situation, one of them late: learner A and learner B each play
// their own match against an instance of the same co-player style, which switches to
// another style at a given round. A sees the co-player's move of the last round as it
// happens; B sees it `delay` rounds late (own moves always current), and either view may
// pass through a private noisy channel (each seen co-player move flipped with probability
// `noise`, independently for A and B). The two matches share their random numbers (the
// co-players' draws and one uniform per round for both learners' moves), so the learners
// act alike until what they saw differs: nothing is planted in either hidden state, the
// divergence of their readings comes from the view alone.
//
// Per episode the stepper also finds:
//  - the onset: the first step whose input to A carries the switched move, i.e. 1 + the
//    first round ≥ the switch at which A's co-player moved differently from a shadow copy
//    of the old style fed the same history (null when A never sees such a move);
//  - the divergence: the first step at which A's and B's moves differ (null if never).
import { makeRng, type Rng } from '../../util/random.js';
import { StylePlayers, type CompiledStyle } from '../pool/index.js';
import { OBS_START } from './payoffs.js';
import { sigmoid, type Rollout, type SeqModel } from './seqModel.js';
import { IpdBatch } from './ipdEnv.js';

export interface DelayedViewMatchOptions {
  modelA: SeqModel;
  modelB: SeqModel;
  styles: readonly CompiledStyle[];
  /** Co-player style before the switch and after it (indices into styles). */
  from: number;
  to: number;
  /** Per episode, the first round (0-based) the co-player plays `to`. */
  switchAt: ArrayLike<number>;
  /** Rounds by which B's view of the co-player lags (0 = none). */
  delay: number;
  /** Probability that a seen co-player move is flipped (private to each learner). */
  noise: number;
  n: number;
  steps: number;
  rng: Rng;
  /** Identity feature per episode when a model takes one (featuresPerStep > 1). */
  identity?: number;
}

/** One learner's side of the coupled matches. */
export interface DelayedSide {
  model: SeqModel;
  rollout: Rollout;
  /** Own move per [t·n + i] (0 = C, 1 = D). */
  actions: Uint8Array;
  rewards: Float64Array;
  /** The co-player's actual move in this learner's match, [t·n + i]. */
  coActions: Uint8Array;
  /** The co-player move this learner's input at step t showed (−1 at step 0: the start symbol). */
  seen: Int8Array;
}

export class DelayedViewMatch {
  readonly a: DelayedSide;
  readonly b: DelayedSide;
  /** Per episode: onset step, or −1. */
  readonly onset: Int32Array;
  /** Per episode: divergence step, or −1. */
  readonly divergence: Int32Array;
  private t = 0;
  private readonly envA: IpdBatch;
  private readonly envB: IpdBatch;
  private readonly coA: StylePlayers;
  private readonly coB: StylePlayers;
  private readonly shadow: StylePlayers;
  private readonly actRng: Rng;
  private readonly noiseA: Rng;
  private readonly noiseB: Rng;
  /** Set once A's co-player first moved unlike the old style (per episode). */
  private readonly sawSwitch: Uint8Array;

  constructor(private readonly o: DelayedViewMatchOptions) {
    const { n, steps } = o;
    const side = (model: SeqModel): DelayedSide => ({
      model,
      rollout: model.start(n, steps),
      actions: new Uint8Array(steps * n),
      rewards: new Float64Array(steps * n),
      coActions: new Uint8Array(steps * n),
      seen: new Int8Array(steps * n),
    });
    this.a = side(o.modelA);
    this.b = side(o.modelB);
    this.onset = new Int32Array(n).fill(-1);
    this.divergence = new Int32Array(n).fill(-1);
    this.sawSwitch = new Uint8Array(n);
    this.envA = new IpdBatch(n);
    this.envB = new IpdBatch(n);
    this.envA.reset();
    this.envB.reset();
    // identical co-player streams in both matches and in the shadow of the old style
    const coSeed = o.rng.int(0x7fffffff);
    const start = new Int32Array(n).fill(o.from);
    this.coA = new StylePlayers(o.styles, n, makeRng(coSeed));
    this.coB = new StylePlayers(o.styles, n, makeRng(coSeed));
    this.shadow = new StylePlayers(o.styles, n, makeRng(coSeed));
    this.coA.reset(start);
    this.coB.reset(start);
    this.shadow.reset(start);
    this.actRng = o.rng.fork();
    this.noiseA = o.rng.fork();
    this.noiseB = o.rng.fork();
  }

  get done(): boolean {
    return this.t >= this.o.steps;
  }

  /** Plays one round of both matches; returns its index. */
  step(): number {
    const { n, delay, to, switchAt } = this.o;
    const t = this.t;
    const { a, b } = this;
    for (let i = 0; i < n; i++) {
      if (switchAt[i] === t) {
        this.coA.setStyle(i, to);
        this.coB.setStyle(i, to);
      }
    }
    const fa = this.features(a, t, 0, this.noiseA);
    const fb = this.features(b, t, delay, this.noiseB);
    a.model.step(a.rollout, fa);
    b.model.step(b.rollout, fb);
    const actA = new Int32Array(n);
    const actB = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const u = this.actRng.next();
      actA[i] = u < sigmoid(a.rollout.logit[t * n + i]!) ? 0 : 1;
      actB[i] = u < sigmoid(b.rollout.logit[t * n + i]!) ? 0 : 1;
    }
    const coA = new Int32Array(n);
    const coB = new Int32Array(n);
    const old = new Int32Array(n);
    this.coA.act(coA);
    this.coB.act(coB);
    this.shadow.act(old);
    this.envA.step(actA, coA);
    this.envB.step(actB, coB);
    this.coA.observe(coA, actA);
    this.coB.observe(coB, actB);
    this.shadow.observe(old, actA);
    for (let i = 0; i < n; i++) {
      const k = t * n + i;
      a.actions[k] = actA[i]!;
      b.actions[k] = actB[i]!;
      a.coActions[k] = coA[i]!;
      b.coActions[k] = coB[i]!;
      a.rewards[k] = this.envA.rewardA[i]!;
      b.rewards[k] = this.envB.rewardA[i]!;
      if (this.divergence[i]! < 0 && actA[i] !== actB[i]) this.divergence[i] = t;
      if (!this.sawSwitch[i] && t >= switchAt[i]! && coA[i] !== old[i]) {
        this.sawSwitch[i] = 1;
        if (t + 1 < this.o.steps) this.onset[i] = t + 1;
      }
    }
    this.t++;
    return t;
  }

  /** Inputs of one learner at step t: its own last move and the co-player's move `lag` rounds before it, as seen. */
  private features(s: DelayedSide, t: number, lag: number, noiseRng: Rng): Int32Array {
    const { n, noise, identity } = this.o;
    const k = s.model.cfg.featuresPerStep;
    const f = new Int32Array(n * k);
    for (let i = 0; i < n; i++) {
      let obs = OBS_START;
      if (t === 0) {
        s.seen[i] = -1;
      } else {
        const r = t - 1 - lag;
        // before the first delayed move arrives, no news reads as cooperation
        let co = r >= 0 ? s.coActions[r * n + i]! : 0;
        if (noise > 0 && noiseRng.next() < noise) co = 1 - co;
        s.seen[t * n + i] = co;
        obs = 1 + 2 * s.actions[(t - 1) * n + i]! + co;
      }
      f[i * k] = obs;
      if (k > 1) f[i * k + 1] = 5 + (identity ?? 0);
    }
    return f;
  }
}
