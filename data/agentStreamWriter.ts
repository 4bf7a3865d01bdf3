// Buffers one agent's steps into preallocated columns and writes them as Arrow record
// batches. Buffers are reused between batches (fresh pages are slow here, see FACTS.md).
import { openSync } from 'node:fs';
import {
  Bool,
  Float32,
  Float64,
  Int32,
  RecordBatch,
  Struct,
  Utf8,
  makeData,
  vectorFromArray,
  type Data,
  type Schema,
} from 'apache-arrow';
import { BadValueError, UsageError } from './errors.js';
import { IpcFdWriter } from './ipcSink.js';
import type { AgentSpec, ColumnSpec } from './manifest.js';
import { hiddenType, schemaForAgent } from './schema.js';
import { FiniteFloats } from './finiteFloats.js';
import { StepKeySet } from './stepKeySet.js';
import { firstNonFinite } from './validate.js';

export type BehaviourValue = number | boolean | string | null;

/** Several steps of one agent, column by column. `hidden` holds rows × d floats. */
export interface StepRows {
  episode: ArrayLike<number>;
  step: ArrayLike<number>;
  hidden: Float32Array;
  columns?: Record<string, ArrayLike<BehaviourValue>>;
}

type ColumnBuffer =
  | { spec: ColumnSpec; kind: 'int32'; values: Int32Array; valid: Uint8Array; nulls: number }
  | { spec: ColumnSpec; kind: 'float32'; values: Float32Array; valid: Uint8Array; nulls: number }
  | { spec: ColumnSpec; kind: 'float64'; values: Float64Array; valid: Uint8Array; nulls: number }
  | { spec: ColumnSpec; kind: 'bool' | 'utf8'; values: BehaviourValue[] };
type NumericBuffer = Extract<ColumnBuffer, { valid: Uint8Array }>;

export interface AgentStreamWriterOptions {
  batchRows: number;
  /** Reject NaN/Inf hidden states and repeated (episode, step) keys at write time (default true). */
  validate?: boolean;
}

export class AgentStreamWriter {
  readonly schema: Schema;
  readonly file: string;
  private readonly d: number;
  private readonly batchRows: number;
  private readonly validate: boolean;
  private readonly io: IpcFdWriter;
  private readonly episode: Int32Array;
  private readonly step: Int32Array;
  private readonly hidden: Float32Array;
  private readonly floats: FiniteFloats;
  private readonly cols: ColumnBuffer[];
  private pending = 0;
  private closed = false;
  /** Keys written so far (checked when `validate`). */
  private readonly keys = new StepKeySet();
  rowsWritten = 0;
  batchesWritten = 0;

  constructor(
    file: string,
    readonly agent: AgentSpec,
    opts: AgentStreamWriterOptions,
  ) {
    this.file = file;
    this.d = agent.hiddenSize;
    this.batchRows = opts.batchRows;
    this.validate = opts.validate ?? true;
    this.schema = schemaForAgent(agent);
    this.episode = new Int32Array(this.batchRows);
    this.step = new Int32Array(this.batchRows);
    // The batch's hidden states live in WebAssembly memory: checked there with SIMD.
    this.floats = new FiniteFloats(this.batchRows * this.d * 4);
    this.hidden = new Float32Array(this.floats.buffer, 0, this.batchRows * this.d);
    this.cols = agent.columns.map((spec) => makeColumnBuffer(spec, this.batchRows));
    this.io = new IpcFdWriter(openSync(file, 'wx'), this.schema);
  }

  get bytes(): number {
    return this.io.bytes;
  }

  get pendingRows(): number {
    return this.pending;
  }

  /** Appends rows; whole batches are written as soon as they fill. */
  append(rows: StepRows): void {
    if (this.closed)
      throw new UsageError(`stream of agent '${this.agent.id}' is closed`, { file: this.file });
    const n = rows.episode.length;
    if (rows.step.length !== n) {
      throw new BadValueError(`'step' has ${rows.step.length} values for ${n} episodes`, {
        file: this.file,
        column: 'step',
      });
    }
    if (rows.hidden.length !== n * this.d) {
      throw new BadValueError(
        `wrong hidden dimension: got ${rows.hidden.length} floats for ${n} rows, expected ${n}×${this.d}`,
        { file: this.file, column: 'hidden', row: this.rowsWritten + this.pending },
      );
    }
    // Rows that fit in the open batch are checked after the copy, in the batch buffer (fast);
    // an append that spans batches is checked before anything of it is written.
    const fits = n <= this.batchRows - this.pending;
    if (this.validate && !fits) this.checkFinite(rows, 0, firstNonFinite(rows.hidden));
    for (const c of this.cols) {
      const src = rows.columns?.[c.spec.name];
      if (src !== undefined && src.length !== n) {
        throw new BadValueError(`has ${src.length} values for ${n} rows`, {
          file: this.file,
          column: c.spec.name,
        });
      }
    }
    for (const name of Object.keys(rows.columns ?? {})) {
      if (!this.cols.some((c) => c.spec.name === name)) {
        throw new BadValueError(`column is not declared for agent '${this.agent.id}'`, {
          file: this.file,
          column: name,
        });
      }
    }
    if (!fits) {
      // This append will flush batches before its last rows are copied: check every value
      // first so that a rejected append writes nothing.
      for (const c of this.cols) {
        const src = rows.columns?.[c.spec.name];
        if (src)
          for (let i = 0; i < n; i++)
            checkValue(c, src[i], this.file, this.rowsWritten + this.pending + i);
      }
    }
    if (this.validate) this.checkKeys(rows);
    const first = this.rowsWritten + this.pending;
    let done = 0;
    while (done < n) {
      const take = Math.min(n - done, this.batchRows - this.pending);
      this.copyIn(rows, done, take, this.validate && fits);
      done += take;
      if (this.pending === this.batchRows) this.flush();
    }
    if (this.validate) for (let i = 0; i < n; i++) this.keys.add(rows.episode[i]!, rows.step[i]!, first + i);
  }

  /** Each (episode, step) may appear once per stream: refuses an append that repeats one. */
  private checkKeys(rows: StepRows): void {
    // The usual case: keys increase within the append and start after every stored key.
    const n = rows.episode.length;
    let increasing = n === 0 || this.keys.afterAll(rows.episode[0]!, rows.step[0]!);
    for (let i = 1; increasing && i < n; i++) {
      const e = rows.episode[i]!;
      const pe = rows.episode[i - 1]!;
      increasing = e > pe || (e === pe && rows.step[i]! > rows.step[i - 1]!);
    }
    if (increasing) return;
    const base = this.rowsWritten + this.pending;
    const own = new StepKeySet();
    for (let i = 0; i < rows.episode.length; i++) {
      const e = rows.episode[i]!;
      const s = rows.step[i]!;
      const seen = this.keys.find(e, s);
      const within = own.add(e, s, i);
      if (seen >= 0 || within >= 0) {
        throw new BadValueError(
          `duplicate key for agent '${this.agent.id}': (episode ${e}, step ${s}) is already stored at row ${seen >= 0 ? seen : base + within}; each (episode, step) may appear once per stream`,
          { file: this.file, row: base + i },
        );
      }
    }
  }

  /** Throws for a non-finite value at float index `bad` of rows `from…` (no-op for -1). */
  private checkFinite(rows: StepRows, from: number, bad: number): void {
    if (bad < 0) return;
    const r = from + Math.floor(bad / this.d);
    throw new BadValueError(
      `hidden state is ${rows.hidden[from * this.d + bad]} at element ${bad % this.d} (episode ${rows.episode[r]}, step ${rows.step[r]})`,
      { file: this.file, column: 'hidden', row: this.rowsWritten + this.pending + r },
    );
  }

  private copyIn(rows: StepRows, from: number, count: number, check: boolean): void {
    const at = this.pending;
    const d = this.d;
    this.hidden.set(rows.hidden.subarray(from * d, (from + count) * d), at * d);
    // Nothing counts as written until `pending` moves: a bad row leaves the batch as it was.
    if (check)
      this.checkFinite(
        rows,
        from,
        this.floats.firstNonFinite(this.hidden.subarray(at * d, (at + count) * d)),
      );
    for (let i = 0; i < count; i++) {
      this.episode[at + i] = rows.episode[from + i]!;
      this.step[at + i] = rows.step[from + i]!;
    }
    for (const c of this.cols) {
      const src = rows.columns?.[c.spec.name];
      for (let i = 0; i < count; i++) {
        const v = src === undefined ? null : src[from + i];
        writeValue(c, at + i, v, this.file, this.rowsWritten + at + i);
      }
    }
    this.pending += count;
  }

  /** Writes the pending rows (if any) as one record batch. Returns rows written. */
  flush(): number {
    const n = this.pending;
    if (n === 0 || this.closed) return 0;
    this.io.writeBatch(this.buildBatch(n));
    this.pending = 0;
    this.rowsWritten += n;
    this.batchesWritten++;
    for (const c of this.cols) {
      if ('nulls' in c) c.nulls = 0;
      else c.values.length = 0;
    }
    return n;
  }

  private buildBatch(n: number): RecordBatch {
    const children: Data[] = [
      makeData({ type: new Int32(), length: n, nullCount: 0, data: this.episode.subarray(0, n) }),
      makeData({ type: new Int32(), length: n, nullCount: 0, data: this.step.subarray(0, n) }),
      makeData({
        type: hiddenType(this.d),
        length: n,
        nullCount: 0,
        child: makeData({
          type: new Float32(),
          length: n * this.d,
          nullCount: 0,
          data: this.hidden.subarray(0, n * this.d),
        }),
      }),
      ...this.cols.map((c) => columnData(c, n)),
    ];
    const data = makeData({
      type: new Struct(this.schema.fields),
      length: n,
      nullCount: 0,
      children,
    });
    return new RecordBatch(this.schema, data);
  }

  sync(): void {
    this.io.sync();
  }

  close(opts: { endOfStream: boolean; durable: boolean }): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.io.close(opts.endOfStream, opts.durable);
  }
}

function makeColumnBuffer(spec: ColumnSpec, rows: number): ColumnBuffer {
  const valid = new Uint8Array(Math.ceil(rows / 8) + 8);
  switch (spec.type) {
    case 'int32':
      return { spec, kind: 'int32', values: new Int32Array(rows), valid, nulls: 0 };
    case 'float32':
      return { spec, kind: 'float32', values: new Float32Array(rows), valid, nulls: 0 };
    case 'float64':
      return { spec, kind: 'float64', values: new Float64Array(rows), valid, nulls: 0 };
    default:
      return { spec, kind: spec.type, values: [] };
  }
}

/** Numeric columns keep a validity bitmap: a missing value (null/undefined) is stored as null. */
function setValid(c: NumericBuffer, at: number, ok: boolean): void {
  const bit = 1 << (at & 7);
  if (ok) c.valid[at >> 3]! |= bit;
  else {
    c.valid[at >> 3]! &= ~bit;
    c.nulls++;
  }
}

/** Throws unless `v` (undefined and null mean missing) may go into a column of this kind. */
function checkValue(
  c: ColumnBuffer,
  v: BehaviourValue | undefined,
  file: string,
  row: number,
): void {
  if (v === undefined || v === null) return;
  const where = { file, column: c.spec.name, row };
  switch (c.kind) {
    case 'int32':
      if (typeof v !== 'number' || !Number.isInteger(v) || v > 2147483647 || v < -2147483648) {
        throw new BadValueError(`int32 column got ${JSON.stringify(v)}`, where);
      }
      return;
    case 'float32':
    case 'float64':
      if (typeof v !== 'number' && typeof v !== 'boolean')
        throw new BadValueError(`numeric column got ${JSON.stringify(v)}`, where);
      return;
    case 'bool':
      if (typeof v !== 'boolean' && v !== 0 && v !== 1)
        throw new BadValueError(`bool column got ${JSON.stringify(v)}`, where);
      return;
    case 'utf8':
      return;
  }
}

function writeValue(
  c: ColumnBuffer,
  at: number,
  v: BehaviourValue | undefined,
  file: string,
  row: number,
): void {
  checkValue(c, v, file, row);
  if (v === undefined) v = null;
  switch (c.kind) {
    case 'int32':
      c.values[at] = (v as number | null) ?? 0;
      setValid(c, at, v !== null);
      return;
    case 'float32':
    case 'float64':
      c.values[at] = typeof v === 'boolean' ? (v ? 1 : 0) : ((v as number | null) ?? 0);
      setValid(c, at, v !== null);
      return;
    case 'bool':
      c.values[at] = v === null ? null : Boolean(v);
      return;
    case 'utf8':
      c.values[at] = v === null ? null : String(v);
  }
}

function columnData(c: ColumnBuffer, n: number): Data {
  switch (c.kind) {
    case 'int32':
      return makeData({
        type: new Int32(),
        length: n,
        data: c.values.subarray(0, n),
        ...nullsOf(c, n),
      });
    case 'float32':
      return makeData({
        type: new Float32(),
        length: n,
        data: c.values.subarray(0, n),
        ...nullsOf(c, n),
      });
    case 'float64':
      return makeData({
        type: new Float64(),
        length: n,
        data: c.values.subarray(0, n),
        ...nullsOf(c, n),
      });
    case 'bool':
      return vectorFromArray(c.values.slice(0, n) as (boolean | null)[], new Bool()).data[0]!;
    case 'utf8':
      return vectorFromArray(c.values.slice(0, n) as (string | null)[], new Utf8()).data[0]!;
  }
}

function nullsOf(c: NumericBuffer, n: number): { nullCount: number; nullBitmap?: Uint8Array } {
  // \`nulls\` may count rows of an append that was rejected half-way: count the bitmap.
  const nullCount = c.nulls > 0 ? countNulls(c.valid, n) : 0;
  return nullCount > 0
    ? { nullCount, nullBitmap: c.valid.subarray(0, Math.ceil(n / 8)) }
    : { nullCount: 0 };
}

function countNulls(valid: Uint8Array, n: number): number {
  let nulls = 0;
  for (let i = 0; i < n; i++) if ((valid[i >> 3]! & (1 << (i & 7))) === 0) nulls++;
  return nulls;
}
