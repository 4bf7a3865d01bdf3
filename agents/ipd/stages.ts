// The training stages, as setups for the trainer:
//   1         co-player inference: a fresh learner against the pool (warm-up curriculum first)
//   2         extortion: a learner (initialised from the stage-1 agent) against that agent,
//             frozen, and the pool
//   3         mutual shaping: two learners against each other and the pool
// and, for the emergence question, three from-scratch variants:
//   mixed     two fresh learners against each other and the pool (the literature's recipe)
//   selfplay  ablation: two fresh learners against each other only
//   identity  ablation: like mixed, but the co-player's identity is an input
import { UsageError } from '../../data/index.js';
import { makeRng } from '../../util/random.js';
import { trainingStyles, warmupStyles, type Pool } from '../pool/index.js';
import { cloneModel, makeModel } from './makeModel.js';
import { OBS_SIZE } from './payoffs.js';
import type { Arch, SeqModel } from './seqModel.js';
import { resolveTrainConfig, train, type TrainConfig, type TrainResult, type TrainSetup, type UpdateInfo } from './trainer.js';

export const STAGES = ['1', '2', '3', 'mixed', 'selfplay', 'identity'] as const;
export type Stage = (typeof STAGES)[number];

export interface StageOptions {
  stage: Stage;
  pool: Pool;
  seed?: number;
  arch?: Arch;
  hidden?: number;
  /** Parallel episodes per table (default 64 for one table, 32 each for three). */
  episodes?: number;
  train?: Partial<TrainConfig>;
  /** Stage 2: the in-context learner to freeze (and initialise from). Stage 3: learner A. */
  a?: SeqModel;
  /** Stage 3: learner B. */
  b?: SeqModel;
  /** Initial P(cooperate) of fresh learners (sets the policy bias), e.g. 0.15 for a defecting start. */
  initCoop?: number;
  /** Fraction of updates in the warm-up curriculum for fresh learners facing the pool (default 0.25). */
  warmupFraction?: number;
  /** Called with the plan before training starts (to save checkpoints along the way). */
  onPlanned?: (plan: StagePlan) => void;
}

export interface StagePlan {
  setup: TrainSetup;
  cfg: Readonly<TrainConfig>;
  /** Learners to save after training: name → model. */
  outputs: { name: string; model: SeqModel }[];
}

export function planStage(o: StageOptions): StagePlan {
  const seed = o.seed ?? 1;
  const cfg = resolveTrainConfig({ ...o.train, seed });
  const rng = makeRng(seed * 7919 + 17);
  const pool = o.pool;
  const nStyles = pool.styles.length;
  const identity = o.stage === 'identity';
  const fresh = (): SeqModel => {
    const m = makeModel(
      {
        arch: o.arch ?? 'gru',
        hidden: o.hidden ?? 32,
        inputs: identity ? OBS_SIZE + nStyles + 1 : OBS_SIZE,
        featuresPerStep: identity ? 2 : 1,
      },
      rng.fork(),
    );
    if (o.initCoop !== undefined) {
      const bp = m.params.find((p) => p.name === 'head.bp')!;
      bp.data[0] = Math.log(o.initCoop / (1 - o.initCoop));
    }
    return m;
  };
  const need = (m: SeqModel | undefined, what: string): SeqModel => {
    if (!m) throw new UsageError(`stage ${o.stage} needs ${what}`);
    return m;
  };
  const styles = trainingStyles(pool);
  const warm = warmupStyles(pool);
  const warmupUpdates = Math.round((o.warmupFraction ?? 0.25) * cfg.updates);
  const base = { pool, styles, identity };
  const one = o.episodes ?? 96;
  const third = Math.max(1, Math.round((o.episodes ?? 96) / 3));

  // Two trainable learners that play each other and the pool, saved as <prefix>-a / <prefix>-b.
  const twoLearners = (a: SeqModel, b: SeqModel, prefix: string, extra: Partial<TrainSetup> = {}): StagePlan => ({
    setup: {
      ...base,
      learners: [
        { name: 'A', model: a, trainable: true },
        { name: 'B', model: b, trainable: true },
      ],
      tables: [
        { a: 0, b: 1, episodes: third },
        { a: 0, b: 'pool', episodes: third },
        { a: 1, b: 'pool', episodes: third },
      ],
      ...extra,
    },
    cfg,
    outputs: [
      { name: `${prefix}-a`, model: a },
      { name: `${prefix}-b`, model: b },
    ],
  });

  switch (o.stage) {
    case '1': {
      const a = fresh();
      return {
        setup: { ...base, learners: [{ name: 'A', model: a, trainable: true }], tables: [{ a: 0, b: 'pool', episodes: one }], warmupStyles: warm, warmupUpdates },
        cfg,
        outputs: [{ name: 'stage1', model: a }],
      };
    }
    case '2': {
      const frozen = need(o.a, 'a stage-1 agent (--from)');
      const b = cloneModel(frozen);
      return {
        setup: {
          ...base,
          learners: [
            { name: 'B', model: b, trainable: true },
            { name: 'A(frozen)', model: frozen, trainable: false },
          ],
          tables: [
            { a: 0, b: 1, episodes: Math.round(one / 2) },
            { a: 0, b: 'pool', episodes: Math.round(one / 2) },
          ],
        },
        cfg,
        outputs: [{ name: 'stage2', model: b }],
      };
    }
    case '3':
      return twoLearners(cloneModel(need(o.a, 'learner A (--from)')), cloneModel(need(o.b, 'learner B (--with)')), 'stage3');
    case 'mixed':
    case 'identity':
      return twoLearners(fresh(), fresh(), o.stage, { warmupStyles: warm, warmupUpdates });
    case 'selfplay': {
      const a = fresh();
      const b = fresh();
      return {
        setup: {
          ...base,
          learners: [
            { name: 'A', model: a, trainable: true },
            { name: 'B', model: b, trainable: true },
          ],
          tables: [{ a: 0, b: 1, episodes: one }],
        },
        cfg,
        outputs: [
          { name: 'selfplay-a', model: a },
          { name: 'selfplay-b', model: b },
        ],
      };
    }
  }
}

export function runStage(o: StageOptions, onUpdate?: (u: UpdateInfo) => void): StagePlan & { result: TrainResult } {
  const plan = planStage(o);
  o.onPlanned?.(plan);
  const result = train(plan.setup, plan.cfg, onUpdate);
  return { ...plan, result };
}
