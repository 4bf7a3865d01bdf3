// Runs an experiment: for every seed, the agents its conditions need (trained once per
// distinct agent config and saved under agents/), then every condition × seed cell (its
// adaptation and defection metrics on held-out co-players) written to cells/<cell>.json.
// Resumable: a saved agent or a finished cell is loaded, not recomputed; each file is
// written atomically, so an interrupted run leaves no half cell.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../data/index.js';
import { evaluateAdaptation, trainContextAgent, type AdaptationEval, type ContextAgentConfig } from '../agents/context/index.js';
import { loadCheckpoint, saveCheckpoint, type SeqModel } from '../agents/ipd/index.js';
import { hasExactOptimum, populationPool } from '../agents/population/index.js';
import type { ResolvedCondition, ResolvedExperimentSpec } from './experimentSpec.js';

export interface CellResult {
  condition: string;
  seed: number;
  agentKey: string;
  agentDir: string;
  trainSeconds: number;
  trainLoss: number[];
  evalSeconds: number;
  eval: AdaptationEval;
}

export interface ExperimentProgress {
  phase: 'train' | 'evaluate';
  done: number;
  total: number;
  label: string;
  /** true when the work was found finished on disk. */
  resumed: boolean;
}

export interface ExperimentRun {
  spec: ResolvedExperimentSpec;
  dir: string;
  cells: CellResult[];
  /** Cells loaded from disk rather than computed in this call. */
  resumedCells: number;
  seconds: number;
}

export function agentKey(agent: ResolvedCondition['agent']): string {
  return createHash('sha1').update(JSON.stringify(agent, Object.keys(agent).sort())).digest('hex').slice(0, 10);
}

export const cellName = (condition: string, seed: number): string => `${condition}--s${seed}`;

export interface AgentEntry {
  model: SeqModel;
  dir: string;
  seconds: number;
  loss: number[];
}

/** An agent an earlier call of a runner saved in `dir` (its training time and loss from metrics), or null. */
export function loadSavedAgent(dir: string): AgentEntry | null {
  if (!existsSync(join(dir, 'config.json'))) return null;
  const ck = loadCheckpoint(dir);
  const m = (ck.info.metrics ?? {}) as { seconds?: number; loss?: number[] };
  return { model: ck.model, dir, seconds: m.seconds ?? NaN, loss: m.loss ?? [] };
}

export function runExperiment(spec: ResolvedExperimentSpec, outDir: string, onProgress?: (p: ExperimentProgress) => void): ExperimentRun {
  const t0 = performance.now();
  const dir = resolve(outDir);
  mkdirSync(join(dir, 'cells'), { recursive: true });
  mkdirSync(join(dir, 'agents'), { recursive: true });
  writeFileAtomic(join(dir, 'spec.resolved.json'), JSON.stringify(spec, null, 1) + '\n');
  const keys = [...new Map(spec.conditions.map((c) => [agentKey(c.agent), c.agent])).entries()];
  const agents = new Map<string, AgentEntry>();
  const trainTotal = keys.length * spec.seeds.length;
  let trained = 0;
  for (const seed of spec.seeds) {
    for (const [key, cfg] of keys) {
      const d = join(dir, 'agents', `${key}-s${seed}`);
      let entry: AgentEntry;
      let resumed = false;
      const saved = loadSavedAgent(d);
      if (saved) {
        entry = saved;
        resumed = true;
      } else {
        const full: ContextAgentConfig = { ...cfg, seed };
        const r = trainContextAgent(full, (e, l) => onProgress?.({ phase: 'train', done: trained, total: trainTotal, label: `${cfg.context} s${seed} epoch ${e} loss ${l.toFixed(3)}`, resumed: false }));
        saveCheckpoint(d, r.model, {
          name: `context-${cfg.context}-${key}-s${seed}`,
          stage: `context-${cfg.context}`,
          seed,
          poolStyles: [],
          train: { ...full },
          metrics: { seconds: r.seconds, loss: r.loss, samplesPerEpoch: r.samplesPerEpoch, coPlayers: r.coPlayers },
          command: `thoughtlens experiment (spec '${spec.name}')`,
        });
        entry = { model: r.model, dir: d, seconds: r.seconds, loss: r.loss };
      }
      agents.set(`${key}-s${seed}`, entry);
      onProgress?.({ phase: 'train', done: ++trained, total: trainTotal, label: `${cfg.context} s${seed}`, resumed });
    }
  }
  const styles = populationPool('test', spec.evaluate.coPlayers).styles.filter(hasExactOptimum);
  const cells: CellResult[] = [];
  let resumedCells = 0;
  const total = spec.conditions.length * spec.seeds.length;
  for (const seed of spec.seeds) {
    for (const c of spec.conditions) {
      const file = join(dir, 'cells', `${cellName(c.name, seed)}.json`);
      if (existsSync(file)) {
        cells.push(JSON.parse(readFileSync(file, 'utf8')) as CellResult);
        resumedCells++;
        onProgress?.({ phase: 'evaluate', done: cells.length, total, label: cellName(c.name, seed), resumed: true });
        continue;
      }
      const key = agentKey(c.agent);
      const a = agents.get(`${key}-s${seed}`)!;
      const e0 = performance.now();
      // the evaluation seed depends on the seed only: every condition meets the same co-players and moves of chance
      const ev = evaluateAdaptation(a.model, styles, {
        episodesPerStyle: spec.evaluate.episodesPerCoPlayer,
        steps: spec.evaluate.steps,
        seed: 7919 * (seed + 1),
        prefix: c.prefix,
        history: c.history,
        resamples: spec.evaluate.resamples,
      });
      const cell: CellResult = {
        condition: c.name,
        seed,
        agentKey: key,
        agentDir: a.dir,
        trainSeconds: a.seconds,
        trainLoss: a.loss,
        evalSeconds: (performance.now() - e0) / 1000,
        eval: ev,
      };
      writeFileAtomic(file, JSON.stringify(cell) + '\n');
      cells.push(cell);
      onProgress?.({ phase: 'evaluate', done: cells.length, total, label: cellName(c.name, seed), resumed: false });
    }
  }
  return { spec, dir, cells, resumedCells, seconds: (performance.now() - t0) / 1000 };
}
