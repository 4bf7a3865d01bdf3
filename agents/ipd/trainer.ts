// Trains sequence-model agents with A2C or PPO against pool styles and each other.
// A setup is a list of learners (trainable or frozen) and "tables": which learner sits in
// seat A, who sits in seat B (another learner or the pool) and how many parallel episodes.
// Every model seat of a trainable learner contributes gradient, so two learners facing
// each other both learn from the same episodes (mutual shaping).
import { makeRng, type Rng } from '../../util/random.js';
import { StylePlayers, type Pool } from '../pool/index.js';
import { Adam } from './adam.js';
import { gaeTargets, pgGradients, type PgConfig } from './policyGradient.js';
import { playMatch, type MatchRecord, type Opponent } from './playMatch.js';
import { zerosLike, type Rollout, type SeqModel } from './seqModel.js';

export interface TrainConfig extends PgConfig {
  /** Parameter updates. */
  updates: number;
  episodeLength: number;
  lr: number;
  algo: 'a2c' | 'ppo';
  /** PPO: passes over each batch. */
  ppoEpochs: number;
  /** Global gradient-norm clip (0 = off). */
  gradClip: number;
  /** Decay the learning rate linearly to this fraction of lr by the last update (1 = constant). */
  lrFinal: number;
  seed: number;
}

export const DEFAULT_TRAIN_CONFIG: Readonly<TrainConfig> = Object.freeze({
  updates: 300,
  episodeLength: 100,
  lr: 3e-3,
  gamma: 0.98,
  lambda: 0.95,
  valueCoef: 0.5,
  entropyCoef: 0.01,
  clip: 0.2,
  algo: 'a2c',
  ppoEpochs: 4,
  gradClip: 1,
  lrFinal: 0.1,
  seed: 1,
});

export interface Learner {
  name: string;
  model: SeqModel;
  trainable: boolean;
}

export interface Table {
  /** Learner index in seat A. */
  a: number;
  /** Learner index in seat B, or the pool. */
  b: number | 'pool';
  episodes: number;
}

export interface TrainSetup {
  learners: Learner[];
  tables: Table[];
  pool: Pool;
  /** Pool style indices for pool seats, dealt round-robin from a random offset each update. */
  styles: number[];
  /** Identity ablation: models get the co-player's id as a second input feature. */
  identity: boolean;
  /** Curriculum: for the first `warmupUpdates` updates draw only these styles. */
  warmupStyles?: number[];
  warmupUpdates?: number;
}

export interface GroupStat {
  coop: number;
  reward: number;
  episodes: number;
}

export interface UpdateInfo {
  update: number;
  updates: number;
  agentSteps: number;
  seconds: number;
  /** Per learner name, per co-player group ('learner' for a model co-player). */
  groups: Record<string, Record<string, GroupStat>>;
}

export interface TrainResult {
  history: UpdateInfo[];
  seconds: number;
  agentSteps: number;
}

export function resolveTrainConfig(c: Partial<TrainConfig> = {}): Readonly<TrainConfig> {
  return Object.freeze({ ...DEFAULT_TRAIN_CONFIG, ...Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) });
}

interface SideJob {
  learner: number;
  rollout: Rollout;
  feats: Int32Array;
  actions: Uint8Array;
  rewards: Float64Array;
  n: number;
}

export function train(setup: TrainSetup, cfg: Readonly<TrainConfig>, onUpdate?: (u: UpdateInfo) => void): TrainResult {
  const rng = makeRng(cfg.seed);
  const styleRng = rng.fork();
  const T = cfg.episodeLength;
  const learners = setup.learners;
  const grads = learners.map((l) => (l.trainable ? zerosLike(l.model.params) : null));
  const opts = learners.map((l) => (l.trainable ? new Adam(l.model.params, { lr: cfg.lr, clip: cfg.gradClip }) : null));
  const players = new Map<number, StylePlayers>();
  const stepsOf = new Float64Array(learners.length);
  for (const tb of setup.tables) {
    stepsOf[tb.a]! += tb.episodes * T;
    if (tb.b !== 'pool') stepsOf[tb.b]! += tb.episodes * T;
  }
  const nStyles = setup.pool.styles.length;
  const history: UpdateInfo[] = [];
  const t0 = performance.now();
  let agentSteps = 0;
  for (let u = 0; u < cfg.updates; u++) {
    const jobs: SideJob[] = [];
    const groups: Record<string, Record<string, GroupStat>> = {};
    for (const tb of setup.tables) {
      const n = tb.episodes;
      const a = learners[tb.a]!;
      let opp: Opponent;
      let assign: Int32Array | null = null;
      let identityA: Int32Array | null = null;
      if (tb.b === 'pool') {
        let p = players.get(n);
        if (!p) players.set(n, (p = new StylePlayers(setup.pool.styles, n, styleRng)));
        const pick = setup.warmupStyles && u < (setup.warmupUpdates ?? 0) ? setup.warmupStyles : setup.styles;
        // stratified: every style gets the same share of episodes (less gradient noise)
        const off = rng.int(pick.length);
        assign = Int32Array.from({ length: n }, (_, i) => pick[(i + off) % pick.length]!);
        opp = { kind: 'pool', players: p, assign };
        identityA = setup.identity ? assign : null;
      } else {
        const ident = setup.identity ? new Int32Array(n).fill(nStyles) : null;
        opp = { kind: 'model', model: learners[tb.b]!.model, identity: ident };
        identityA = ident;
      }
      const rec = playMatch(a.model, opp, n, T, rng, { identityA });
      agentSteps += n * T * (tb.b === 'pool' ? 1 : 2);
      accumulate(groups, a.name, rec, (i) => (assign ? setup.pool.styles[assign[i]!]!.group : 'learner'), 'a');
      jobs.push({ learner: tb.a, n, ...rec.a });
      if (tb.b !== 'pool') {
        accumulate(groups, learners[tb.b]!.name, rec, () => 'learner', 'b');
        jobs.push({ learner: tb.b, n, ...rec.b! });
      }
    }
    const lrScale = 1 - (1 - cfg.lrFinal) * (u / Math.max(1, cfg.updates - 1));
    for (const o of opts) if (o) o.lrScale = lrScale;
    const trainJobs = jobs.filter((j) => learners[j.learner]!.trainable);
    const targets = trainJobs.map((j) => gaeTargets(j.rewards, j.rollout.value, j.n, T, cfg));
    const oldLogits = trainJobs.map((j) => j.rollout.logit.slice());
    const epochs = cfg.algo === 'ppo' ? cfg.ppoEpochs : 1;
    for (let e = 0; e < epochs; e++) {
      trainJobs.forEach((j, k) => {
        const model = learners[j.learner]!.model;
        const ro = e === 0 ? j.rollout : replay(model, j.feats, j.n, T);
        const dL = new Float64Array(T * j.n);
        const dV = new Float64Array(T * j.n);
        pgGradients(ro.logit, ro.value, oldLogits[k]!, j.actions, targets[k]!, cfg, 1 / stepsOf[j.learner]!, dL, dV);
        model.backward(ro, dL, dV, grads[j.learner]!);
      });
      learners.forEach((_, li) => opts[li]?.step(grads[li]!));
    }
    const info: UpdateInfo = { update: u + 1, updates: cfg.updates, agentSteps, seconds: (performance.now() - t0) / 1000, groups };
    history.push(info);
    onUpdate?.(info);
  }
  return { history, seconds: (performance.now() - t0) / 1000, agentSteps };
}

function replay(model: SeqModel, feats: Int32Array, n: number, T: number): Rollout {
  const ro = model.start(n, T);
  const w = n * model.cfg.featuresPerStep;
  for (let t = 0; t < T; t++) model.step(ro, feats.subarray(t * w, (t + 1) * w));
  return ro;
}

function accumulate(
  groups: Record<string, Record<string, GroupStat>>,
  name: string,
  rec: MatchRecord,
  groupOf: (i: number) => string,
  seat: 'a' | 'b',
): void {
  const g = (groups[name] ??= {});
  const acts = seat === 'a' ? rec.a.actions : rec.bActions;
  const rews = seat === 'a' ? rec.a.rewards : rec.bRewards;
  for (let i = 0; i < rec.n; i++) {
    let c = 0;
    let r = 0;
    for (let t = 0; t < rec.steps; t++) {
      c += acts[t * rec.n + i] === 0 ? 1 : 0;
      r += rews[t * rec.n + i]!;
    }
    const s = (g[groupOf(i)] ??= { coop: 0, reward: 0, episodes: 0 });
    // running means over episodes
    s.episodes++;
    s.coop += (c / rec.steps - s.coop) / s.episodes;
    s.reward += (r / rec.steps - s.reward) / s.episodes;
  }
}

/** For callers that need a generator of their own derived from a seed. */
export function seededRng(seed: number): Rng {
  return makeRng(seed);
}
