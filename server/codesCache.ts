// Latent codes of a run (<run>/codes/<name>.arrows + .json, written by `thoughtlens
// encode`): sparse active latents per step, held in memory as CSR arrays and re-read when
// the file grows (codes written live). A torn last batch is ignored, as the run store does.
import { readFileSync, statSync } from 'node:fs';
import { RecordBatchReader, type Data, type RecordBatch } from 'apache-arrow';
import { FormatError, scanStream, ThoughtlensError } from '../data/index.js';

export interface CodesMeta {
  checkpoint?: string;
  numLatents?: number;
  classes?: string[];
  agents?: string[];
}

export class CodesData {
  rows = 0;
  numLatents = 0;
  classes: string[] = [];
  checkpoint: string | undefined;
  /** The checkpoint path as the codes metadata states it (encode writes the folder's absolute path). */
  checkpointPath: string | undefined;
  agents: string[] = [];
  episode = new Int32Array(0);
  step = new Int32Array(0);
  rowPtr = new Int32Array(1);
  indices = new Int32Array(0);
  values = new Float32Array(0);
  latentMax = new Float32Array(0);
  activeCount = new Int32Array(0);
}

/** Loads latent codes; values that contradict each other (offsets, lengths) are TL_FORMAT. */
export function readCodes(arrowsFile: string, jsonFile: string | null): CodesData {
  try {
    return readCodesUnchecked(arrowsFile, jsonFile);
  } catch (err) {
    if (err instanceof ThoughtlensError) throw err;
    throw new FormatError(`latent codes are corrupt: ${(err as Error).message}`, { file: arrowsFile });
  }
}

function readCodesUnchecked(arrowsFile: string, jsonFile: string | null): CodesData {
  let meta: CodesMeta = {};
  if (jsonFile) {
    try {
      meta = JSON.parse(readFileSync(jsonFile, 'utf8')) as CodesMeta;
    } catch (err) {
      throw new FormatError(`codes metadata is not valid JSON: ${(err as Error).message}`, { file: jsonFile });
    }
    if (typeof meta !== 'object' || meta === null) throw new FormatError(`codes metadata must be a JSON object`, { file: jsonFile });
  }
  const batches: RecordBatch[] = [];
  const bytes = readFileSync(arrowsFile);
  if (bytes.byteLength >= 4 && bytes.readUInt32LE(0) !== 0xffffffff) {
    throw new FormatError(`latent codes are not an Arrow IPC stream (write them with the stream format, not the file format)`, { file: arrowsFile });
  }
  scanStream(arrowsFile, 'codes'); // metadata bounds first: a corrupt length must not reach the decoder
  try {
    for (const b of RecordBatchReader.from(bytes)) batches.push(b);
  } catch {
    // A torn tail while codes are still being written: keep the complete batches.
  }
  const rows = batches.reduce((s, b) => s + b.numRows, 0);
  let nnz = 0;
  for (const b of batches) nnz += listLength(b, 'indices', arrowsFile);
  const c = new CodesData();
  c.rows = rows;
  c.episode = new Int32Array(rows);
  c.step = new Int32Array(rows);
  c.rowPtr = new Int32Array(rows + 1);
  c.indices = new Int32Array(nnz);
  c.values = new Float32Array(nnz);
  let r = 0;
  let at = 0;
  for (const b of batches) {
    const n = b.numRows;
    const ep = b.getChild('episode');
    const st = b.getChild('step');
    const epv = ep ? intValues(ep.data[0]!) : null;
    const stv = st ? intValues(st.data[0]!) : null;
    const ind = column(b, 'indices', arrowsFile);
    const val = column(b, 'values', arrowsFile);
    const io = ind.valueOffsets;
    const vo = val.valueOffsets;
    const iv = childValues(ind) as Int32Array;
    const vv = childValues(val) as Float32Array;
    const ib = ind.children[0]!.offset;
    const vb = val.children[0]!.offset;
    for (let i = 0; i < n; i++) {
      c.episode[r] = epv ? epv[i]! : 0;
      c.step[r] = stv ? stv[i]! : r;
      const i0 = ib + io[ind.offset + i]!;
      const len = io[ind.offset + i + 1]! - io[ind.offset + i]!;
      const v0 = vb + vo[val.offset + i]!;
      if (vo[val.offset + i + 1]! - vo[val.offset + i]! !== len) throw new FormatError(`indices and values differ in length`, { file: arrowsFile, row: r });
      c.indices.set(iv.subarray(i0, i0 + len), at);
      c.values.set(vv.subarray(v0, v0 + len), at);
      at += len;
      r++;
      c.rowPtr[r] = at;
    }
  }
  let maxIndex = -1;
  for (let k = 0; k < nnz; k++) if (c.indices[k]! > maxIndex) maxIndex = c.indices[k]!;
  const declared = Number.isInteger(meta.numLatents) ? meta.numLatents! : 0;
  c.numLatents = Math.max(declared, Array.isArray(meta.classes) ? meta.classes.length : 0, maxIndex + 1);
  if (c.numLatents > 1 << 20) throw new FormatError(`latent index ${c.numLatents} is implausibly large`, { file: arrowsFile });
  c.classes = Array.from({ length: c.numLatents }, (_, j) => String(meta.classes?.[j] ?? 'unknown'));
  c.checkpoint = typeof meta.checkpoint === 'string' ? meta.checkpoint.split(/[\\/]/).filter(Boolean).pop() : undefined;
  c.checkpointPath = typeof meta.checkpoint === 'string' ? meta.checkpoint : undefined;
  c.agents = Array.isArray(meta.agents) ? meta.agents.map(String) : [];
  c.latentMax = new Float32Array(c.numLatents);
  c.activeCount = new Int32Array(c.numLatents);
  for (let k = 0; k < nnz; k++) {
    const j = c.indices[k]!;
    if (j < 0) throw new FormatError(`negative latent index ${j}`, { file: arrowsFile });
    const v = c.values[k]!;
    if (v !== 0) c.activeCount[j]!++;
    if (v > c.latentMax[j]!) c.latentMax[j] = v;
  }
  return c;
}

function column(b: RecordBatch, name: string, file: string): Data {
  const v = b.getChild(name);
  if (!v) throw new FormatError(`latent codes lack the '${name}' column`, { file, column: name });
  const d = v.data[0]!;
  if (!d.valueOffsets || !d.children[0]) throw new FormatError(`'${name}' must be a List column`, { file, column: name });
  return d;
}

function listLength(b: RecordBatch, name: string, file: string): number {
  const d = column(b, name, file);
  return d.valueOffsets[d.offset + d.length]! - d.valueOffsets[d.offset]!;
}

/** Integer key column values as numbers (Int32 zero-copy; other widths converted). */
function intValues(d: Data): ArrayLike<number> {
  const v = d.values as Int32Array | BigInt64Array;
  if (v instanceof Int32Array) return v.subarray(d.offset, d.offset + d.length);
  return Array.from({ length: d.length }, (_, i) => Number(v[d.offset + i]!));
}

function childValues(d: Data): ArrayLike<number> {
  return d.children[0]!.values as ArrayLike<number>;
}

/** Codes per file, re-read when the file's size or time changes. */
export class CodesCache {
  private readonly entries = new Map<string, { size: number; mtime: number; data: CodesData }>();

  get(arrows: string, json: string | null): CodesData {
    const st = statSync(arrows);
    const jsonTime = json ? statSync(json).mtimeMs : 0;
    const e = this.entries.get(arrows);
    if (e && e.size === st.size && e.mtime === st.mtimeMs + jsonTime) return e.data;
    const data = readCodes(arrows, json);
    this.entries.set(arrows, { size: st.size, mtime: st.mtimeMs + jsonTime, data });
    return data;
  }
}

/** Max activation per (latent, bin) for rows [from, to) in `bins` equal bins: latent-major. */
export function binCodes(c: CodesData, from: number, to: number, bins: number): Float32Array {
  const out = new Float32Array(c.numLatents * bins);
  const span = Math.max(1, to - from);
  for (let r = from; r < to; r++) {
    const b = Math.min(bins - 1, Math.floor(((r - from) * bins) / span));
    for (let k = c.rowPtr[r]!; k < c.rowPtr[r + 1]!; k++) {
      const at = c.indices[k]! * bins + b;
      const v = c.values[k]!;
      if (v > out[at]!) out[at] = v;
    }
  }
  return out;
}
