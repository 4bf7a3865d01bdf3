// The one reader of per-step true thoughts in an Arrow table (truth/latents.arrows, or the file
// `truth attach --latents` is given): integer `episode` and `step` columns and the K values per
// row, either as one list column — FixedSizeList, List or LargeList of numbers (pyarrow's
// `pa.array(list_of_arrays)` and polars write the variable-size lists), named `thoughts` or the
// only one — or as K numeric columns (in schema order, or by the number their names end in when
// those are exactly 0..K−1). Per-agent copies `thoughts_<agent>` are list columns of K too.
// Every row must hold exactly K finite values; errors go through `fail` with the column and row.
import { Type, type Field, type Table, type Vector } from 'apache-arrow';

/** A step's key in maps and sets: episode·2^32 + step (both in 0..2^31−1). */
export const stepKey = (e: number, s: number): number => e * 0x100000000 + (s >>> 0);

export interface TruthThoughts {
  rows: number;
  /** Thoughts per row. */
  K: number;
  episode: Int32Array;
  step: Int32Array;
  /** rows × K common values. */
  values: Float32Array;
  /** Per-agent copies `thoughts_<agent>` that the table holds (rows × K each). */
  copies: { agent: string; values: Float32Array }[];
  /** Where the values came from, in words. */
  source: string;
}

const isList = (f: Field) => f.type.typeId === Type.FixedSizeList || f.type.typeId === Type.List || f.type.typeId === Type.LargeList;
const isNumber = (f: Field) => f.type.typeId === Type.Float || f.type.typeId === Type.Int;

/**
 * Reads the table; `K` is the thought count the structure lists (undefined: taken from the list
 * column's first row, or the number of numeric columns).
 */
export function readTruthThoughts(table: Table, K: number | undefined, agentIds: readonly string[], fail: (m: string) => Error): TruthThoughts {
  const rows = table.numRows;
  const fields = table.schema.fields;
  const episode = keyColumn(table, 'episode', fail);
  const step = keyColumn(table, 'step', fail);
  const copyNames = new Set(agentIds.map((a) => `thoughts_${a}`));
  const rest = fields.filter((f) => f.name !== 'episode' && f.name !== 'step' && !copyNames.has(f.name));
  const lists = rest.filter(isList);
  const listField = lists.find((f) => f.name === 'thoughts') ?? (lists.length === 1 ? lists[0] : undefined);
  if (lists.length > 1 && !listField) throw fail(`has ${lists.length} list columns (${lists.map((f) => f.name).join(', ')}); name the true thoughts 'thoughts'`);
  let values: Float32Array;
  let source: string;
  let k: number;
  if (listField) {
    k = K ?? listWidth(table.getChild(listField.name)!, listField);
    values = readListColumn(table.getChild(listField.name)!, listField, k, rows, fail);
    source = `column '${listField.name}' (${String(listField.type.typeId === Type.FixedSizeList ? 'FixedSizeList' : 'List')} of ${k})`;
  } else {
    const numeric = rest.filter(isNumber);
    k = K ?? numeric.length;
    if (numeric.length !== k || k === 0) throw fail(`has ${numeric.length} numeric value columns (${numeric.map((f) => f.name).join(', ') || 'none'}) but structure lists ${k} thoughts; give one column per thought or a list column 'thoughts'`);
    const nums = numeric.map((f) => Number(/(\d+)$/.exec(f.name)?.[1] ?? NaN));
    const byNumber = [...nums].sort((a, b) => a - b).every((n, i) => n === i);
    const order = byNumber ? numeric.map((_, i) => nums.indexOf(i)) : numeric.map((_, i) => i);
    values = new Float32Array(rows * k);
    order.forEach((c, j) => {
      const f = numeric[c]!;
      const col = table.getChild(f.name)!;
      for (let r = 0; r < rows; r++) {
        const v = col.get(r) as number | bigint | null;
        if (v === null) throw fail(`column '${f.name}' is null at row ${r}`);
        values[r * k + j] = finite(Number(v), f.name, r, j, fail);
      }
    });
    source = `${k} numeric columns ${byNumber ? 'ordered by the number in their names' : 'in schema order'}`;
  }
  const copies = agentIds.flatMap((agent) => {
    const f = fields.find((x) => x.name === `thoughts_${agent}`);
    if (!f) return [];
    if (!isList(f)) throw fail(`column '${f.name}' must be a list of ${k} numbers, is ${String(f.type)}`);
    return [{ agent, values: readListColumn(table.getChild(f.name)!, f, k, rows, fail) }];
  });
  return { rows, K: k, episode, step, values, copies, source };
}

function keyColumn(table: Table, name: string, fail: (m: string) => Error): Int32Array {
  const f = table.schema.fields.find((x) => x.name === name);
  if (!f) throw fail(`has no '${name}' column (columns: ${table.schema.fields.map((x) => x.name).join(', ')})`);
  if (f.type.typeId !== Type.Int) throw fail(`column '${name}' must be an integer type, is ${String(f.type)}`);
  const col = table.getChild(name)!;
  const out = new Int32Array(table.numRows);
  for (let r = 0; r < out.length; r++) {
    const v = col.get(r) as number | bigint | null;
    if (v === null) throw fail(`column '${name}' is null at row ${r}`);
    const x = Number(v);
    if (!(x >= 0 && x <= 0x7fffffff)) throw fail(`column '${name}' is ${x} at row ${r}, outside 0..2^31-1`);
    out[r] = x;
  }
  return out;
}

/** Values per row of a list column: a FixedSizeList's size, else the first row's length (0 if none). */
function listWidth(col: Vector, f: Field): number {
  if (f.type.typeId === Type.FixedSizeList) return (f.type as unknown as { listSize: number }).listSize;
  const first = col.get(0) as { length: number } | null;
  return first?.length ?? 0;
}

/** rows × K values of a FixedSizeList, List or LargeList column of numbers; every row holds exactly K. */
function readListColumn(col: Vector, f: Field, K: number, rows: number, fail: (m: string) => Error): Float32Array {
  const out = new Float32Array(rows * K);
  if (f.type.typeId === Type.FixedSizeList) {
    const width = (f.type as unknown as { listSize: number }).listSize;
    if (width !== K) throw fail(`column '${f.name}' has ${width} values per row but structure lists ${K} thoughts`);
  }
  const item = (f.type as unknown as { children: Field[] }).children[0]!;
  if (!isNumber(item)) throw fail(`column '${f.name}' must hold numbers, holds ${String(item.type)}`);
  // Row by row through the Vector API, which resolves chunk offsets and slicing for every list type.
  for (let r = 0; r < rows; r++) {
    const v = col.get(r) as Vector | null;
    if (v === null) throw fail(`column '${f.name}' is null at row ${r}`);
    if (v.length !== K) throw fail(`column '${f.name}' holds ${v.length} values at row ${r} but structure lists ${K} thoughts`);
    for (let j = 0; j < K; j++) {
      const x = v.get(j) as number | bigint | null;
      if (x === null) throw fail(`column '${f.name}' has a null value at row ${r}, thought ${j}`);
      out[r * K + j] = finite(Number(x), f.name, r, j, fail);
    }
  }
  return out;
}

function finite(x: number, name: string, r: number, j: number, fail: (m: string) => Error): number {
  if (!Number.isFinite(x)) throw fail(`column '${name}' is ${x} at row ${r}, thought ${j}; values must be finite`);
  return x;
}
