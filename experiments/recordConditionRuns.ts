// Records one run per condition × seed (runs/<condition>--s<seed>/, tagged with the condition
// in its manifest's source) for the dictionary across conditions. The play is the cell's
// evaluation replayed (same agent, co-players, seed and context edits, so the run's moves are
// the cell's moves). The dictionary trainer needs ≥ 2 agents per row, so each row pairs the
// conditioned agent ('agent') with an unprimed copy of itself ('unprimed': same weights, same
// co-players and seed, no prefix and no history edit), which is the same in every condition of
// an agent. Every row carries the agent's move that round (column `move`: 0 = C, 1 = D), so the
// behaviour of each episode can be read beside its hidden states (latentPrediction.ts).
// Resumable: a complete run is kept; an incomplete one, or one recorded before the `move`
// column, is removed and re-recorded.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createRun, type AgentSpec } from '../data/index.js';
import { makeRng } from '../util/random.js';
import { peerPrefix, playInContext, type ContextPlayOptions, type ContextPlayRecord } from '../agents/context/index.js';
import { loadCheckpoint, type SeqModel } from '../agents/ipd/index.js';
import type { CompiledStyle } from '../agents/pool/index.js';
import { hasExactOptimum, populationPool } from '../agents/population/index.js';
import type { ResolvedCondition, ResolvedExperimentSpec } from './experimentSpec.js';
import { agentKey, cellName, type CellResult } from './runExperiment.js';

export const CONDITION_AGENTS = ['agent', 'unprimed'] as const;

export interface ConditionRun {
  condition: string;
  seed: number;
  dir: string;
  resumed: boolean;
}

function play(model: SeqModel, c: Pick<ResolvedCondition, 'prefix' | 'history'>, n: number, assign: Int32Array, styles: readonly CompiledStyle[], seed: number, steps: number, onRound: ContextPlayOptions['onRound']): ContextPlayRecord {
  // the random streams as in evaluateAdaptation: the prefix's fork first (when there is one), then the play's
  const rng = makeRng(seed);
  const prefix = c.prefix ? peerPrefix(c.prefix, n, rng.fork()) : null;
  return playInContext(model, { kind: 'styles', styles, assign }, n, rng.fork(), {
    steps,
    ...(prefix ? { prefix, prefixLength: c.prefix!.length } : {}),
    history: c.history ?? null,
    greedy: true,
    onRound,
  });
}

interface RunManifestLike {
  status?: string;
  agents?: { id: string; columns?: { name: string }[] }[];
}

/** A complete run recorded with the `move` column (older runs lack it and are re-recorded). */
function isCurrentRun(m: RunManifestLike): boolean {
  return m.status === 'complete' && (m.agents ?? []).length > 0 && (m.agents ?? []).every((a) => (a.columns ?? []).some((c) => c.name === 'move'));
}

export function recordConditionRuns(spec: ResolvedExperimentSpec, dir: string, cells: readonly CellResult[], onProgress?: (done: number, total: number, label: string, resumed: boolean) => void): ConditionRun[] {
  const styles = populationPool('test', spec.evaluate.coPlayers).styles.filter(hasExactOptimum);
  const E = spec.evaluate.episodesPerCoPlayer;
  const T = spec.evaluate.steps;
  const n = styles.length * E;
  const assign = Int32Array.from({ length: n }, (_, i) => Math.floor(i / E));
  const out: ConditionRun[] = [];
  const total = spec.seeds.length * spec.conditions.length;
  for (const seed of spec.seeds) {
    for (const c of spec.conditions) {
      const name = cellName(c.name, seed);
      const runDir = join(dir, 'runs', name);
      const manifest = join(runDir, 'run.json');
      if (existsSync(manifest) && isCurrentRun(JSON.parse(readFileSync(manifest, 'utf8')) as RunManifestLike)) {
        out.push({ condition: c.name, seed, dir: runDir, resumed: true });
        onProgress?.(out.length, total, name, true);
        continue;
      }
      rmSync(runDir, { recursive: true, force: true });
      const key = agentKey(c.agent);
      const cell = cells.find((x) => x.condition === c.name && x.seed === seed);
      const agentDir = cell?.agentDir ?? join(dir, 'agents', `${key}-s${seed}`);
      const model = loadCheckpoint(agentDir).model;
      const H = model.cfg.hidden;
      const evalSeed = 7919 * (seed + 1);
      // the unprimed copy first: its hidden states per round, [t][episode·H]
      const plain: Float32Array[] = [];
      const plainRec = play(model, { prefix: null, history: null }, n, assign, styles, evalSeed, T, (t, ro) => {
        const h = new Float32Array(n * H);
        model.hiddenAt(ro, ro.t - 1, h);
        plain[t] = h;
      });
      const spec1 = (id: string, what: string): AgentSpec => ({
        id,
        hiddenSize: H,
        model: `${model.cfg.arch}-${H}`,
        layer: model.cfg.arch === 'gru' ? 'gru.h' : 'tf.block.out',
        checkpoint: agentDir,
        columns: [
          { name: 'co_player', type: 'int32', role: 'other', description: `test-split co-player index (${what})` },
          { name: 'move', type: 'int32', role: 'action', description: `the move played this round, 0 = C, 1 = D (${what})` },
        ],
      });
      const writer = createRun(runDir, {
        source: {
          kind: 'experiment',
          params: { experiment: spec.name, condition: c.name, seed, agentKey: key, prefix: c.prefix, history: c.history, coPlayers: styles.map((s) => s.name), episodesPerCoPlayer: E, steps: T, evalSeed },
        },
        agents: [spec1('agent', `agent under condition '${c.name}'`), spec1('unprimed', 'the same agent without the condition')],
        flushIntervalMs: 0,
      });
      try {
        const episode = Int32Array.from({ length: n }, (_, i) => i);
        // the hidden state at round t is the one the round's move is read from (after the
        // round's observation); the moves are known once the play is over
        const primed: Float32Array[] = [];
        const rec = play(model, c, n, assign, styles, evalSeed, T, (t, ro) => {
          const h = new Float32Array(n * H);
          model.hiddenAt(ro, ro.t - 1, h);
          primed[t] = h;
        });
        for (let t = 0; t < T; t++) {
          const step = new Int32Array(n).fill(t);
          const moves = (r: ContextPlayRecord): Int32Array => Int32Array.from(r.actions.subarray(t * n, (t + 1) * n));
          writer.append('agent', { episode, step, hidden: primed[t]!, columns: { co_player: assign, move: moves(rec) } });
          writer.append('unprimed', { episode, step, hidden: plain[t]!, columns: { co_player: assign, move: moves(plainRec) } });
        }
      } catch (err) {
        writer.abort(`recording failed: ${(err as Error).message}`);
        throw err;
      }
      writer.close();
      out.push({ condition: c.name, seed, dir: runDir, resumed: false });
      onProgress?.(out.length, total, name, false);
    }
  }
  return out;
}
