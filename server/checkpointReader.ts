// Reads a dictionary checkpoint folder (<workspace>/checkpoints/<name>/: cfg.json,
// split.json, metrics.json, model.safetensors) into what the structure and compare views
// need: per-latent classes and per-agent decoder column norms and directions.
import { readFileSync, statSync } from 'node:fs';
import { FormatError, readSafetensors, type NamedTensor } from '../data/index.js';
import type { CheckpointDetail, CheckpointSummary } from './protocol.js';

type Json = Record<string, unknown>;

export interface CheckpointData extends CheckpointDetail {
  /** agent → numLatents × d decoder rows (latent-major), for similarity matching. */
  decoders: Record<string, { d: number; rows: Float32Array }>;
}

export function readJsonFile(file: string | null): unknown {
  if (!file) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new FormatError(`not valid JSON: ${(err as Error).message}`, { file });
  }
}

/** Latent classes from split.json, whichever of the usual layouts it uses. */
export function classesFromSplit(split: unknown, numLatents: number): string[] {
  const out = new Array<string>(numLatents).fill('unknown');
  if (!split || typeof split !== 'object') return out;
  const s = split as Json;
  if (Array.isArray(s.classes)) {
    s.classes.forEach((c, j) => {
      if (j < numLatents) out[j] = String(c);
    });
    return out;
  }
  if (Array.isArray(s.latents)) {
    s.latents.forEach((l, j) => {
      if (j < numLatents && l && typeof l === 'object') out[j] = String((l as Json).class ?? 'unknown');
    });
    return out;
  }
  const groups = (s.groups ?? s.byClass ?? s) as Json;
  for (const [cls, idx] of Object.entries(groups)) {
    if (!Array.isArray(idx)) continue;
    for (const j of idx) if (Number.isInteger(j) && j >= 0 && j < numLatents) out[j as number] = cls;
  }
  return out;
}

const DECODER = /^(?:dec|decoder|W_dec|D)[._]([A-Za-z0-9_-]+?)(?:[._](?:W|weight))?$/;

/** Per agent, the decoder as latent-major rows [numLatents × d]. */
export function decodersOf(tensors: Record<string, NamedTensor>, numLatents: number | undefined): Record<string, { d: number; rows: Float32Array }> {
  const out: Record<string, { d: number; rows: Float32Array }> = {};
  for (const [name, t] of Object.entries(tensors)) {
    const m = DECODER.exec(name);
    if (!m || t.shape.length !== 2 || !(t.data instanceof Float32Array)) continue;
    const [r, c] = t.shape as [number, number];
    // [numLatents, d] (SAELens W_dec layout) unless the column count is the latent count.
    const latentMajor = numLatents === undefined ? r >= c : r === numLatents;
    if (latentMajor) out[m[1]!] = { d: c, rows: t.data };
    else {
      const rows = new Float32Array(r * c);
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) rows[j * r + i] = t.data[i * c + j]!;
      out[m[1]!] = { d: r, rows };
    }
  }
  return out;
}

/** More latents than any dictionary here has; a larger count in cfg.json is corrupt. */
const MAX_LATENTS = 1 << 24;

export function readCheckpoint(name: string, files: { cfg: string | null; split: string | null; metrics: string | null; model: string | null }): CheckpointData {
  const cfg = (readJsonFile(files.cfg) ?? {}) as Json;
  const split = readJsonFile(files.split);
  const metrics = readJsonFile(files.metrics);
  const declared = [cfg.numLatents, cfg.latents, cfg.d_sae, cfg.dSae, (cfg.model as Json | undefined)?.numLatents].find(
    (v) => Number.isInteger(v),
  ) as number | undefined;
  if (declared !== undefined && (declared < 0 || declared > MAX_LATENTS)) {
    throw new FormatError(`cfg.json declares ${declared} latents; expected 0..${MAX_LATENTS}`, { file: files.cfg ?? undefined });
  }
  const decoders = files.model ? decodersOf(readSafetensors(files.model).tensors, declared) : {};
  const first = Object.values(decoders)[0];
  const numLatents = declared ?? (first ? first.rows.length / first.d : split && Array.isArray((split as Json).classes) ? ((split as Json).classes as unknown[]).length : 0);
  const decoderNorms: Record<string, number[]> = {};
  for (const [agent, dec] of Object.entries(decoders)) {
    const norms: number[] = [];
    for (let j = 0; j < numLatents; j++) {
      let s = 0;
      for (let k = 0; k < dec.d; k++) s += dec.rows[j * dec.d + k]! ** 2;
      norms.push(Math.sqrt(s));
    }
    decoderNorms[agent] = norms;
  }
  const agentIds = Object.keys(decoderNorms).length ? Object.keys(decoderNorms) : Array.isArray(cfg.agents) ? cfg.agents.map((a) => String(typeof a === 'object' && a ? (a as Json).id : a)) : [];
  const [a0, a1] = agentIds;
  const relativeNorm: number[] = [];
  for (let j = 0; j < numLatents; j++) {
    const x = a0 ? (decoderNorms[a0]?.[j] ?? 0) : 0;
    const y = a1 ? (decoderNorms[a1]?.[j] ?? 0) : 0;
    relativeNorm.push(x + y > 0 ? x / (x + y) : NaN);
  }
  const classes = classesFromSplit(split, numLatents);
  return {
    ...summaryOf(name, classes, agentIds, numLatents, files.cfg),
    cfg,
    metrics,
    split,
    classes,
    decoderNorms,
    relativeNorm,
    decoders,
  };
}

export function countClasses(classes: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of classes) out[c] = (out[c] ?? 0) + 1;
  return out;
}

function summaryOf(name: string, classes: string[], agents: string[], numLatents: number, cfgFile: string | null): CheckpointSummary {
  return {
    name,
    numLatents,
    agents,
    counts: countClasses(classes),
    createdAt: cfgFile ? statSync(cfgFile).mtime.toISOString() : undefined,
  };
}
