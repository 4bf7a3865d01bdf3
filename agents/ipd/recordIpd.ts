// Records IPD play into the run store, live: a learner (seat A) against another learner or
// a pool style (seat B). Every learner's hidden state is recorded with its actions,
// rewards and behavioural events; a style has no hidden state, so it is not an agent of
// the run (its moves are the learner's `co_player_action` column).
import { createRun, UsageError, type AgentSpec, type ColumnSpec, type RunManifest, type StepRows } from '../../data/index.js';
import { makeRng } from '../../util/random.js';
import { loadPool, StylePlayers, styleIndex, type Pool } from '../pool/index.js';
import type { Checkpoint } from './checkpoint.js';
import { identityFor } from './evaluate.js';
import { isPlanner } from './planner.js';
import { MatchStepper, type MatchRecord, type Opponent } from './playMatch.js';
import { sigmoid, type Rollout, type SeqModel } from './seqModel.js';

/** A co-player: a checkpoint (a learner), a style name, or 'pool' (every style in turn, one per episode). */
export type CoPlayer = Checkpoint | string;

export interface RecordIpdOptions {
  agentA: Checkpoint;
  agentB: CoPlayer;
  episodes: number;
  episodeLength?: number;
  seed?: number;
  /** Co-player pool for style names (default: the shipped pool). */
  pool?: Pool;
  /** Episodes played in parallel (default 32). */
  parallel?: number;
  /** `defect_after_coop` fires on a defection after ≥ k rounds of mutual cooperation (default 5). */
  k?: number;
  /** `exploited` marks rounds from the m-th consecutive round of being exploited (C against D; default 2). */
  streak?: number;
  /** Agent ids in the run (default 'A', 'B'). */
  ids?: [string, string];
  /** Switch a style co-player to another style at this round (e.g. tit-for-tat → always-defect). */
  switchTo?: { style: string; at: number };
  onProgress?: (p: RecordProgress) => void;
  flushIntervalMs?: number;
}

export interface RecordProgress {
  episodes: number;
  total: number;
  coopA: number;
  coopB: number;
  rewardA: number;
  rewardB: number;
}

export interface RecordIpdResult {
  dir: string;
  manifest: RunManifest;
  stats: RecordProgress;
}

function columns(): ColumnSpec[] {
  return [
    { name: 'action', type: 'int32', role: 'action', description: 'move: 0 = cooperate, 1 = defect' },
    { name: 'reward', type: 'float32', role: 'reward', description: 'payoff of the round' },
    { name: 'co_player_action', type: 'int32', role: 'other', description: "the co-player's move this round" },
    { name: 'co_player', type: 'utf8', role: 'text', description: 'co-player: style name or checkpoint name' },
    { name: 'p_cooperate', type: 'float32', role: 'other', description: 'policy probability of cooperating' },
    { name: 'value', type: 'float32', role: 'other', description: 'value-head estimate' },
    { name: 'defect_after_coop', type: 'bool', role: 'event', description: 'defects after ≥ k rounds of mutual cooperation' },
    { name: 'exploited', type: 'bool', role: 'event', description: 'cooperates while the co-player defects, for the m-th consecutive round or more' },
  ];
}

/** Records synchronously (fastest; blocks the event loop until done). */
export function recordIpd(dir: string, o: RecordIpdOptions): RecordIpdResult {
  const g = recordRounds(dir, o);
  for (let r = g.next(); ; r = g.next()) if (r.done) return r.value;
}

export interface LiveOptions {
  /** Wait this long after each round (to pace a demo; default 0: just yield to the event loop). */
  roundDelayMs?: number;
  /** Stop early: the run is closed as aborted with everything recorded so far. */
  signal?: AbortSignal;
}

/**
 * Records while yielding to the event loop after every round, so a server in the same
 * process keeps serving (and readers tail the run) while it grows.
 */
export async function recordIpdLive(dir: string, o: RecordIpdOptions & LiveOptions): Promise<RecordIpdResult> {
  const g = recordRounds(dir, o);
  for (let r = g.next(); ; r = g.next()) {
    if (r.done) return r.value;
    if (o.signal?.aborted) {
      const end = g.throw(new AbortedError());
      if (end.done) return end.value;
    }
    await new Promise<void>((res) => (o.roundDelayMs ? setTimeout(res, o.roundDelayMs) : setImmediate(res)));
  }
}

class AbortedError extends Error {
  constructor() {
    super('stopped by the caller');
  }
}

function* recordRounds(dir: string, o: RecordIpdOptions): Generator<number, RecordIpdResult, undefined> {
  const T = o.episodeLength ?? 100;
  const k = o.k ?? 5;
  const m = o.streak ?? 2;
  const [idA, idB] = o.ids ?? ['A', 'B'];
  if (!Number.isInteger(o.episodes) || o.episodes < 1) throw new UsageError(`episodes must be a positive integer, got ${o.episodes}`);
  const pool = o.pool ?? loadPool();
  const bIsModel = typeof o.agentB !== 'string';
  const bModel = bIsModel ? (o.agentB as Checkpoint) : null;
  const bStyle = bIsModel ? null : (o.agentB as string);
  const styleIds = bStyle === null ? [] : bStyle === 'pool' ? pool.styles.map((_, i) => i) : [styleIndex(pool, bStyle)];
  const switchId = o.switchTo ? styleIndex(pool, o.switchTo.style) : -1;
  const nameA = o.agentA.info.name;
  const nameB = bModel ? bModel.info.name : bStyle!;
  const spec = (id: string, ck: Checkpoint): AgentSpec => ({
    id,
    hiddenSize: ck.model.cfg.hidden,
    model: `${isPlanner(ck.model) ? 'planner-' : ''}${ck.model.cfg.arch}-${ck.model.cfg.hidden}`,
    layer: ck.model.cfg.arch === 'gru' ? 'gru.h' : 'tf.block.out',
    checkpoint: ck.dir,
    columns: columns(),
  });
  const agents = [spec(idA, o.agentA), ...(bModel ? [spec(idB, bModel)] : [])];
  const writer = createRun(dir, {
    source: {
      kind: 'ipd',
      params: {
        agentA: { id: idA, checkpoint: o.agentA.dir, name: nameA, stage: o.agentA.info.stage },
        agentB: bModel ? { id: idB, checkpoint: bModel.dir, name: nameB, stage: bModel.info.stage } : { style: bStyle },
        coPlayerStyles: styleIds.map((s) => pool.styles[s]!.name),
        switchTo: o.switchTo ?? null,
        episodes: o.episodes,
        episodeLength: T,
        seed: o.seed ?? 0,
        k,
        streak: m,
        pool: pool.source,
        payoffs: { CC: [1, 1], CD: [-1, 2], DC: [2, -1], DD: [0, 0] },
      },
    },
    agents,
    ...(o.flushIntervalMs !== undefined ? { flushIntervalMs: o.flushIntervalMs } : {}),
  });
  const rng = makeRng(o.seed ?? 0);
  const par = Math.max(1, Math.min(o.parallel ?? 32, o.episodes));
  const nStyles = pool.styles.length;
  const stats: RecordProgress = { episodes: 0, total: o.episodes, coopA: 0, coopB: 0, rewardA: 0, rewardB: 0 };
  const sums = { ca: 0, cb: 0, ra: 0, rb: 0, steps: 0 };
  try {
    for (let e0 = 0; e0 < o.episodes; e0 += par) {
      const n = Math.min(par, o.episodes - e0);
      let opp: Opponent;
      let idsA: Int32Array | null;
      const coName: string[] = [];
      if (bModel) {
        opp = { kind: 'model', model: bModel.model, identity: identityFor(bModel.model, n, nStyles) };
        idsA = identityFor(o.agentA.model, n, nStyles);
        for (let i = 0; i < n; i++) coName.push(nameB);
      } else {
        const assign = Int32Array.from({ length: n }, (_, i) => styleIds[(e0 + i) % styleIds.length]!);
        const players = new StylePlayers(pool.styles, n, rng.fork());
        opp = {
          kind: 'pool',
          players,
          assign,
          ...(o.switchTo ? { switchAt: { step: o.switchTo.at, to: new Int32Array(n).fill(switchId) } } : {}),
        };
        idsA = o.agentA.model.cfg.featuresPerStep > 1 ? assign : null;
        for (let i = 0; i < n; i++) coName.push(pool.styles[assign[i]!]!.name);
      }
      const trackers = [new EventTracker(n, k, m), new EventTracker(n, k, m)];
      const bufA = new Float32Array(n * o.agentA.model.cfg.hidden);
      const bufB = bModel ? new Float32Array(n * bModel.model.cfg.hidden) : null;
      const episode = Int32Array.from({ length: n }, (_, i) => e0 + i);
      const onStep = (t: number, rec: MatchRecord): void => {
        const step = new Int32Array(n).fill(t);
        const switched = o.switchTo && t >= o.switchTo.at ? pool.styles[switchId]!.name : null;
        const namesNow = switched ? coName.map(() => switched) : coName;
        writer.append(idA, rowsFor(o.agentA.model, rec.a.rollout, rec.a.actions, rec.bActions, rec.a.rewards, t, n, bufA, trackers[0]!, episode, step, namesNow));
        if (bModel) {
          writer.append(idB, rowsFor(bModel.model, rec.b!.rollout, rec.bActions, rec.a.actions, rec.bRewards, t, n, bufB!, trackers[1]!, episode, step, coName.map(() => nameA)));
        }
        for (let i = 0; i < n; i++) {
          sums.ca += rec.a.actions[t * n + i] === 0 ? 1 : 0;
          sums.cb += rec.bActions[t * n + i] === 0 ? 1 : 0;
          sums.ra += rec.a.rewards[t * n + i]!;
          sums.rb += rec.bRewards[t * n + i]!;
        }
        sums.steps += n;
      };
      const match = new MatchStepper(o.agentA.model, opp, n, T, rng, { identityA: idsA, onStep });
      while (!match.done) {
        match.step();
        yield e0 + n;
      }
      stats.episodes = e0 + n;
      stats.coopA = sums.ca / sums.steps;
      stats.coopB = sums.cb / sums.steps;
      stats.rewardA = sums.ra / sums.steps;
      stats.rewardB = sums.rb / sums.steps;
      writer.flush();
      o.onProgress?.({ ...stats });
    }
  } catch (err) {
    if (err instanceof AbortedError) {
      writer.abort(`recording ${err.message} after ${stats.episodes} complete episodes`);
      return { dir: writer.dir, manifest: writer.manifest, stats };
    }
    writer.abort(`recording failed: ${(err as Error).message}`);
    throw err;
  }
  writer.close();
  return { dir: writer.dir, manifest: writer.manifest, stats };
}

function rowsFor(
  model: SeqModel,
  ro: Rollout,
  own: Uint8Array,
  other: Uint8Array,
  rewards: Float64Array,
  t: number,
  n: number,
  buf: Float32Array,
  tracker: EventTracker,
  episode: Int32Array,
  step: Int32Array,
  coName: string[],
): StepRows {
  model.hiddenAt(ro, t, buf);
  const action = new Int32Array(n);
  const coAction = new Int32Array(n);
  const reward = new Float32Array(n);
  const p = new Float32Array(n);
  const v = new Float32Array(n);
  const dac: boolean[] = [];
  const exp: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const a = own[t * n + i]!;
    const b = other[t * n + i]!;
    action[i] = a;
    coAction[i] = b;
    reward[i] = rewards[t * n + i]!;
    p[i] = sigmoid(ro.logit[t * n + i]!);
    v[i] = ro.value[t * n + i]!;
    const [e1, e2] = tracker.push(i, a, b);
    dac.push(e1);
    exp.push(e2);
  }
  return {
    episode,
    step,
    hidden: buf.slice(),
    columns: { action, reward, co_player_action: coAction, co_player: coName, p_cooperate: p, value: v, defect_after_coop: dac, exploited: exp },
  };
}

/** Per-episode counters for the behavioural events of one player. */
export class EventTracker {
  private readonly mutual: Int32Array;
  private readonly suckered: Int32Array;

  constructor(
    n: number,
    private readonly k: number,
    private readonly m: number,
  ) {
    this.mutual = new Int32Array(n);
    this.suckered = new Int32Array(n);
  }

  /** Feeds round (own, other) of episode i; returns [defect_after_coop, exploited]. */
  push(i: number, own: number, other: number): [boolean, boolean] {
    const defectAfterCoop = own === 1 && this.mutual[i]! >= this.k;
    this.mutual[i] = own === 0 && other === 0 ? this.mutual[i]! + 1 : 0;
    this.suckered[i] = own === 0 && other === 1 ? this.suckered[i]! + 1 : 0;
    return [defectAfterCoop, this.suckered[i]! >= this.m];
  }
}
