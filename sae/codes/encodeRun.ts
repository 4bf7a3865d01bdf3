// Latent time series of a run: <runDir>/codes/<name>.arrows, an Arrow IPC stream with
// columns episode: Int32, step: Int32, indices: List<Int32>, values: List<Float32> (the
// active latents of each joined step), plus <name>.json {checkpoint, numLatents, classes,
// agents}. Written batch by batch (out of core); the stream is written under a temporary
// name and renamed when complete. The web view and conflict detection read this layout.
import { mkdirSync, openSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Field, Float32, Int32, List, RecordBatch, Schema, Struct, makeData } from 'apache-arrow';
import { openRun, writeFileAtomic } from '../../data/index.js';
import { IpcFdWriter } from '../../data/ipcSink.js';
import type { SaeModel } from '../checkpoint/checkpoint.js';
import { encodeJoint, type EncodeOptions } from '../model/inference.js';
import type { LatentClass } from '../split/split.js';
import { decoderNorms } from '../split/signedPairs.js';

export const CODES_DIR = 'codes';

export interface CodesMeta {
  format: 'thoughtlens-codes';
  version: 1;
  checkpoint: string;
  numLatents: number;
  /** Per latent class from the checkpoint's split.json (empty if it has none). */
  classes: LatentClass[];
  agents: string[];
  /**
   * Per latent: the other half of its signed pair (split.json `signed`; docs/SPLIT.md), else −1;
   * absent when the split has none. A pair (j, k) reads one signed variable, whose value is
   * values_j·signedScale_j − values_k·signedScale_k (signedScale: the decoder row norms).
   */
  signed?: number[];
  signedScale?: number[];
  rows: number;
  activeMean: number;
  select: string;
  createdAt: string;
}

export const CODES_SCHEMA = new Schema([
  new Field('episode', new Int32(), false),
  new Field('step', new Int32(), false),
  new Field('indices', new List(new Field('item', new Int32(), false)), false),
  new Field('values', new List(new Field('item', new Float32(), false)), false),
]);

export interface EncodeRunOptions extends EncodeOptions {
  /** Name of the codes (default: the checkpoint folder's name). */
  name?: string;
  classes?: LatentClass[];
  /** Per latent signed partner (split.json `signed`), recorded in the metadata with the decoder norms. */
  signed?: number[];
  /** Rows encoded per tensor call (default 1024). */
  chunkRows?: number;
  onProgress?: (rows: number, total: number) => void;
}

export function codesPaths(runDir: string, name: string): { arrows: string; json: string } {
  const dir = join(resolve(runDir), CODES_DIR);
  return { arrows: join(dir, `${name}.arrows`), json: join(dir, `${name}.json`) };
}

function listData(offsets: Int32Array, child: Int32Array | Float32Array, type: Int32 | Float32, n: number) {
  const childData = makeData({ type, length: child.length, data: child } as never);
  return makeData({ type: new List(new Field('item', type, false)), length: n, nullCount: 0, valueOffsets: offsets, child: childData } as never);
}

/** Encodes every joined step of a run with a checkpoint; returns the metadata written. */
export function encodeRun(model: SaeModel, runDir: string, o: EncodeRunOptions = {}): CodesMeta {
  const run = openRun(runDir);
  const cfg = model.cfg;
  const ids = cfg.agents.map((a) => a.id);
  const m = cfg.latents;
  const name = o.name ?? (model.dir ? model.dir.split('/').pop()! : 'codes');
  const paths = codesPaths(run.dir, name);
  mkdirSync(join(run.dir, CODES_DIR), { recursive: true });
  const tmp = `${paths.arrows}.tmp-${process.pid}`;
  const writer = new IpcFdWriter(openSync(tmp, 'w'), CODES_SCHEMA);
  const chunk = o.chunkRows ?? 1024;
  const total = Math.min(...ids.map((id) => run.manifest.counts[id]?.rows ?? 0));
  const bufs = cfg.agents.map((a) => new Float32Array(chunk * a.dim));
  const ep = new Int32Array(chunk);
  const st = new Int32Array(chunk);
  let pending = 0;
  let rows = 0;
  let active = 0;
  const flush = () => {
    if (!pending) return;
    const z = encodeJoint(model, bufs.map((b, a) => b.subarray(0, pending * cfg.agents[a]!.dim)), pending, o);
    const offsets = new Int32Array(pending + 1);
    let nnz = 0;
    for (let i = 0; i < pending * m; i++) if (z[i] !== 0) nnz++;
    const idx = new Int32Array(nnz);
    const val = new Float32Array(nnz);
    let at = 0;
    for (let r = 0; r < pending; r++) {
      for (let j = 0; j < m; j++) {
        const v = z[r * m + j]!;
        if (v !== 0) {
          idx[at] = j;
          val[at++] = v;
        }
      }
      offsets[r + 1] = at;
    }
    const data = makeData({
      type: new Struct(CODES_SCHEMA.fields),
      length: pending,
      nullCount: 0,
      children: [
        makeData({ type: new Int32(), length: pending, data: ep.slice(0, pending) }),
        makeData({ type: new Int32(), length: pending, data: st.slice(0, pending) }),
        listData(offsets, idx, new Int32(), pending),
        listData(offsets.slice(), val, new Float32(), pending),
      ],
    } as never);
    writer.writeBatch(new RecordBatch(CODES_SCHEMA, data as never));
    rows += pending;
    active += nnz;
    pending = 0;
    o.onProgress?.(rows, total);
  };
  try {
    for (const b of run.joined({ agents: ids, reuseBuffer: true })) {
      for (let r = 0; r < b.length; r++) {
        cfg.agents.forEach((a, i) => bufs[i]!.set(b.hidden[i]!.subarray(r * a.dim, (r + 1) * a.dim), pending * a.dim));
        ep[pending] = b.episode[r]!;
        st[pending] = b.step[r]!;
        if (++pending === chunk) flush();
      }
    }
    flush();
    writer.close(true, true);
  } catch (err) {
    writer.close(false, false);
    throw err;
  }
  renameSync(tmp, paths.arrows);
  const meta: CodesMeta = {
    format: 'thoughtlens-codes',
    version: 1,
    checkpoint: model.dir ?? '',
    numLatents: m,
    classes: o.classes ?? [],
    agents: ids,
    ...(o.signed?.some((k) => k >= 0) ? { signed: o.signed, signedScale: Array.from(decoderNorms(model), (x) => Math.round(x * 1e6) / 1e6) } : {}),
    rows,
    activeMean: rows ? active / rows : 0,
    select: o.select ?? 'default',
    createdAt: new Date().toISOString(),
  };
  writeFileAtomic(paths.json, JSON.stringify(meta) + '\n');
  return meta;
}
