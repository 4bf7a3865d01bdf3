// Reads a user's per-step true latents (`truth attach --latents`): an Arrow IPC stream or
// file read by truthThoughts.ts (integer `episode` and `step`, the K thought values per row as a
// list column or K numeric columns, per-agent copies `thoughts_<agent>`). Checks every key is a
// step of the run, once; returns the canonical truth/latents.arrows table.
import { readFileSync } from 'node:fs';
import { Field, FixedSizeList, Float32, Int32, RecordBatch, Schema, Struct, Table, makeData, tableFromIPC, type Data } from 'apache-arrow';
import './ipcCompression.js'; // registers the LZ4 / Zstandard decoders with apache-arrow's readers
import { truthInputError, truthInputMissing } from './truthInputError.js';
import { readTruthThoughts, stepKey } from './truthThoughts.js';

export interface RunSteps {
  /** episode·2^32 + step of every joined step of the run. */
  keys: Set<number>;
  episodes: number[];
}

export interface CheckedLatents {
  table: Table;
  rows: number;
  /** Where the values came from, in words (for the report). */
  source: string;
}

export function checkLatents(file: string, thoughtCount: number, agentIds: string[], run: RunSteps): CheckedLatents {
  const fail = (m: string) => truthInputError(file, m);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw truthInputMissing(file, 'latents');
  }
  if (bytes.subarray(0, 4).toString('latin1') === 'PAR1') throw fail('is Parquet; write an Arrow IPC stream or file instead (pyarrow: pa.ipc.new_stream / new_file)');
  let table: Table;
  try {
    table = tableFromIPC(bytes);
    for (const f of table.schema.fields) table.getChild(f.name);
  } catch (err) {
    throw fail(`is not a readable Arrow IPC stream or file: ${(err as Error).message}`);
  }
  const K = thoughtCount;
  if (table.numRows === 0) throw fail('has no rows');
  const t = readTruthThoughts(table, K, agentIds, fail);
  const { rows, episode, step, values, source } = t;
  const copies = t.copies.map((c) => ({ name: `thoughts_${c.agent}`, values: c.values }));
  const seen = new Map<number, number>();
  for (let r = 0; r < rows; r++) {
    const en = episode[r]!;
    const sn = step[r]!;
    const k = stepKey(en, sn);
    const prev = seen.get(k);
    if (prev !== undefined) throw fail(`rows ${prev} and ${r} both hold (episode ${en}, step ${sn}); each step at most once`);
    seen.set(k, r);
    if (!run.keys.has(k)) {
      const eps = run.episodes;
      const span = eps.length ? `episodes ${eps[0]}..${eps[eps.length - 1]}` : 'no steps';
      throw fail(`row ${r}: (episode ${en}, step ${sn}) is not a step of the run (run has ${span}, ${run.keys.size} steps)`);
    }
  }
  return { table: canonicalTable(K, episode, step, values, copies), rows, source };
}

function canonicalTable(K: number, episode: Int32Array, step: Int32Array, values: Float32Array, copies: { name: string; values: Float32Array }[]): Table {
  const listType = () => new FixedSizeList(K, new Field('item', new Float32(), false));
  const n = episode.length;
  const schema = new Schema(
    [new Field('episode', new Int32(), false), new Field('step', new Int32(), false), new Field('thoughts', listType(), false), ...copies.map((c) => new Field(c.name, listType(), false))],
    new Map([
      ['thoughtlens.truth', 'latents'],
      ['thoughtlens.thoughts', String(K)],
    ]),
  );
  const list = (v: Float32Array): Data => makeData({ type: listType(), length: n, nullCount: 0, child: makeData({ type: new Float32(), length: n * K, nullCount: 0, data: v }) });
  const children: Data[] = [
    makeData({ type: new Int32(), length: n, nullCount: 0, data: episode }),
    makeData({ type: new Int32(), length: n, nullCount: 0, data: step }),
    list(values),
    ...copies.map((c) => list(c.values)),
  ];
  const data = makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children });
  return new Table([new RecordBatch(schema, data)]);
}
