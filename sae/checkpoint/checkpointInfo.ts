// The one reader of a checkpoint folder for everything that shows a dictionary (the CLI's
// `checkpoint` command, the workbench's structure and compare views): the schema is the one
// saveCheckpoint writes (cfg.json format/version, config.latents, dec.<A>.W [m, d_A]); a
// folder of any other schema is a CheckpointError that names the file, never a guess.
// Returns plain typed arrays (no tensors), so servers can hold it.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ResolvedSaeConfig } from '../config.js';
import { CheckpointError } from '../errors.js';
import type { ParamSet } from '../model/params.js';
import { loadCheckpoint, readCheckpointJson, type CheckpointCfg } from './checkpoint.js';

export interface DecoderRows {
  /** Hidden size of the agent. */
  d: number;
  /** numLatents × d, latent-major (row j = latent j's decoder direction into the agent). */
  rows: Float32Array;
}

/**
 * Per-latent evidence of split.json, whatever fields the split writes: every numeric
 * agents × latents matrix (relevance, scaling ν and its interval, explained fraction, the
 * threshold it had to clear, …) and every numeric per-latent array (frequency, active rows, …).
 */
export interface SplitEvidence {
  /** field → [agent][latent]. */
  perAgent: Record<string, (number | null)[][]>;
  /** field → [latent]. */
  perLatent: Record<string, (number | null)[]>;
  /** A per-latent `evidence` list, where the split writes one (any shape). */
  evidence?: unknown[];
}

export interface CheckpointInfo {
  dir: string;
  createdAt: string | undefined;
  mode: ResolvedSaeConfig['mode'];
  numLatents: number;
  agents: { id: string; dim: number }[];
  /** Per latent class from split.json; 'unsplit' for every latent when it has none. */
  classes: string[];
  /** Latents per class: split.json's own `counts` when it has them. */
  counts: Record<string, number>;
  /** True when split.json exists. */
  hasSplit: boolean;
  /** 'linear' for dec.<A>.W; 'linearised' (U·V) for the MLP decoder of mode 'jacobian'. */
  decoderKind: 'linear' | 'linearised';
  decoders: Record<string, DecoderRows>;
  /** Per agent, ‖D_a[j]‖ for each latent j. */
  decoderNorms: Record<string, number[]>;
  /** Per latent ‖D_A‖ / (‖D_A‖ + ‖D_B‖) for the first two agents; NaN when both are 0. */
  relativeNorm: number[];
  evidence: SplitEvidence;
  split: Record<string, unknown> | null;
  metrics: Record<string, unknown> | null;
  cfg: CheckpointCfg;
  training: { step: number; pairsSeen: number; finished: boolean };
}

/** Reads and validates a checkpoint folder (cfg.json, model.safetensors, split.json, metrics.json). */
export function readCheckpointInfo(dir: string): CheckpointInfo {
  const root = resolve(dir);
  const model = loadCheckpoint(root);
  const cfg = model.cfg;
  const m = cfg.latents;
  const decoders: Record<string, DecoderRows> = {};
  for (const { id, dim } of cfg.agents) decoders[id] = { d: dim, rows: decoderRowsOf(model.params, cfg, id, dim) };
  const decoderNorms: Record<string, number[]> = {};
  for (const [id, dec] of Object.entries(decoders)) {
    const norms = new Array<number>(m);
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < dec.d; k++) s += dec.rows[j * dec.d + k]! ** 2;
      norms[j] = Math.sqrt(s);
    }
    decoderNorms[id] = norms;
  }
  const [a0, a1] = cfg.agents.map((a) => a.id);
  const relativeNorm = Array.from({ length: m }, (_, j) => {
    const x = a0 ? decoderNorms[a0]![j]! : 0;
    const y = a1 ? decoderNorms[a1]![j]! : 0;
    return x + y > 0 ? x / (x + y) : NaN;
  });
  const split = readCheckpointJson<unknown>(root, 'split.json');
  const splitFile = join(root, 'split.json');
  if (split !== null && (typeof split !== 'object' || Array.isArray(split))) throw new CheckpointError(`split.json must be a JSON object`, { file: splitFile });
  const s = split as Record<string, unknown> | null;
  let classes: string[];
  if (s) {
    if (!Array.isArray(s.classes) || s.classes.some((c) => typeof c !== 'string')) throw new CheckpointError(`split.json 'classes' must be an array of class names`, { file: splitFile });
    if (s.classes.length !== m) throw new CheckpointError(`split.json has ${s.classes.length} classes but cfg.json 'config.latents' is ${m}`, { file: splitFile });
    classes = s.classes as string[];
  } else classes = new Array<string>(m).fill('unsplit');
  const counts = countsOf(s, classes);
  const metrics = readCheckpointJson<unknown>(root, 'metrics.json');
  const evidence: SplitEvidence = { perAgent: {}, perLatent: {} };
  if (s) {
    for (const [k, v] of Object.entries(s)) {
      if (k === 'classes') continue;
      if (isMatrix(v, cfg.agents.length, m)) evidence.perAgent[k] = v as (number | null)[][];
      else if (isNumberList(v, m)) evidence.perLatent[k] = v as (number | null)[];
    }
    if (Array.isArray(s.evidence) && s.evidence.length === m) evidence.evidence = s.evidence;
  }
  const cfgFile = join(root, 'cfg.json');
  return {
    dir: root,
    createdAt: typeof model.meta.createdAt === 'string' ? model.meta.createdAt : existsSync(cfgFile) ? statSync(cfgFile).mtime.toISOString() : undefined,
    mode: cfg.mode,
    numLatents: m,
    agents: cfg.agents.map((a) => ({ id: a.id, dim: a.dim })),
    classes,
    counts,
    hasSplit: s !== null,
    decoderKind: cfg.mode === 'jacobian' ? 'linearised' : 'linear',
    decoders,
    decoderNorms,
    relativeNorm,
    evidence,
    split: s,
    metrics: metrics && typeof metrics === 'object' && !Array.isArray(metrics) ? (metrics as Record<string, unknown>) : null,
    cfg: model.meta,
    training: { step: model.meta.training?.step ?? 0, pairsSeen: model.meta.training?.pairsSeen ?? 0, finished: model.meta.training?.finished ?? false },
  };
}

/** Latents per class: split.json's `counts` (any class name, 'rare' included) checked against its classes. */
function countsOf(split: Record<string, unknown> | null, classes: string[]): Record<string, number> {
  const counted: Record<string, number> = {};
  for (const c of classes) counted[c] = (counted[c] ?? 0) + 1;
  const stored = split?.counts;
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return counted;
  const out: Record<string, number> = {};
  for (const [c, n] of Object.entries(stored as Record<string, unknown>)) if (typeof n === 'number' && Number.isInteger(n) && n >= 0) out[c] = n;
  // A class the classes list has but counts forgot is still shown.
  for (const [c, n] of Object.entries(counted)) if (!(c in out)) out[c] = n;
  return out;
}

function isNumberList(v: unknown, n: number): boolean {
  return Array.isArray(v) && v.length === n && v.every((x) => x === null || typeof x === 'number');
}

function isMatrix(v: unknown, rows: number, cols: number): boolean {
  return Array.isArray(v) && v.length === rows && v.every((r) => isNumberList(r, cols));
}

function decoderRowsOf(params: ParamSet, cfg: ResolvedSaeConfig, id: string, dim: number): Float32Array {
  const m = cfg.latents;
  if (cfg.mode !== 'jacobian') return params[`dec.${id}.W`]!.data as Float32Array; // [m, dim], checked by loadCheckpoint
  // MLP decoder: the linear part U·V (m × h · h × dim), a direction per latent.
  const h = cfg.hidden;
  const U = params[`dec.${id}.U`]!.data as Float32Array;
  const V = params[`dec.${id}.V`]!.data as Float32Array;
  const out = new Float32Array(m * dim);
  for (let j = 0; j < m; j++) {
    for (let t = 0; t < h; t++) {
      const u = U[j * h + t]!;
      if (u === 0) continue;
      for (let k = 0; k < dim; k++) out[j * dim + k]! += u * V[t * dim + k]!;
    }
  }
  return out;
}
