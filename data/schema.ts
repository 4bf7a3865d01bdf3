// Arrow schemas of agent streams: built from an AgentSpec when writing, checked against it
// when reading (files written by pyarrow or polars included).
import {
  Bool,
  Field,
  type Dictionary,
  FixedSizeList,
  Float32,
  Precision,
  Float64,
  Int32,
  Schema,
  Type,
  Utf8,
  type Data,
  type DataType,
} from 'apache-arrow';
import { BadValueError, SchemaMismatchError } from './errors.js';
import { HIDDEN_COLUMN } from './format.js';
import type { AgentSpec, ColumnType } from './manifest.js';

export function arrowTypeOf(type: ColumnType): DataType {
  switch (type) {
    case 'int32':
      return new Int32();
    case 'float32':
      return new Float32();
    case 'float64':
      return new Float64();
    case 'bool':
      return new Bool();
    case 'utf8':
      return new Utf8();
  }
}

export function hiddenType(d: number): FixedSizeList<Float32> {
  return new FixedSizeList(d, new Field('item', new Float32(), false));
}

export function schemaForAgent(agent: AgentSpec): Schema {
  const meta = new Map([['thoughtlens.agent', agent.id]]);
  return new Schema(
    [
      new Field('episode', new Int32(), false),
      new Field('step', new Int32(), false),
      new Field(HIDDEN_COLUMN, hiddenType(agent.hiddenSize), false),
      ...agent.columns.map((c) => new Field(c.name, arrowTypeOf(c.type), true)),
    ],
    meta,
  );
}

const INTEGER_KEY_TYPES = new Set([Type.Int]);
/** FixedSizeList as thoughtlens writes it; List and LargeList (pyarrow's `pa.array(list(X))`) with d values in every row. */
const HIDDEN_LIST_TYPES = new Set([Type.FixedSizeList, Type.List, Type.LargeList]);

/**
 * Verifies that a stream's schema carries what the manifest declares for `agent`. Extra
 * columns are allowed (other tools may add some); missing or mistyped ones are not.
 */
export function checkSchema(schema: Schema, agent: AgentSpec, file: string): void {
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  for (const key of ['episode', 'step']) {
    const f = byName.get(key);
    if (!f)
      throw new SchemaMismatchError(`missing join key column '${key}'`, { file, column: key });
    if (!INTEGER_KEY_TYPES.has(f.type.typeId)) {
      throw new SchemaMismatchError(`join key must be an integer type, got ${f.type}`, {
        file,
        column: key,
      });
    }
  }
  const h = byName.get(HIDDEN_COLUMN);
  if (!h)
    throw new SchemaMismatchError(`missing hidden-state column`, { file, column: HIDDEN_COLUMN });
  if (!HIDDEN_LIST_TYPES.has(h.type.typeId)) {
    throw new SchemaMismatchError(
      `hidden must be FixedSizeList<Float32>[${agent.hiddenSize}] (or a List / LargeList of ${agent.hiddenSize} floats per row), got ${h.type}`,
      { file, column: HIDDEN_COLUMN },
    );
  }
  const fsl = h.type as FixedSizeList;
  const child = fsl.children[0]?.type;
  // Float32 as thoughtlens writes it; Float64 (numpy's default) and Float16 (a model's half-precision
  // activations) are accepted and converted on read.
  if (!child || child.typeId !== Type.Float || ![Precision.SINGLE, Precision.DOUBLE, Precision.HALF].includes((child as Float32).precision)) {
    throw new SchemaMismatchError(`hidden items must be Float32 (or Float64 / Float16, converted on read), got ${child}`, {
      file,
      column: HIDDEN_COLUMN,
    });
  }
  if (h.type.typeId === Type.FixedSizeList && fsl.listSize !== agent.hiddenSize) {
    throw new SchemaMismatchError(
      `wrong hidden dimension: the stream has ${fsl.listSize}, the manifest declares ${agent.hiddenSize} for agent '${agent.id}'`,
      { file, column: HIDDEN_COLUMN },
    );
  }
  for (const c of agent.columns) {
    const f = byName.get(c.name);
    if (!f)
      throw new SchemaMismatchError(`missing behaviour column declared in the manifest`, {
        file,
        column: c.name,
      });
    if (!compatible(f.type, c.type)) {
      throw new SchemaMismatchError(
        `column declared ${c.type} in the manifest is ${f.type} in the stream`,
        {
          file,
          column: c.name,
        },
      );
    }
  }
}

function compatible(t: DataType, declared: ColumnType): boolean {
  // Dictionary-encoded columns (polars categoricals, pyarrow dictionary arrays) are read by value.
  if (t.typeId === Type.Dictionary) return compatible((t as Dictionary).dictionary, declared);
  switch (declared) {
    case 'int32':
      return t.typeId === Type.Int;
    case 'float32':
    case 'float64':
      return t.typeId === Type.Float || t.typeId === Type.Int;
    case 'bool':
      return t.typeId === Type.Bool;
    case 'utf8':
      return t.typeId === Type.Utf8 || t.typeId === Type.LargeUtf8 || t.typeId === Type.Utf8View;
  }
}

/** Values per row of a `hidden` chunk: a FixedSizeList's size, else its first row's length (0 if none). */
export function hiddenWidth(data: Data): number {
  if (data.typeId === Type.FixedSizeList) return (data.type as FixedSizeList).listSize;
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  return data.length > 0 ? Number(offsets[data.offset + 1]!) - Number(offsets[data.offset]!) : 0;
}

/**
 * Rows [from, length) of one chunk of a `hidden` column as one (length − from) × d float32 block:
 * a FixedSizeList's child buffer, or a List / LargeList's when every row holds exactly d values (a
 * row of another length fails with TL_BAD_VALUE naming it, `rowOffset` + its index).
 */
export function hiddenBlock(data: Data, d: number, where: { file: string; rowOffset: number }, from = 0): Float32Array {
  const child = data.children[0]!;
  const values = child.values as HiddenValues;
  if (data.typeId === Type.FixedSizeList) {
    const start = (data.offset + from) * d + child.offset;
    return hiddenFloat32(values, start, start + (data.length - from) * d);
  }
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  const at = (i: number) => Number(offsets[data.offset + i]!);
  for (let i = from; i < data.length; i++) {
    const n = at(i + 1) - at(i);
    if (n !== d) {
      throw new BadValueError(`hidden state has ${n} values, the manifest declares ${d}`, {
        file: where.file,
        column: HIDDEN_COLUMN,
        row: where.rowOffset + i,
      });
    }
  }
  const start = child.offset + at(from);
  return hiddenFloat32(values, start, start + (data.length - from) * d);
}

/** A `hidden` column's child buffer: Float32, Float64, or Float16 (its raw bits). */
type HiddenValues = Float32Array | Float64Array | Uint16Array;

/**
 * The hidden values [start, end) of a `hidden` column's child buffer as float32: a zero-copy view
 * of a Float32 column, a converted copy of a Float64 one (values beyond float32's range become
 * ±Infinity, which the finiteness check then reports) or of a Float16 one (exact; its NaN and
 * ±Infinity stay so and are reported the same way).
 */
function hiddenFloat32(values: HiddenValues, start: number, end: number): Float32Array {
  if (values instanceof Float32Array) return values.subarray(start, end);
  if (values instanceof Float64Array) return Float32Array.from(values.subarray(start, end));
  const out = new Float32Array(end - start);
  for (let i = start; i < end; i++) out[i - start] = halfToFloat(values[i]!);
  return out;
}

/** One IEEE 754 half-precision value (its 16 bits) as a number. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}
