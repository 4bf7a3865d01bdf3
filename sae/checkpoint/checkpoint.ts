// Checkpoint folders: model.safetensors (weights per agent block + norm.<A>.mean),
// optimizer.safetensors (Adam moments, trainer state), cfg.json, split.json, metrics.json.
// A folder is written complete under a temporary name and swapped in with renames, so a
// crash leaves the previous checkpoint or the new one, never a mix.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fsyncDir, readSafetensors, writeFileAtomic, writeSafetensors, type NamedTensor } from '../../data/index.js';
import { resolveSaeConfig, type ResolvedSaeConfig, type SaeConfig } from '../config.js';
import { CheckpointError, ConfigError } from '../errors.js';
import type { AgentNorm } from '../model/normalisation.js';
import { paramShapes, type ParamSet } from '../model/params.js';

export const CHECKPOINT_FORMAT = 'thoughtlens-sae';
export const CHECKPOINT_VERSION = 1;

export interface TrainingState {
  /** Adam steps taken. */
  step: number;
  /** Pairs (joined rows) consumed. */
  pairsSeen: number;
  /** EMA of the BatchTopK selection threshold, used at inference. */
  threshold: number;
  /** Training runs: folder, id and rows per pass. */
  runs: { dir: string; id: string; rows: number }[];
  finished: boolean;
  /** How latents and k were chosen when `train` was not given them (train/autoSize.ts). */
  size?: { latents: number; k: number; reason: string; probe: unknown; grown?: { from: number; unread: number; r: number[] } };
  /** The witness seed that checks which latents are reproducible (train/trainer.ts). */
  /**
   * reproduced: latents the witness reproduces as the split counts them (match 'any': also a
   * duplicate the witness holds in one latent; 'one': one-to-one matches only, as before the
   * tenth session, when the field was the one-to-one count); reproducedOneToOne beside it.
   */
  witness?: { seed: number; reproduced: number; reproducedOneToOne?: number; match?: 'one' | 'any'; latents: number; minStability: number };
}

export interface CheckpointCfg {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  createdAt: string;
  config: ResolvedSaeConfig;
  /** The tensor backend that trained it (tfjs-node-gpu, tfjs-node, wasm, cpu). */
  backend: string;
  engine: string;
  shapes: Record<string, number[]>;
  /** x̃_a = (x_a − μ_a)/s_a; μ_a is tensor norm.<A>.mean in model.safetensors. */
  normalisation: Record<string, { scale: number; meanTensor: string; rule: string; denseTensor?: string; denseRank?: number; denseRule?: string }>;
  training: TrainingState;
}

export interface SaeModel {
  cfg: ResolvedSaeConfig;
  params: ParamSet;
  norms: AgentNorm[];
  /** Inference threshold on relu(pre)·weight for BatchTopK modes (NaN otherwise). */
  threshold: number;
  meta: CheckpointCfg;
  dir?: string;
}

export interface CheckpointExtras {
  optimizer?: ParamSet;
  split?: unknown;
  metrics?: unknown;
}

export function saveCheckpoint(dir: string, model: SaeModel, extras: CheckpointExtras = {}): void {
  const out = resolve(dir);
  mkdirSync(dirname(out), { recursive: true });
  const tmp = join(dirname(out), `.${basename(out)}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  const tensors: Record<string, NamedTensor> = { ...model.params };
  model.cfg.agents.forEach((a, i) => {
    tensors[`norm.${a.id}.mean`] = { data: model.norms[i]!.mean, shape: [a.dim] };
    const dense = model.norms[i]!.dense;
    if (dense && dense.length) tensors[`norm.${a.id}.dense`] = { data: dense, shape: [dense.length / a.dim, a.dim] };
  });
  writeSafetensors(join(tmp, 'model.safetensors'), tensors, { format: CHECKPOINT_FORMAT, mode: model.cfg.mode });
  if (extras.optimizer) writeSafetensors(join(tmp, 'optimizer.safetensors'), extras.optimizer);
  if (extras.split !== undefined) writeFileAtomic(join(tmp, 'split.json'), JSON.stringify(extras.split) + '\n');
  if (extras.metrics !== undefined) writeFileAtomic(join(tmp, 'metrics.json'), JSON.stringify(extras.metrics, null, 1) + '\n');
  writeFileAtomic(join(tmp, 'cfg.json'), JSON.stringify(model.meta, null, 2) + '\n');
  // Keep split/metrics of the previous checkpoint only if this one brings none: never.
  const old = join(dirname(out), `.${basename(out)}.old-${process.pid}`);
  if (existsSync(out)) renameSync(out, old);
  renameSync(tmp, out);
  fsyncDir(dirname(out));
  rmSync(old, { recursive: true, force: true });
}

/**
 * Completes a checkpoint swap that a crash (kill -9, power loss) interrupted. saveCheckpoint
 * renames the old folder to `.<name>.old-<pid>` and then the new one from
 * `.<name>.tmp-<pid>` into place; a kill between the two renames leaves no folder. If the
 * folder is missing and the writer is gone, the newest complete leftover (a temporary one
 * holds cfg.json only once all its files are written) is renamed back. Returns what was done.
 */
export function recoverCheckpoint(dir: string): 'none' | 'restored-new' | 'restored-old' {
  const out = resolve(dir);
  const parent = dirname(out);
  if (existsSync(out) || !existsSync(parent)) return 'none';
  const leftovers = readdirSync(parent)
    .map((n) => /^\.(.+)\.(tmp|old)-(\d+)$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === basename(out) && !pidAlive(Number(m[3])))
    .map((m) => ({ path: join(parent, m[0]), kind: m[2] as 'tmp' | 'old' }))
    .filter((l) => existsSync(join(l.path, 'cfg.json')));
  const pick = leftovers.find((l) => l.kind === 'tmp') ?? leftovers.find((l) => l.kind === 'old');
  if (!pick) return 'none';
  renameSync(pick.path, out);
  fsyncDir(parent);
  return pick.kind === 'tmp' ? 'restored-new' : 'restored-old';
}

/**
 * Removes the `.<name>.tmp-<pid>` and `.<name>.old-<pid>` folders that saves of this
 * checkpoint left behind when their process was killed (they pile up, one per kill). Run
 * after recoverCheckpoint had its chance to restore from them; folders of live processes
 * stay. Returns the names removed.
 */
export function removeStaleCheckpointTemps(dir: string): string[] {
  const out = resolve(dir);
  const parent = dirname(out);
  if (!existsSync(parent)) return [];
  const stale = readdirSync(parent)
    .map((n) => /^\.(.+)\.(tmp|old)-(\d+)$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === basename(out) && !pidAlive(Number(m[3])))
    .map((m) => m[0]);
  for (const n of stale) rmSync(join(parent, n), { recursive: true, force: true });
  return stale;
}

function pidAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readJson<T>(file: string, what: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new CheckpointError(`checkpoint has no ${what}`, { file });
    throw new CheckpointError(`${what} is not valid JSON: ${(err as Error).message}`, { file });
  }
}

/** Loads and validates a checkpoint folder; errors say which file and tensor is wrong. */
export function loadCheckpoint(dir: string): SaeModel {
  const root = resolve(dir);
  if (!existsSync(root)) throw new CheckpointError(`no checkpoint folder here`, { file: root });
  const cfgFile = join(root, 'cfg.json');
  const meta = readJson<CheckpointCfg>(cfgFile, 'cfg.json');
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) throw new CheckpointError(`cfg.json must be a JSON object`, { file: cfgFile });
  if (meta.format !== CHECKPOINT_FORMAT) throw new CheckpointError(`cfg.json 'format' must be "${CHECKPOINT_FORMAT}", got ${JSON.stringify(meta.format)}`, { file: cfgFile });
  if (meta.version !== CHECKPOINT_VERSION) throw new CheckpointError(`cfg.json 'version' ${meta.version} is not supported (this build reads ${CHECKPOINT_VERSION})`, { file: cfgFile });
  let cfg: ResolvedSaeConfig;
  try {
    cfg = resolveSaeConfig(meta.config as unknown as SaeConfig);
  } catch (err) {
    if (err instanceof ConfigError) throw new CheckpointError(`cfg.json 'config' is invalid: ${err.message}`, { file: cfgFile });
    throw err;
  }
  const stFile = join(root, 'model.safetensors');
  if (!existsSync(stFile)) throw new CheckpointError(`checkpoint has no model.safetensors`, { file: stFile });
  const { tensors } = readSafetensors(stFile);
  const shapes = paramShapes(cfg);
  const params: ParamSet = {};
  for (const [name, shape] of Object.entries(shapes)) {
    const t = tensors[name];
    if (!t) throw new CheckpointError(`tensor '${name}' is missing (expected shape [${shape}])`, { file: stFile });
    if (!(t.data instanceof Float32Array)) throw new CheckpointError(`tensor '${name}' must be F32`, { file: stFile });
    if (t.shape.length !== shape.length || t.shape.some((s, i) => s !== shape[i])) {
      throw new CheckpointError(`tensor '${name}' has shape [${t.shape}] but cfg.json implies [${shape}]`, { file: stFile });
    }
    params[name] = t;
  }
  const norms = cfg.agents.map((a) => {
    const name = `norm.${a.id}.mean`;
    const t = tensors[name];
    if (!t || t.data.length !== a.dim) throw new CheckpointError(`tensor '${name}' is missing or not of length ${a.dim}`, { file: stFile });
    const scale = meta.normalisation?.[a.id]?.scale;
    if (typeof scale !== 'number' || !(scale > 0)) throw new CheckpointError(`cfg.json 'normalisation.${a.id}.scale' must be a positive number`, { file: cfgFile });
    const dense = tensors[`norm.${a.id}.dense`];
    if (dense && (!(dense.data instanceof Float32Array) || dense.shape.length !== 2 || dense.shape[1] !== a.dim)) {
      throw new CheckpointError(`tensor 'norm.${a.id}.dense' must be F32 of shape [r, ${a.dim}], got [${dense.shape}]`, { file: stFile });
    }
    return { mean: t.data as Float32Array, scale, ...(dense && dense.data.length ? { dense: dense.data as Float32Array } : {}) };
  });
  return { cfg, params, norms, threshold: meta.training?.threshold ?? NaN, meta, dir: root };
}

/** Adam moments and trainer state of a checkpoint (for resuming), or null. */
export function loadOptimizerState(dir: string): ParamSet | null {
  const file = join(resolve(dir), 'optimizer.safetensors');
  if (!existsSync(file)) return null;
  return readSafetensors(file).tensors as ParamSet;
}

export function readCheckpointJson<T>(dir: string, name: 'split.json' | 'metrics.json'): T | null {
  const file = join(resolve(dir), name);
  if (!existsSync(file)) return null;
  return readJson<T>(file, name);
}

export function makeCheckpointCfg(
  model: Omit<SaeModel, 'meta'>,
  backend: string,
  engine: string,
  training: TrainingState,
): CheckpointCfg {
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    createdAt: new Date().toISOString(),
    config: model.cfg,
    backend,
    engine,
    shapes: paramShapes(model.cfg),
    normalisation: Object.fromEntries(
      model.cfg.agents.map((a, i) => [a.id, { scale: model.norms[i]!.scale, meanTensor: `norm.${a.id}.mean`, rule: 'x̃ = (x − mean) / scale, E‖x̃‖ = √d', ...(model.norms[i]!.dense?.length ? { denseTensor: `norm.${a.id}.dense`, denseRank: model.norms[i]!.dense!.length / a.dim, denseRule: 'x is first replaced by x − Qᵀ Q (x − mean), Q = the dense rows (a subspace set aside)' } : {}) }]),
    ),
    training,
  };
}
