// Reads a run's latent codes written by encodeRun: the metadata and the sparse rows.
import { readFileSync } from 'node:fs';
import { tableFromIPC } from 'apache-arrow';
import { FormatError, NotFoundError, scanStream, ThoughtlensError } from '../../data/index.js';
import { codesPaths, type CodesMeta } from './encodeRun.js';

export interface RunCodes {
  meta: CodesMeta;
  rows: number;
  episode: Int32Array;
  step: Int32Array;
  /** CSR layout: the active latents of row r are indices[offsets[r] .. offsets[r+1]). */
  offsets: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/** Loads <runDir>/codes/<name>.arrows and .json (whole file; codes are small: k values per step). */
export function readCodes(runDir: string, name: string): RunCodes {
  try {
    return readCodesUnchecked(runDir, name);
  } catch (err) {
    if (err instanceof ThoughtlensError) throw err;
    throw new FormatError(`codes '${name}' are corrupt: ${(err as Error).message}`, { file: codesPaths(runDir, name).arrows });
  }
}

function readCodesUnchecked(runDir: string, name: string): RunCodes {
  const p = codesPaths(runDir, name);
  let meta: CodesMeta;
  let bytes: Buffer;
  try {
    meta = JSON.parse(readFileSync(p.json, 'utf8')) as CodesMeta;
    bytes = readFileSync(p.arrows);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`no codes '${name}' in this run (encode them first)`, { file: p.arrows });
    throw new FormatError(`codes '${name}' are unreadable: ${(err as Error).message}`, { file: p.json });
  }
  scanStream(p.arrows, name); // metadata bounds first: a corrupt length must not reach the decoder
  let t: ReturnType<typeof tableFromIPC>;
  try {
    t = tableFromIPC(bytes);
  } catch (err) {
    throw new FormatError(`codes '${name}' are not a readable Arrow stream: ${(err as Error).message}`, { file: p.arrows });
  }
  const rows = t.numRows;
  const episode = new Int32Array(rows);
  const step = new Int32Array(rows);
  const offsets = new Int32Array(rows + 1);
  let nnz = 0;
  for (const b of t.batches) nnz += (b.getChild('indices')!.data[0]!.children[0]!.length as number);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let r0 = 0;
  let at = 0;
  for (const b of t.batches) {
    const n = b.numRows;
    episode.set((b.getChild('episode')!.data[0]!.values as Int32Array).subarray(0, n), r0);
    step.set((b.getChild('step')!.data[0]!.values as Int32Array).subarray(0, n), r0);
    const id = b.getChild('indices')!.data[0]!;
    const vd = b.getChild('values')!.data[0]!;
    const off = id.valueOffsets as Int32Array;
    const base = off[id.offset]!;
    const end = off[id.offset + n]!;
    indices.set((id.children[0]!.values as Int32Array).subarray(base, end), at);
    values.set((vd.children[0]!.values as Float32Array).subarray((vd.valueOffsets as Int32Array)[vd.offset]!, (vd.valueOffsets as Int32Array)[vd.offset + n]!), at);
    for (let r = 0; r < n; r++) offsets[r0 + r + 1] = at + off[id.offset + r + 1]! - base;
    at += end - base;
    r0 += n;
  }
  return { meta, rows, episode, step, offsets, indices, values };
}
