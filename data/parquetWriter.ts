// A small, dependency-free Parquet writer for the columns of an agent stream: required
// int32 keys, the hidden state as a required LIST<float> of fixed length, and nullable
// behaviour columns (int32, float, double, boolean, UTF-8). Uncompressed, PLAIN values,
// RLE levels, data page v1, one page per column per row group; row groups are written as
// they fill, so a run of any size is exported with bounded memory. The Arrow schema rides
// along in the footer (`ARROW:schema`), so pyarrow and polars read `hidden` back as a
// FixedSizeList / Array; DuckDB and Spark see FLOAT[] / array<float>.
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { CT, CompactWriter } from './thriftCompact.js';

export type ParquetScalarKind = 'int32' | 'float32' | 'float64' | 'bool' | 'utf8';

export type ParquetColumn =
  | { name: string; kind: ParquetScalarKind; nullable: boolean }
  | { name: string; kind: 'float32list'; size: number };

/** Values of one column for the rows of a row group: typed arrays where nothing is null. */
export type ParquetValues = Float32Array | Float64Array | Int32Array | ArrayLike<number | boolean | string | bigint | null>;

// parquet.thrift enums
const PT = { BOOLEAN: 0, INT32: 1, FLOAT: 4, DOUBLE: 5, BYTE_ARRAY: 6 } as const;
const REP = { REQUIRED: 0, OPTIONAL: 1, REPEATED: 2 } as const;
const CONVERTED = { UTF8: 0, LIST: 3 } as const;
const ENC = { PLAIN: 0, RLE: 3 } as const;
const MAGIC = new TextEncoder().encode('PAR1');
const utf8 = new TextEncoder();

const PHYSICAL: Record<ParquetScalarKind, number> = { int32: PT.INT32, float32: PT.FLOAT, float64: PT.DOUBLE, bool: PT.BOOLEAN, utf8: PT.BYTE_ARRAY };

interface ChunkMeta {
  column: ParquetColumn;
  physical: number;
  path: string[];
  encodings: number[];
  numValues: number;
  offset: number;
  size: number;
}

export interface ParquetWriterOptions {
  /** Footer key/value metadata (e.g. ARROW:schema). */
  keyValueMetadata?: Record<string, string>;
  /** fsync before close (default false). */
  durable?: boolean;
}

export class ParquetFileWriter {
  private fd: number;
  private pos = 0;
  private rowGroups: { rows: number; chunks: ChunkMeta[]; bytes: number; offset: number }[] = [];
  private rows = 0;

  constructor(
    readonly path: string,
    readonly columns: readonly ParquetColumn[],
    private readonly options: ParquetWriterOptions = {},
  ) {
    this.fd = openSync(path, 'w');
    this.write(MAGIC);
  }

  private write(b: Uint8Array): void {
    let done = 0;
    while (done < b.length) done += writeSync(this.fd, b, done, b.length - done, null);
    this.pos += b.length;
  }

  /** One row group: `values[i]` holds column i's values for `rows` rows (rows × size floats for a list). */
  writeRowGroup(rows: number, values: readonly ParquetValues[]): void {
    if (rows === 0) return;
    const start = this.pos;
    const chunks = this.columns.map((col, i) => this.writeChunk(col, rows, values[i]!));
    this.rowGroups.push({ rows, chunks, bytes: this.pos - start, offset: start });
    this.rows += rows;
  }

  private writeChunk(col: ParquetColumn, rows: number, values: ParquetValues): ChunkMeta {
    const parts: Uint8Array[] = [];
    let numValues = rows;
    let encodings: number[] = [ENC.PLAIN];
    if (col.kind === 'float32list') {
      const d = col.size;
      if (values.length !== rows * d) throw new RangeError(`column '${col.name}': ${values.length} floats for ${rows} rows of ${d}`);
      numValues = rows * d;
      parts.push(lengthPrefixed(repetitionLevels(rows, d)), lengthPrefixed(rleRun(numValues, 1)));
      parts.push(floatBytes(values as Float32Array));
      encodings = [ENC.PLAIN, ENC.RLE];
    } else {
      if (values.length !== rows) throw new RangeError(`column '${col.name}': ${values.length} values for ${rows} rows`);
      let present: ArrayLike<unknown> = values;
      if (col.nullable) {
        const { levels, kept } = definitionLevels(values);
        parts.push(lengthPrefixed(levels));
        present = kept;
        encodings = [ENC.PLAIN, ENC.RLE];
      }
      parts.push(plainValues(col.kind, present, col.name));
    }
    const body = concat(parts);
    const header = new CompactWriter()
      .i32(1, 0) // DATA_PAGE
      .i32(2, body.length)
      .i32(3, body.length)
      .struct(5, (w) => w.i32(1, numValues).i32(2, ENC.PLAIN).i32(3, ENC.RLE).i32(4, ENC.RLE));
    const headerBytes = header.finish();
    const offset = this.pos;
    this.write(headerBytes);
    this.write(body);
    return {
      column: col,
      physical: col.kind === 'float32list' ? PT.FLOAT : PHYSICAL[col.kind],
      path: col.kind === 'float32list' ? [col.name, 'list', 'element'] : [col.name],
      encodings,
      numValues,
      offset,
      size: headerBytes.length + body.length,
    };
  }

  /** Writes the footer and closes the file; returns rows written. */
  close(): number {
    const w = new CompactWriter();
    w.i32(1, 1);
    w.list(2, CT.Struct, this.schemaElements(), (lw, el) => lw.structValue(el));
    w.i64(3, this.rows);
    w.list(4, CT.Struct, this.rowGroups, (lw, rg) =>
      lw.structValue((s) => {
        s.list(1, CT.Struct, rg.chunks, (cl, c) =>
          cl.structValue((cc) => {
            cc.i64(2, c.offset);
            cc.struct(3, (m) => {
              m.i32(1, c.physical);
              m.list(2, CT.I32, c.encodings, (el, e) => el.i32Value(e));
              m.list(3, CT.Binary, c.path, (el, p) => el.binaryValue(p));
              m.i32(4, 0); // UNCOMPRESSED
              m.i64(5, c.numValues);
              m.i64(6, c.size);
              m.i64(7, c.size);
              m.i64(9, c.offset);
            });
          }),
        );
        s.i64(2, rg.bytes);
        s.i64(3, rg.rows);
        s.i64(5, rg.offset);
        s.i64(6, rg.bytes);
      }),
    );
    const kv = Object.entries(this.options.keyValueMetadata ?? {});
    if (kv.length) w.list(5, CT.Struct, kv, (lw, [k, v]) => lw.structValue((s) => s.binary(1, k).binary(2, v)));
    w.binary(6, 'thoughtlens version 0.1.0');
    const footer = w.finish();
    this.write(footer);
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, footer.length, true);
    this.write(len);
    this.write(MAGIC);
    if (this.options.durable) fsyncSync(this.fd);
    closeSync(this.fd);
    return this.rows;
  }

  /** Closes the file without a footer (an unreadable file: callers delete it). */
  destroy(): void {
    try {
      closeSync(this.fd);
    } catch {
      /* already closed */
    }
  }

  private schemaElements(): ((w: CompactWriter) => void)[] {
    const els: ((w: CompactWriter) => void)[] = [(w) => w.binary(4, 'schema').i32(5, this.columns.length)];
    for (const c of this.columns) {
      if (c.kind === 'float32list') {
        els.push((w) => w.i32(3, REP.REQUIRED).binary(4, c.name).i32(5, 1).i32(6, CONVERTED.LIST).struct(10, (l) => l.struct(3, () => {})));
        els.push((w) => w.i32(3, REP.REPEATED).binary(4, 'list').i32(5, 1));
        els.push((w) => w.i32(1, PT.FLOAT).i32(3, REP.REQUIRED).binary(4, 'element'));
      } else {
        els.push((w) => {
          w.i32(1, PHYSICAL[c.kind]).i32(3, c.nullable ? REP.OPTIONAL : REP.REQUIRED).binary(4, c.name);
          if (c.kind === 'utf8') w.i32(6, CONVERTED.UTF8).struct(10, (l) => l.struct(1, () => {}));
        });
      }
    }
    return els;
  }
}

// --- encodings ---

function varint(n: number, out: number[]): void {
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
}

/** RLE/bit-packing hybrid, bit width 1: one RLE run of `count` copies of `value`. */
function rleRun(count: number, value: 0 | 1, out: number[] = []): number[] {
  if (count > 0) {
    varint(count * 2, out);
    out.push(value);
  }
  return out;
}

function repetitionLevels(rows: number, d: number): number[] {
  if (d === 1) return rleRun(rows, 0);
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    rleRun(1, 0, out);
    rleRun(d - 1, 1, out);
  }
  return out;
}

function definitionLevels(values: ParquetValues): { levels: number[]; kept: unknown[] } {
  const levels: number[] = [];
  const kept: unknown[] = [];
  let run = 0;
  let cur: 0 | 1 = 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const def: 0 | 1 = v === null || v === undefined ? 0 : 1;
    if (def) kept.push(v);
    if (def !== cur && run > 0) {
      rleRun(run, cur, levels);
      run = 0;
    }
    cur = def;
    run++;
  }
  rleRun(run, cur, levels);
  return { levels, kept };
}

function lengthPrefixed(bytes: number[]): Uint8Array {
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length, true);
  out.set(bytes, 4);
  return out;
}

function floatBytes(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function plainValues(kind: ParquetScalarKind, values: ArrayLike<unknown>, name: string): Uint8Array {
  const n = values.length;
  const num = (i: number): number => {
    const v = values[i];
    const x = typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? Number(v) : (v as number);
    if (typeof x !== 'number') throw new TypeError(`column '${name}': value ${String(v)} is not a number`);
    return x;
  };
  switch (kind) {
    case 'int32': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = num(i);
      return new Uint8Array(out.buffer);
    }
    case 'float32': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = num(i);
      return new Uint8Array(out.buffer);
    }
    case 'float64': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = num(i);
      return new Uint8Array(out.buffer);
    }
    case 'bool': {
      const out = new Uint8Array(Math.ceil(n / 8));
      for (let i = 0; i < n; i++) if (values[i]) out[i >> 3]! |= 1 << (i & 7);
      return out;
    }
    case 'utf8': {
      const parts: Uint8Array[] = [];
      for (let i = 0; i < n; i++) {
        const b = utf8.encode(String(values[i]));
        const len = new Uint8Array(4);
        new DataView(len.buffer).setUint32(0, b.length, true);
        parts.push(len, b);
      }
      return concat(parts);
    }
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
