// A dictionary checkpoint for the structure and compare views, read by the one reader the
// CLI uses (sae/checkpoint/checkpointInfo.ts): no guessing of layouts; a folder of another
// schema is a TL_FORMAT error (422) naming what is wrong.
import { FormatError } from '../data/index.js';
import { CheckpointError, readCheckpointInfo, type CheckpointInfo, type DecoderRows } from '../sae/index.js';
import type { CheckpointDetail, CheckpointSummary } from './protocol.js';

export interface CheckpointData extends CheckpointDetail {
  /** agent → numLatents × d decoder rows (latent-major), for similarity matching. */
  decoders: Record<string, DecoderRows>;
  numLatents: number;
}

/** Reads the checkpoint folder `dir`, shown as `name`. */
export function readCheckpoint(name: string, dir: string): CheckpointData {
  let info: CheckpointInfo;
  try {
    info = readCheckpointInfo(dir);
  } catch (err) {
    if (err instanceof CheckpointError) throw new FormatError(`checkpoint '${name}': ${err.message}`);
    throw err;
  }
  return {
    ...summaryOf(name, info),
    cfg: info.cfg,
    metrics: info.metrics,
    split: info.split,
    classes: info.classes,
    decoderNorms: info.decoderNorms,
    relativeNorm: info.relativeNorm,
    dims: Object.fromEntries(info.agents.map((a) => [a.id, a.dim])),
    mode: info.mode,
    decoderKind: info.decoderKind,
    hasSplit: info.hasSplit,
    evidence: info.evidence,
    decoders: info.decoders,
    numLatents: info.numLatents,
  };
}

export function countClasses(classes: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of classes) out[c] = (out[c] ?? 0) + 1;
  return out;
}

function summaryOf(name: string, info: CheckpointInfo): CheckpointSummary {
  return {
    name,
    numLatents: info.numLatents,
    agents: info.agents.map((a) => a.id),
    counts: info.counts,
    createdAt: info.createdAt,
  };
}
