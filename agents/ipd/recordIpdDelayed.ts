// Records natural conflicts between two learners (DelayedViewMatch): A and B each play a
// co-player that switches style at a seeded round; B sees the co-player late (and either
// may see it through a noisy channel). Both learners' hidden states are recorded as a
// 2-agent run, rows aligned by (episode, step), with the event column `diverged` at the
// first step their moves differ, and truth/conflicts.json per episode where A saw the
// switch: onsetStep (the first step whose input to A carries the switched move),
// divergenceStep (the first step the moves differ; the episode length if they never do),
// agent 'A' (whose reading moved first), no planted thoughts.
import { createRun, UsageError, writeTruthJson, type AgentSpec, type ColumnSpec, type RunManifest } from '../../data/index.js';
import { makeRng } from '../../util/random.js';
import { loadPool, styleIndex, type Pool } from '../pool/index.js';
import type { Checkpoint } from './checkpoint.js';
import { DelayedViewMatch, type DelayedSide } from './delayedViewMatch.js';
import { isPlanner } from './planner.js';
import { sigmoid } from './seqModel.js';

export const DELAYED_CONFLICTS_FILE = 'conflicts.json';

/** A fixed round, a uniform draw per episode from [lo, hi], or 'random' (uniform from [⌊T/4⌋, ⌊3T/4⌋]). */
export type SwitchRound = number | 'random' | [number, number];

export interface RecordIpdDelayedOptions {
  agentA: Checkpoint;
  /** Learner B (default: a copy of A). */
  agentB?: Checkpoint;
  /** Co-player style before and after the switch. */
  from: string;
  to: string;
  switchAt: SwitchRound;
  /** Rounds by which B's view of the co-player lags (default 3). */
  delay?: number;
  /** Probability each seen co-player move is flipped, privately per learner (default 0). */
  noise?: number;
  episodes: number;
  episodeLength?: number;
  seed?: number;
  pool?: Pool;
  parallel?: number;
  onProgress?: (p: { episodes: number; total: number }) => void;
}

export interface DelayedEpisodeTruth {
  episode: number;
  switchRound: number;
  /** null: A never saw a move unlike the old style's within the episode. */
  onsetStep: number | null;
  /** null: the moves never differed. */
  divergenceStep: number | null;
}

export interface DelayedConflict {
  episode: number;
  agent: string;
  counterparties: string[];
  thoughts: number[];
  onsetStep: number;
  divergenceStep: number;
  switchRound: number;
  /** The moves differed before A saw the switch (not caused by it; its event stays unmatched). */
  beforeOnset: boolean;
}

export interface RecordIpdDelayedResult {
  dir: string;
  manifest: RunManifest;
  episodes: DelayedEpisodeTruth[];
  conflicts: DelayedConflict[];
}

function columns(): ColumnSpec[] {
  return [
    { name: 'action', type: 'int32', role: 'action', description: 'move: 0 = cooperate, 1 = defect' },
    { name: 'reward', type: 'float32', role: 'reward', description: 'payoff of the round' },
    { name: 'co_player_action', type: 'int32', role: 'other', description: "the co-player's actual move this round" },
    { name: 'co_player_seen', type: 'int32', role: 'other', description: "the co-player move this step's input showed (late for B; −1 at step 0)" },
    { name: 'co_player', type: 'utf8', role: 'text', description: 'co-player style playing this round' },
    { name: 'p_cooperate', type: 'float32', role: 'other', description: 'policy probability of cooperating' },
    { name: 'value', type: 'float32', role: 'other', description: 'value-head estimate' },
    { name: 'diverged', type: 'bool', role: 'event', description: "true at the first step the two learners' moves differ" },
  ];
}

/** Checks the options; every problem is a one-line UsageError. */
export function validateDelayedOptions(o: RecordIpdDelayedOptions, pool: Pool): { T: number; delay: number; noise: number; from: number; to: number } {
  const T = o.episodeLength ?? 100;
  const delay = o.delay ?? 3;
  const noise = o.noise ?? 0;
  if (!Number.isInteger(o.episodes) || o.episodes < 1) throw new UsageError(`episodes must be a positive integer, got ${o.episodes}`);
  if (!Number.isInteger(T) || T < 2) throw new UsageError(`rounds must be an integer ≥ 2, got ${T}`);
  if (!Number.isInteger(delay) || delay < 0 || delay >= T) throw new UsageError(`view delay must be an integer in [0, ${T - 1}] rounds, got ${delay}`);
  if (!Number.isFinite(noise) || noise < 0 || noise >= 0.5) throw new UsageError(`noise must be a probability in [0, 0.5), got ${noise}`);
  const from = styleIndex(pool, o.from);
  const to = styleIndex(pool, o.to);
  if (from === to) throw new UsageError(`the co-player must switch to a different style, got ${o.from} → ${o.to}`);
  const [lo, hi] = switchRange(o.switchAt, T);
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 1 || hi > T - 1 || lo > hi) {
    throw new UsageError(`switch round must be an integer in [1, ${T - 1}] (or a range lo-hi inside it, or 'random'), got ${describeSwitch(o.switchAt)}`);
  }
  return { T, delay, noise, from, to };
}

function switchRange(s: SwitchRound, T: number): [number, number] {
  if (s === 'random') return [Math.max(1, Math.floor(T / 4)), Math.max(1, Math.floor((3 * T) / 4))];
  return typeof s === 'number' ? [s, s] : s;
}

function describeSwitch(s: SwitchRound): string {
  return typeof s === 'number' || s === 'random' ? String(s) : `${s[0]}-${s[1]}`;
}

export function recordIpdDelayed(dir: string, o: RecordIpdDelayedOptions): RecordIpdDelayedResult {
  const pool = o.pool ?? loadPool();
  const { T, delay, noise, from, to } = validateDelayedOptions(o, pool);
  const ckB = o.agentB ?? o.agentA;
  const [lo, hi] = switchRange(o.switchAt, T);
  const seed = o.seed ?? 0;
  const rng = makeRng(seed);
  const switchRng = rng.fork();
  const switchRounds = Int32Array.from({ length: o.episodes }, () => lo + switchRng.int(hi - lo + 1));
  const spec = (id: string, ck: Checkpoint): AgentSpec => ({
    id,
    hiddenSize: ck.model.cfg.hidden,
    model: `${isPlanner(ck.model) ? 'planner-' : ''}${ck.model.cfg.arch}-${ck.model.cfg.hidden}`,
    layer: ck.model.cfg.arch === 'gru' ? 'gru.h' : 'tf.block.out',
    checkpoint: ck.dir,
    columns: columns(),
  });
  const writer = createRun(dir, {
    source: {
      kind: 'ipd-delayed',
      params: {
        agentA: { id: 'A', checkpoint: o.agentA.dir, name: o.agentA.info.name, view: 'current' },
        agentB: { id: 'B', checkpoint: ckB.dir, name: ckB.info.name, view: `delayed ${delay} rounds` },
        coPlayer: { from: o.from, to: o.to, switchAt: describeSwitch(o.switchAt), switchRange: [lo, hi] },
        delay,
        noise,
        episodes: o.episodes,
        episodeLength: T,
        seed,
        pool: pool.source,
        coupling: 'shared co-player draws and one uniform per round for both learners’ moves',
        payoffs: { CC: [1, 1], CD: [-1, 2], DC: [2, -1], DD: [0, 0] },
      },
    },
    agents: [spec('A', o.agentA), spec('B', ckB)],
  });
  const names = pool.styles.map((s) => s.name);
  const episodes: DelayedEpisodeTruth[] = [];
  const conflicts: DelayedConflict[] = [];
  const par = Math.max(1, Math.min(o.parallel ?? 32, o.episodes));
  try {
    for (let e0 = 0; e0 < o.episodes; e0 += par) {
      const n = Math.min(par, o.episodes - e0);
      const sw = switchRounds.subarray(e0, e0 + n);
      const match = new DelayedViewMatch({ modelA: o.agentA.model, modelB: ckB.model, styles: pool.styles, from, to, switchAt: sw, delay, noise, n, steps: T, rng: rng.fork(), identity: from });
      while (!match.done) match.step();
      const episode = Int32Array.from({ length: n }, (_, i) => e0 + i);
      for (let t = 0; t < T; t++) {
        const step = new Int32Array(n).fill(t);
        const coName = Array.from({ length: n }, (_, i) => names[t >= sw[i]! ? to : from]!);
        const diverged = Array.from({ length: n }, (_, i) => match.divergence[i] === t);
        for (const [id, side] of [['A', match.a], ['B', match.b]] as const) {
          writer.append(id, rows(side, t, n, episode, step, coName, diverged));
        }
      }
      for (let i = 0; i < n; i++) {
        const onset = match.onset[i]!;
        const div = match.divergence[i]!;
        episodes.push({ episode: e0 + i, switchRound: sw[i]!, onsetStep: onset >= 0 ? onset : null, divergenceStep: div >= 0 ? div : null });
        if (onset < 0) continue;
        conflicts.push({
          episode: e0 + i,
          agent: 'A',
          counterparties: ['B'],
          thoughts: [],
          onsetStep: onset,
          divergenceStep: div >= 0 ? div : T,
          switchRound: sw[i]!,
          beforeOnset: div >= 0 && div < onset,
        });
      }
      writer.flush();
      o.onProgress?.({ episodes: e0 + n, total: o.episodes });
    }
    writer.addTruthFiles([
      writeTruthJson(writer.dir, DELAYED_CONFLICTS_FILE, {
        format: 'thoughtlens-ipd-delayed-conflicts',
        version: 1,
        description:
          "onsetStep: first step whose input to A carries a co-player move unlike the old style's (after the switch); " +
          "divergenceStep: first step A's and B's moves differ (the episode length if never); thoughts: none planted",
        delay,
        noise,
        from: o.from,
        to: o.to,
        episodes: o.episodes,
        conflicts,
        perEpisode: episodes,
      }),
    ]);
  } catch (err) {
    writer.abort(`recording failed: ${(err as Error).message}`);
    throw err;
  }
  writer.close();
  return { dir: writer.dir, manifest: writer.manifest, episodes, conflicts };
}

function rows(s: DelayedSide, t: number, n: number, episode: Int32Array, step: Int32Array, coName: string[], diverged: boolean[]) {
  const hidden = new Float32Array(n * s.model.cfg.hidden);
  s.model.hiddenAt(s.rollout, t, hidden);
  const k = (i: number) => t * n + i;
  return {
    episode,
    step,
    hidden,
    columns: {
      action: Int32Array.from({ length: n }, (_, i) => s.actions[k(i)]!),
      reward: Float32Array.from({ length: n }, (_, i) => s.rewards[k(i)]!),
      co_player_action: Int32Array.from({ length: n }, (_, i) => s.coActions[k(i)]!),
      co_player_seen: Int32Array.from({ length: n }, (_, i) => s.seen[k(i)]!),
      co_player: coName,
      p_cooperate: Float32Array.from({ length: n }, (_, i) => sigmoid(s.rollout.logit[k(i)]!)),
      value: Float32Array.from({ length: n }, (_, i) => s.rollout.value[k(i)]!),
      diverged,
    },
  };
}
