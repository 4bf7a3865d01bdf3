// Policy improvement for model-based planners: collect episodes with the current planner
// (with ε-exploration), refit its co-player predictor on a sliding window of the collected
// episodes (supervised), repeat. The planner improves because its predictor improves on
// the situations its own play creates.
//
// Setups:
//   planner            one learner against the training pool, bootstrapped from episodes
//                      where its moves are random (per-episode P(C) ~ U(0, 1))
//   planner-mixed      two learners against each other and the pool, from a defecting start
//   planner-selfplay   ablation: two learners against each other only
//   planner-identity   ablation: like mixed, with the co-player's identity as an input
// A defecting start: both predictors are first fitted on episodes where every learner's
// moves are i.i.d. with P(C) = initCoop (default 0.15) against that setup's co-players.
import { makeRng, type Rng } from '../../util/random.js';
import { StylePlayers, trainingStyles, type Pool } from '../pool/index.js';
import { Adam } from './adam.js';
import { concatTrajectories, fitPredictor, lastEpisodes, type FitConfig, type Trajectories } from './fitPredictor.js';
import { makeModel } from './makeModel.js';
import { OBS_SIZE } from './payoffs.js';
import { DEFAULT_PLANNER, Planner, type PlannerConfig } from './planner.js';
import { playMatch, type MatchRecord, type Opponent } from './playMatch.js';
import type { Arch, ModelConfig, Param, Rollout, SeqModel } from './seqModel.js';

export const PLANNER_STAGES = ['planner', 'planner-mixed', 'planner-selfplay', 'planner-identity'] as const;
export type PlannerStage = (typeof PLANNER_STAGES)[number];

export interface PlannerTrainOptions {
  stage: PlannerStage;
  pool: Pool;
  seed?: number;
  /** The predictor's architecture (default 'gru'). */
  arch?: Arch;
  hidden?: number;
  /** Policy-improvement iterations (collect → refit). */
  iterations?: number;
  /** Episodes collected per iteration (split over tables). */
  episodes?: number;
  /** Bootstrap episodes (iteration 0). */
  bootstrapEpisodes?: number;
  /** Episodes kept for refitting (sliding window, per learner). */
  window?: number;
  /** Exploration while collecting: probability of a random move. */
  explore?: number;
  /**
   * Exploration while collecting: fraction of episodes whose moves come from a random
   * memory-1 policy (P(C) per observation drawn uniformly) instead of the plan.
   */
  exploreEpisodes?: number;
  /**
   * Stage 'planner' only: share of each iteration's collection episodes (not the bootstrap's)
   * in which the learner plays a copy of itself instead of a pool style (default 0).
   */
  selfPlay?: number;
  planner?: Partial<Omit<PlannerConfig, 'explore'>>;
  fit?: Partial<FitConfig>;
  /** Bootstrap epochs (default 3× fit epochs). */
  bootstrapEpochs?: number;
  /** Defecting start: P(C) of the bootstrap moves in the two-learner setups. */
  initCoop?: number;
  episodeLength?: number;
  /**
   * What the value head learns: 'search' (default) = the planner's own search value of each
   * state it visits (value iteration on the learned model; exploratory moves do not lower
   * it), 'return' = the discounted return the collecting behaviour actually got.
   */
  valueTarget?: 'return' | 'search';
  /** One learner's bootstrap moves: a random P(C) per episode ('constant') or a random memory-1 policy per episode. */
  bootstrap?: 'constant' | 'memory-1';
  /** Pool style indices to train against (default: the pool's training styles). */
  styles?: number[];
  /**
   * Measures the learners after every refit (iteration 0 included) with exploration off;
   * the numbers land in that iteration's `eval`.
   */
  evaluate?: (learners: Planner[], iteration: number) => Record<string, number>;
}

export interface PlannerIteration {
  iteration: number;
  seconds: number;
  agentSteps: number;
  /** Per learner: predictor loss on its window after refitting. */
  loss: Record<string, number>;
  /** Per learner, per co-player group: cooperation and reward in the collected episodes. */
  groups: Record<string, Record<string, { coop: number; reward: number; episodes: number }>>;
  eval?: Record<string, number>;
}

export interface PlannerTrainResult {
  learners: { name: string; planner: Planner }[];
  history: PlannerIteration[];
  seconds: number;
  agentSteps: number;
  options: Required<Omit<PlannerTrainOptions, 'pool' | 'planner' | 'fit' | 'styles' | 'evaluate'>> & { planner: Partial<PlannerConfig>; fit: Partial<FitConfig> };
}

/**
 * Plays fixed memory-1 cooperation probabilities (the bootstrap behaviour): P(C) for episode
 * i after observation o is pCoop[(i·5 + o) mod pCoop.length] (5 values: one memory-1 policy
 * for every episode; one value: the same P(C) everywhere). Has no hidden state.
 */
export class FixedPolicy implements SeqModel {
  readonly params: Param[] = [];
  constructor(
    readonly cfg: ModelConfig,
    private readonly pCoop: Float64Array,
  ) {}
  start(n: number, maxSteps: number): Rollout {
    return { n, maxSteps, t: 0, logit: new Float64Array(maxSteps * n), value: new Float64Array(maxSteps * n) };
  }
  step(ro: Rollout, features: Int32Array): void {
    const K = this.cfg.featuresPerStep;
    for (let i = 0; i < ro.n; i++) {
      const p = Math.min(1 - 1e-9, Math.max(1e-9, this.pCoop[(i * 5 + features[i * K]!) % this.pCoop.length]!));
      ro.logit[ro.t * ro.n + i] = Math.log(p / (1 - p));
    }
    ro.t++;
  }
  hiddenAt(): void {}
  backward(): void {
    throw new Error('FixedPolicy is not trainable');
  }
}

/** The episodes one seat of a match saw: its features and the other seat's moves. */
export function trajectoriesOf(rec: MatchRecord, seat: 'a' | 'b', featuresPerStep: number, gamma?: number, target: 'return' | 'search' = 'return'): Trajectories {
  const { n, steps: T } = rec;
  const K = featuresPerStep;
  const side = seat === 'a' ? rec.a : rec.b!;
  const other = seat === 'a' ? rec.bActions : rec.a.actions;
  const feats = new Int32Array(n * T * K);
  const coMoves = new Uint8Array(n * T);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) feats[(i * T + t) * K + k] = side.feats[(t * n + i) * K + k]!;
      coMoves[i * T + t] = other[t * n + i]!;
    }
  }
  const out: Trajectories = { n, steps: T, featuresPerStep: K, feats, coMoves };
  if (gamma !== undefined) {
    // value targets: the discounted return the seat actually got, or ('search') the planner's
    // own search value at each round (value iteration on the learned model)
    const ret = (out.returns = new Float64Array(n * T));
    if (target === 'search' && 'inner' in side.rollout) {
      for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) ret[i * T + t] = (1 - gamma) * side.rollout.value[t * n + i]!;
    } else {
      const rewards = seat === 'a' ? rec.a.rewards : rec.bRewards;
      for (let i = 0; i < n; i++) {
        let g = 0;
        for (let t = T - 1; t >= 0; t--) {
          g = rewards[t * n + i]! + gamma * g;
          ret[i * T + t] = (1 - gamma) * g;
        }
      }
    }
  }
  return out;
}

export function trainPlanner(o: PlannerTrainOptions, onIteration?: (it: PlannerIteration) => void): PlannerTrainResult {
  const seed = o.seed ?? 1;
  const opts = {
    stage: o.stage,
    seed,
    arch: o.arch ?? 'gru',
    hidden: o.hidden ?? 32,
    iterations: o.iterations ?? 10,
    episodes: o.episodes ?? 264,
    bootstrapEpisodes: o.bootstrapEpisodes ?? 528,
    window: o.window ?? 1056,
    explore: o.explore ?? 0.1,
    exploreEpisodes: o.exploreEpisodes ?? 0,
    selfPlay: o.selfPlay ?? 0,
    valueTarget: o.valueTarget ?? 'search',
    bootstrap: o.bootstrap ?? 'constant',
    planner: o.planner ?? {},
    fit: o.fit ?? {},
    bootstrapEpochs: o.bootstrapEpochs ?? 3 * (o.fit?.epochs ?? 3),
    initCoop: o.initCoop ?? 0.15,
    episodeLength: o.episodeLength ?? 100,
  };
  if (!(opts.selfPlay >= 0 && opts.selfPlay <= 1)) throw new RangeError(`selfPlay must be in [0, 1], got ${opts.selfPlay}`);
  const fitCfg: Partial<FitConfig> = { epochs: 3, batch: 32, ...opts.fit };
  const rng = makeRng(seed * 104729 + 3);
  const pool = o.pool;
  const nStyles = pool.styles.length;
  const styles = o.styles ?? trainingStyles(pool);
  const identity = o.stage === 'planner-identity';
  const two = o.stage !== 'planner';
  const withPool = o.stage !== 'planner-selfplay';
  const T = opts.episodeLength;
  const mcfg: ModelConfig = {
    arch: opts.arch,
    hidden: opts.hidden,
    inputs: identity ? OBS_SIZE + nStyles + 1 : OBS_SIZE,
    featuresPerStep: identity ? 2 : 1,
  };
  const K = mcfg.featuresPerStep;
  const plan = { ...DEFAULT_PLANNER, ...opts.planner };
  const gammaV = plan.useValue ? plan.gamma : undefined;
  const names = two ? ['A', 'B'] : ['A'];
  const learners = names.map((name) => {
    const planner = new Planner(makeModel(mcfg, rng.fork()), { ...opts.planner, explore: opts.explore });
    const lr = fitCfg.lr ?? 5e-3;
    return { name, planner, adam: new Adam(planner.params, { lr, clip: fitCfg.gradClip ?? 1 }), data: null as Trajectories | null };
  });
  const playersByN = new Map<number, StylePlayers>();
  const poolPlayers = (n: number, r: Rng): StylePlayers => {
    let p = playersByN.get(n);
    if (!p) playersByN.set(n, (p = new StylePlayers(pool.styles, n, r.fork())));
    return p;
  };
  const t0 = performance.now();
  let agentSteps = 0;
  const history: PlannerIteration[] = [];

  // One round of collection: every table plays, each learner seat's episodes join its data.
  const collect = (total: number, seatModel: (li: number, n: number) => SeqModel, selfShare = 0): PlannerIteration['groups'] => {
    const groups: PlannerIteration['groups'] = {};
    const tables: { a: number; b: number | 'pool'; n: number }[] = [];
    const nSelf = two ? 0 : Math.round(total * selfShare);
    if (!two) {
      if (nSelf > 0) tables.push({ a: 0, b: 0, n: nSelf });
      if (total - nSelf > 0) tables.push({ a: 0, b: 'pool', n: total - nSelf });
    }
    else if (!withPool) tables.push({ a: 0, b: 1, n: total });
    else {
      const third = Math.max(1, Math.round(total / 3));
      tables.push({ a: 0, b: 1, n: third }, { a: 0, b: 'pool', n: third }, { a: 1, b: 'pool', n: third });
    }
    for (const tb of tables) {
      const a = seatModel(tb.a, tb.n);
      let opp: Opponent;
      let identityA: Int32Array | null = null;
      let groupOf: (i: number) => string;
      if (tb.b === 'pool') {
        const off = rng.int(styles.length);
        const assign = Int32Array.from({ length: tb.n }, (_, i) => styles[(i + off) % styles.length]!);
        opp = { kind: 'pool', players: poolPlayers(tb.n, rng), assign };
        identityA = identity ? assign : null;
        groupOf = (i) => pool.styles[assign[i]!]!.group;
      } else {
        const ident = identity ? new Int32Array(tb.n).fill(nStyles) : null;
        opp = { kind: 'model', model: seatModel(tb.b, tb.n), identity: ident };
        identityA = ident;
        groupOf = () => 'learner';
      }
      const rec = playMatch(a, opp, tb.n, T, rng, { identityA });
      agentSteps += tb.n * T * (tb.b === 'pool' ? 1 : 2);
      const la = learners[tb.a]!;
      la.data = lastEpisodes(concatTrajectories(la.data, trajectoriesOf(rec, 'a', K, gammaV, opts.valueTarget)), opts.window);
      tally(groups, la.name, rec.a.actions, rec.a.rewards, tb.n, T, groupOf);
      if (tb.b !== 'pool') {
        const lb = learners[tb.b]!;
        lb.data = lastEpisodes(concatTrajectories(lb.data, trajectoriesOf(rec, 'b', K, gammaV, opts.valueTarget)), opts.window);
        tally(groups, lb.name, rec.b!.actions, rec.b!.rewards, tb.n, T, () => 'learner');
      }
    }
    return groups;
  };
  const refit = (epochs: number, it: number): Record<string, number> => {
    const loss: Record<string, number> = {};
    learners.forEach((l, li) => {
      const r = fitPredictor(l.planner.predictor, l.data!, { ...fitCfg, epochs, seed: seed * 1000 + it * 10 + li }, l.adam);
      agentSteps += r.steps;
      loss[l.name] = r.loss[r.loss.length - 1]!;
    });
    return loss;
  };

  // iteration 0: bootstrap data from fixed behaviour: a random P(C) per episode or random memory-1 policies (one learner)
  // or i.i.d. moves with P(C) = initCoop (the defecting start of two learners)
  const bootCoop = (n: number): Float64Array =>
    two ? new Float64Array(1).fill(opts.initCoop) : bootstrapPolicies(n, opts.bootstrap, rng);
  const fixed = new Map<number, SeqModel>();
  const groups0 = collect(opts.bootstrapEpisodes, (li) => {
    let f = fixed.get(li);
    if (!f) fixed.set(li, (f = new FixedPolicy(mcfg, bootCoop(opts.bootstrapEpisodes))));
    return f;
  });
  const measure = (it: number): Record<string, number> | undefined => {
    if (!o.evaluate) return undefined;
    for (const l of learners) {
      l.planner.plan.explore = 0;
      l.planner.behaviour = null;
    }
    const r = o.evaluate(learners.map((l) => l.planner), it);
    for (const l of learners) l.planner.plan.explore = opts.explore;
    return r;
  };
  const loss0 = refit(opts.bootstrapEpochs, 0);
  const ev0 = measure(0);
  const it0: PlannerIteration = { iteration: 0, seconds: (performance.now() - t0) / 1000, agentSteps, loss: loss0, groups: groups0, ...(ev0 ? { eval: ev0 } : {}) };
  history.push(it0);
  onIteration?.(it0);
  for (let it = 1; it <= opts.iterations; it++) {
    const groups = collect(opts.episodes, (li, n) => {
      const p = learners[li]!.planner;
      p.behaviour = randomBehaviour(n, opts.exploreEpisodes, rng);
      return p;
    }, opts.selfPlay);
    const loss = refit(fitCfg.epochs ?? 3, it);
    const ev = measure(it);
    const info: PlannerIteration = { iteration: it, seconds: (performance.now() - t0) / 1000, agentSteps, loss, groups, ...(ev ? { eval: ev } : {}) };
    history.push(info);
    onIteration?.(info);
  }
  for (const l of learners) {
    l.planner.plan.explore = 0;
    l.planner.behaviour = null;
  }
  return {
    learners: learners.map((l) => ({ name: l.name, planner: l.planner })),
    history,
    seconds: (performance.now() - t0) / 1000,
    agentSteps,
    options: opts,
  };
}

function bootstrapPolicies(n: number, kind: 'constant' | 'memory-1', rng: Rng): Float64Array {
  const b = new Float64Array(n * 5);
  for (let i = 0; i < n; i++) {
    const p = rng.next();
    for (let k = 0; k < 5; k++) b[i * 5 + k] = kind === 'constant' ? p : rng.next();
  }
  return b;
}

/** Per episode 5 values of P(C | observation): random memory-1 for a `frac` share of episodes, NaN (plan) for the rest. */
function randomBehaviour(n: number, frac: number, rng: Rng): Float64Array {
  const b = new Float64Array(n * 5).fill(NaN);
  for (let i = 0; i < n; i++) if (rng.next() < frac) for (let k = 0; k < 5; k++) b[i * 5 + k] = rng.next();
  return b;
}

function tally(
  groups: PlannerIteration['groups'],
  name: string,
  actions: Uint8Array,
  rewards: Float64Array,
  n: number,
  T: number,
  groupOf: (i: number) => string,
): void {
  const g = (groups[name] ??= {});
  for (let i = 0; i < n; i++) {
    let c = 0;
    let r = 0;
    for (let t = 0; t < T; t++) {
      c += actions[t * n + i] === 0 ? 1 : 0;
      r += rewards[t * n + i]!;
    }
    const s = (g[groupOf(i)] ??= { coop: 0, reward: 0, episodes: 0 });
    s.episodes++;
    s.coop += (c / T - s.coop) / s.episodes;
    s.reward += (r / T - s.reward) / s.episodes;
  }
}
