// Agent checkpoints: a folder with config.json (model config, how it was trained, pool
// style names for the identity feature, metrics) and weights.safetensors (float32).
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readSafetensors, writeFileAtomic, writeSafetensors, type NamedTensor } from '../../data/index.js';
import { CheckpointError } from './checkpointError.js';
import { makeModel } from './makeModel.js';
import { isPlanner, Planner, type PlannerConfig } from './planner.js';
import type { ModelConfig, SeqModel } from './seqModel.js';

export const CHECKPOINT_FORMAT = 'thoughtlens-ipd-agent';
export const CONFIG_FILE = 'config.json';
export const WEIGHTS_FILE = 'weights.safetensors';

export interface CheckpointInfo {
  format: typeof CHECKPOINT_FORMAT;
  version: 1;
  name: string;
  model: ModelConfig;
  /** 'stage1', 'stage2', 'stage3', 'selfplay', 'identity', 'planner', … */
  stage: string;
  /**
   * Present for a model-based planner: the weights are its co-player predictor (a GRU or
   * transformer whose policy head predicts the co-player's move) and the agent plans with these settings.
   */
  planner?: Omit<PlannerConfig, 'explore'>;
  seed: number;
  /** Pool style names in index order (identity feature i = style i; styles.length = a learner). */
  poolStyles: string[];
  train?: Record<string, unknown>;
  metrics?: Record<string, unknown>;
  /** The command that reproduces this checkpoint. */
  command?: string;
  createdAt: string;
}

export interface Checkpoint {
  info: CheckpointInfo;
  model: SeqModel;
  dir: string;
}

export function saveCheckpoint(dir: string, model: SeqModel, info: Omit<CheckpointInfo, 'format' | 'version' | 'model' | 'createdAt'>): string {
  const d = resolve(dir);
  mkdirSync(d, { recursive: true });
  const tensors: Record<string, NamedTensor> = {};
  for (const p of model.params) tensors[p.name] = { data: Float32Array.from(p.data), shape: p.shape };
  writeSafetensors(join(d, WEIGHTS_FILE), tensors, { format: CHECKPOINT_FORMAT });
  const planner = isPlanner(model) ? { depth: model.plan.depth, gamma: model.plan.gamma, useValue: model.plan.useValue, ...(model.plan.toEnd ? { toEnd: true } : {}) } : undefined;
  const full: CheckpointInfo = { format: CHECKPOINT_FORMAT, version: 1, model: model.cfg, createdAt: new Date().toISOString(), ...info, ...(planner ? { planner } : {}) };
  writeFileAtomic(join(d, CONFIG_FILE), JSON.stringify(full, null, 2) + '\n');
  return d;
}

export function loadCheckpoint(dir: string): Checkpoint {
  const d = resolve(dir);
  const cfgFile = join(d, CONFIG_FILE);
  if (!existsSync(cfgFile)) throw new CheckpointError(`not an agent checkpoint: ${CONFIG_FILE} is missing`, d);
  let info: CheckpointInfo;
  try {
    info = JSON.parse(readFileSync(cfgFile, 'utf8')) as CheckpointInfo;
  } catch (err) {
    throw new CheckpointError(`${CONFIG_FILE} is not valid JSON: ${(err as Error).message}`, cfgFile);
  }
  if (info.format !== CHECKPOINT_FORMAT) throw new CheckpointError(`field "format" must be "${CHECKPOINT_FORMAT}", got ${JSON.stringify(info.format)}`, cfgFile);
  const m = info.model;
  if (!m || (m.arch !== 'gru' && m.arch !== 'transformer')) throw new CheckpointError(`field "model.arch" must be "gru" or "transformer"`, cfgFile);
  for (const k of ['hidden', 'inputs', 'featuresPerStep'] as const) {
    if (!Number.isInteger(m[k]) || m[k] < 1) throw new CheckpointError(`field "model.${k}" must be a positive integer, got ${JSON.stringify(m[k])}`, cfgFile);
  }
  const model = makeModel(m);
  const wFile = join(d, WEIGHTS_FILE);
  if (!existsSync(wFile)) throw new CheckpointError(`${WEIGHTS_FILE} is missing`, d);
  const { tensors } = readSafetensors(wFile);
  for (const p of model.params) {
    const t = tensors[p.name];
    if (!t) throw new CheckpointError(`tensor '${p.name}' is missing`, wFile);
    if (t.data.length !== p.data.length || t.shape.join(',') !== p.shape.join(',')) {
      throw new CheckpointError(`tensor '${p.name}' has shape [${t.shape}], the config implies [${p.shape}]`, wFile);
    }
    p.data.set(t.data);
  }
  if (info.planner !== undefined) {
    const pl = info.planner;
    if (!Number.isInteger(pl.depth) || pl.depth < 1 || pl.depth > 6) throw new CheckpointError(`field "planner.depth" must be an integer in 1..6, got ${JSON.stringify(pl.depth)}`, cfgFile);
    if (typeof pl.gamma !== 'number' || !(pl.gamma > 0 && pl.gamma < 1)) throw new CheckpointError(`field "planner.gamma" must be a number in (0, 1), got ${JSON.stringify(pl.gamma)}`, cfgFile);
    if (typeof pl.useValue !== 'boolean') throw new CheckpointError(`field "planner.useValue" must be true or false`, cfgFile);
    if (pl.toEnd !== undefined && typeof pl.toEnd !== 'boolean') throw new CheckpointError(`field "planner.toEnd" must be true or false`, cfgFile);
    return { info, model: new Planner(model, { depth: pl.depth, gamma: pl.gamma, useValue: pl.useValue, toEnd: pl.toEnd ?? false }), dir: d };
  }
  return { info, model, dir: d };
}

/** The shipped checkpoints folder (source tree, or next to dist/). */
export function shippedCheckpointsDir(): string {
  for (const rel of ['../checkpoints', '../../../agents/checkpoints']) {
    const f = new URL(rel, import.meta.url);
    if (existsSync(f)) return resolve(f.pathname);
  }
  throw new CheckpointError('the shipped agent checkpoints (agents/checkpoints) are missing from this installation');
}

/** Name of the checkpoint the demo and `record ipd` use by default. */
export const DEFAULT_CHECKPOINT = 'gru-stage3-a';

export function loadDefaultCheckpoint(name = DEFAULT_CHECKPOINT): Checkpoint {
  return loadCheckpoint(join(shippedCheckpointsDir(), name));
}

/** Names of the shipped checkpoints. */
export function shippedCheckpoints(): string[] {
  try {
    const root = shippedCheckpointsDir();
    return readdirSync(root).filter((n) => existsSync(join(root, n, CONFIG_FILE))).sort();
  } catch {
    return [];
  }
}

/**
 * A checkpoint named by a path to its folder or by the name of a shipped one
 * (e.g. 'gru-stage3-a'); null when `ref` is neither (it may be a style name).
 */
export function findCheckpoint(ref: string): Checkpoint | null {
  if (existsSync(join(resolve(ref), CONFIG_FILE))) return loadCheckpoint(ref);
  if (shippedCheckpoints().includes(ref)) return loadCheckpoint(join(shippedCheckpointsDir(), ref));
  if (existsSync(resolve(ref))) throw new CheckpointError(`not an agent checkpoint: ${CONFIG_FILE} is missing`, resolve(ref));
  return null;
}

/** The shipped pair of stage-3 learners (A, B): the default agents of the demo. */
export function loadDefaultPair(): [Checkpoint, Checkpoint] {
  return [loadDefaultCheckpoint('gru-stage3-a'), loadDefaultCheckpoint('gru-stage3-b')];
}
