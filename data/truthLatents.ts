// Reads a user's per-step true latents (`truth attach --latents`): an Arrow IPC stream or
// file with integer `episode` and `step` columns and the K thought values per row, either as
// one FixedSizeList column (named `thoughts`, or the only one) or as K numeric columns (in
// schema order, or by the number their names end in when those are exactly 0..K−1). Per-agent
// copies `thoughts_<agent>` (FixedSizeList of K) are kept. Checks every key is a step of the
// run, once, and every value finite; returns the canonical truth/latents.arrows table.
import { readFileSync } from 'node:fs';
import { Field, FixedSizeList, Float32, Int32, RecordBatch, Schema, Struct, Table, Type, makeData, tableFromIPC, type Data, type Vector } from 'apache-arrow';
import { truthInputError, truthInputMissing } from './truthInputError.js';

export interface RunSteps {
  /** episode·2^32 + step of every joined step of the run. */
  keys: Set<number>;
  episodes: number[];
}

export const stepKey = (e: number, s: number): number => e * 0x100000000 + (s >>> 0);

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
  const rows = table.numRows;
  if (rows === 0) throw fail('has no rows');
  const keyCol = (name: string) => {
    const f = table.schema.fields.find((x) => x.name === name);
    if (!f) throw fail(`has no '${name}' column (columns: ${table.schema.fields.map((x) => x.name).join(', ')})`);
    if (f.type.typeId !== Type.Int) throw fail(`column '${name}' must be an integer type, is ${String(f.type)}`);
    return table.getChild(name)!;
  };
  const ep = keyCol('episode');
  const st = keyCol('step');
  const copyNames = new Set(agentIds.map((a) => `thoughts_${a}`));
  const rest = table.schema.fields.filter((f) => f.name !== 'episode' && f.name !== 'step' && !copyNames.has(f.name));
  const lists = rest.filter((f) => f.type.typeId === Type.FixedSizeList);
  const values = new Float32Array(rows * K);
  let source: string;
  const listField = lists.find((f) => f.name === 'thoughts') ?? (lists.length === 1 ? lists[0] : undefined);
  if (lists.length > 1 && !listField) throw fail(`has ${lists.length} list columns (${lists.map((f) => f.name).join(', ')}); name the true thoughts 'thoughts'`);
  if (listField) {
    readList(table.getChild(listField.name)!, listField, K, values, fail);
    source = `column '${listField.name}' (FixedSizeList of ${K})`;
  } else {
    const numeric = rest.filter((f) => f.type.typeId === Type.Float || f.type.typeId === Type.Int);
    if (numeric.length !== K) throw fail(`has ${numeric.length} numeric value columns (${numeric.map((f) => f.name).join(', ') || 'none'}) but structure lists ${K} thoughts; give one column per thought or a FixedSizeList column 'thoughts'`);
    const nums = numeric.map((f) => Number(/(\d+)$/.exec(f.name)?.[1] ?? NaN));
    const byNumber = [...nums].sort((a, b) => a - b).every((n, i) => n === i);
    const order = byNumber ? numeric.map((_, i) => nums.indexOf(i)) : numeric.map((_, i) => i);
    order.forEach((c, j) => {
      const f = numeric[c]!;
      const col = table.getChild(f.name)!;
      for (let r = 0; r < rows; r++) {
        const v = col.get(r) as number | bigint | null;
        if (v === null) throw fail(`column '${f.name}' is null at row ${r}`);
        const x = Number(v);
        if (!Number.isFinite(x)) throw fail(`column '${f.name}' is ${x} at row ${r}; values must be finite`);
        values[r * K + j] = x;
      }
    });
    source = `${K} numeric columns ${byNumber ? 'ordered by the number in their names' : 'in schema order'}`;
  }
  const copies = agentIds
    .map((a) => ({ a, f: table.schema.fields.find((x) => x.name === `thoughts_${a}`) }))
    .filter((x): x is { a: string; f: Field } => x.f !== undefined)
    .map(({ a, f }) => {
      if (f.type.typeId !== Type.FixedSizeList) throw fail(`column '${f.name}' must be a FixedSizeList of ${K}, is ${String(f.type)}`);
      const v = new Float32Array(rows * K);
      readList(table.getChild(f.name)!, f, K, v, fail);
      return { name: `thoughts_${a}`, values: v };
    });

  const episode = new Int32Array(rows);
  const step = new Int32Array(rows);
  const seen = new Map<number, number>();
  for (let r = 0; r < rows; r++) {
    const e = ep.get(r) as number | bigint | null;
    const s = st.get(r) as number | bigint | null;
    if (e === null || s === null) throw fail(`column '${e === null ? 'episode' : 'step'}' is null at row ${r}`);
    const en = Number(e);
    const sn = Number(s);
    if (en < 0 || en > 0x7fffffff || sn < 0 || sn > 0x7fffffff) throw fail(`row ${r}: (episode ${en}, step ${sn}) is outside 0..2^31-1`);
    const k = stepKey(en, sn);
    const prev = seen.get(k);
    if (prev !== undefined) throw fail(`rows ${prev} and ${r} both hold (episode ${en}, step ${sn}); each step at most once`);
    seen.set(k, r);
    if (!run.keys.has(k)) {
      const eps = run.episodes;
      const span = eps.length ? `episodes ${eps[0]}..${eps[eps.length - 1]}` : 'no steps';
      throw fail(`row ${r}: (episode ${en}, step ${sn}) is not a step of the run (run has ${span}, ${run.keys.size} steps)`);
    }
    episode[r] = en;
    step[r] = sn;
  }
  return { table: canonicalTable(K, episode, step, values, copies), rows, source };
}

function readList(col: Vector, f: Field, K: number, out: Float32Array, fail: (m: string) => Error): void {
  const width = (f.type as FixedSizeList).listSize;
  if (width !== K) throw fail(`column '${f.name}' has ${width} values per row but structure lists ${K} thoughts`);
  let r = 0;
  for (const data of col.data) {
    const child = data.children[0]!;
    if (child.type.typeId !== Type.Float && child.type.typeId !== Type.Int) throw fail(`column '${f.name}' must hold numbers, holds ${String(child.type)}`);
    for (let i = 0; i < data.length; i++, r++) {
      if (!data.getValid(i)) throw fail(`column '${f.name}' is null at row ${r}`);
      for (let j = 0; j < K; j++) {
        const at = i * K + j; // a FixedSizeList's child is sliced with it: index from the child's own start
        if (!child.getValid(at)) throw fail(`column '${f.name}' has a null value at row ${r}, thought ${j}`);
        const x = Number((child.values as ArrayLike<number | bigint>)[child.offset + at]);
        if (!Number.isFinite(x)) throw fail(`column '${f.name}' is ${x} at row ${r}, thought ${j}; values must be finite`);
        out[r * K + j] = x;
      }
    }
  }
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
