// Plays n parallel episodes between a model (seat A) and either another model or pool
// styles (seat B), keeping everything training and recording need.
import type { Rng } from '../../util/random.js';
import type { StylePlayers } from '../pool/index.js';
import { IpdBatch } from './ipdEnv.js';
import { sigmoid, type Rollout, type SeqModel } from './seqModel.js';

export type Opponent =
  | { kind: 'model'; model: SeqModel; identity?: Int32Array | null }
  | {
      kind: 'pool';
      players: StylePlayers;
      /** Style index per episode. */
      assign: ArrayLike<number>;
      /** Switch every episode to style `to[i]` before round `step` (0-based). */
      switchAt?: { step: number; to: ArrayLike<number> };
    };

export interface SideRecord {
  rollout: Rollout;
  /** Features fed each step: T·n·featuresPerStep. */
  feats: Int32Array;
  /** 0 = C, 1 = D, [t·n + i]. */
  actions: Uint8Array;
  rewards: Float64Array;
}

export interface MatchRecord {
  n: number;
  steps: number;
  a: SideRecord;
  /** Present when seat B is a model. */
  b: SideRecord | null;
  bActions: Uint8Array;
  bRewards: Float64Array;
}

export interface PlayOptions {
  /** Identity feature per episode for seat A (identity ablation); feature = 5 + id. */
  identityA?: Int32Array | null;
  /** Called after every round with the round index (for live recording). */
  onStep?: (t: number, rec: MatchRecord) => void;
  /** Pick the most likely move instead of sampling. */
  greedy?: boolean;
}

export function playMatch(a: SeqModel, opp: Opponent, n: number, steps: number, rng: Rng, opts: PlayOptions = {}): MatchRecord {
  const m = new MatchStepper(a, opp, n, steps, rng, opts);
  while (!m.done) m.step();
  return m.rec;
}

/** The same play, one round per call (lets a live recorder yield to the event loop). */
export class MatchStepper {
  readonly rec: MatchRecord;
  private t = 0;
  private readonly env: IpdBatch;
  private readonly actA: Int32Array;
  private readonly actB: Int32Array;
  private readonly featsA: Int32Array;
  private readonly featsB: Int32Array | null;

  constructor(
    private readonly a: SeqModel,
    private readonly opp: Opponent,
    private readonly n: number,
    private readonly steps: number,
    private readonly rng: Rng,
    private readonly opts: PlayOptions = {},
  ) {
    this.env = new IpdBatch(n);
    this.env.reset();
    const side = (model: SeqModel): SideRecord => ({
      rollout: model.start(n, steps),
      feats: new Int32Array(steps * n * model.cfg.featuresPerStep),
      actions: new Uint8Array(steps * n),
      rewards: new Float64Array(steps * n),
    });
    this.rec = {
      n,
      steps,
      a: side(a),
      b: opp.kind === 'model' ? side(opp.model) : null,
      bActions: new Uint8Array(steps * n),
      bRewards: new Float64Array(steps * n),
    };
    if (opp.kind === 'pool') opp.players.reset(opp.assign);
    this.actA = new Int32Array(n);
    this.actB = new Int32Array(n);
    this.featsA = new Int32Array(n * a.cfg.featuresPerStep);
    this.featsB = opp.kind === 'model' ? new Int32Array(n * opp.model.cfg.featuresPerStep) : null;
  }

  get done(): boolean {
    return this.t >= this.steps;
  }

  /** Plays one round for every episode; returns its index. */
  step(): number {
    const { a, opp, n, rng, opts, env, actA, actB, featsA, featsB, rec } = this;
    const t = this.t;
    if (opp.kind === 'pool' && opp.switchAt && opp.switchAt.step === t) {
      for (let i = 0; i < n; i++) opp.players.setStyle(i, opp.switchAt.to[i]!);
    }
    fill(featsA, env.obsA, a.cfg.featuresPerStep, opts.identityA ?? null);
    rec.a.feats.set(featsA, t * featsA.length);
    a.step(rec.a.rollout, featsA);
    choose(rec.a.rollout.logit, t, n, actA, rng, opts.greedy ?? false);
    if (opp.kind === 'model') {
      fill(featsB!, env.obsB, opp.model.cfg.featuresPerStep, opp.identity ?? null);
      rec.b!.feats.set(featsB!, t * featsB!.length);
      opp.model.step(rec.b!.rollout, featsB!);
      choose(rec.b!.rollout.logit, t, n, actB, rng, opts.greedy ?? false);
    } else {
      opp.players.act(actB);
    }
    env.step(actA, actB);
    if (opp.kind === 'pool') opp.players.observe(actB, actA);
    for (let i = 0; i < n; i++) {
      rec.a.actions[t * n + i] = actA[i]!;
      rec.a.rewards[t * n + i] = env.rewardA[i]!;
      rec.bActions[t * n + i] = actB[i]!;
      rec.bRewards[t * n + i] = env.rewardB[i]!;
    }
    if (rec.b) {
      rec.b.actions.set(rec.bActions.subarray(t * n, (t + 1) * n), t * n);
      rec.b.rewards.set(rec.bRewards.subarray(t * n, (t + 1) * n), t * n);
    }
    this.t++;
    opts.onStep?.(t, rec);
    return t;
  }
}

function fill(out: Int32Array, obs: Int32Array, k: number, identity: Int32Array | null): void {
  const n = obs.length;
  for (let i = 0; i < n; i++) {
    out[i * k] = obs[i]!;
    if (k > 1) out[i * k + 1] = 5 + (identity ? identity[i]! : 0);
  }
}

function choose(logit: Float64Array, t: number, n: number, out: Int32Array, rng: Rng, greedy: boolean): void {
  for (let i = 0; i < n; i++) {
    const p = sigmoid(logit[t * n + i]!);
    out[i] = greedy ? (p >= 0.5 ? 0 : 1) : rng.next() < p ? 0 : 1;
  }
}
