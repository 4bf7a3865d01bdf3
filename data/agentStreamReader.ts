// Reads one agent's Arrow IPC stream batch by batch, out of core: only the batch being
// handed out is in memory. The hidden column comes out as a zero-copy Float32Array over
// the bytes read from disk. The same cursor serves tailing: poll() returns the batches
// that became complete since the last call.
import { closeSync, fstatSync, openSync } from 'node:fs';
import {
  RecordBatch,
  RecordBatchReader,
  Struct,
  makeData,
  type Schema,
  type Vector,
} from 'apache-arrow';
import type { RecordBatch as RecordBatchHeader } from 'apache-arrow/ipc/metadata/message';
import { VectorLoader } from 'apache-arrow/visitor/vectorloader';
import { BadValueError, FormatError, NotFoundError, ThoughtlensError } from './errors.js';
import { HIDDEN_COLUMN } from './format.js';
import type { AgentSpec } from './manifest.js';
import {
  checkedBatchLength,
  decodeHeader,
  ipcLayout,
  readExactly,
  scanMessage,
  type ScanResult,
} from './messageScanner.js';
import { decompressBody } from './ipcCompression.js';
import { checkSchema, hiddenBlock, hiddenWidth } from './schema.js';
import { StepKeySet } from './stepKeySet.js';
import { FiniteFloats } from './finiteFloats.js';
import { firstNonFinite } from './validate.js';

export interface StreamBatch {
  /** Batch number in the stream, from 0. */
  index: number;
  /** Rows in the stream before this batch. */
  rowOffset: number;
  length: number;
  batch: RecordBatch;
  episode: Int32Array;
  step: Int32Array;
  /** length × d floats, a view over the batch's bytes (no copy). */
  hidden: Float32Array;
}

export interface Truncation {
  /** Byte offset of the first incomplete message; everything before it was read. */
  byteOffset: number;
  bytesDropped: number;
  reason: string;
}

export interface AgentStreamReaderOptions {
  /**
   * Kept for callers that asked to skip the NaN/Inf check: hidden states are now always
   * checked (a NaN that reaches a model turns into a misleading error far downstream), unless
   * `skipHiddenCheck` says the caller never reads them.
   */
  validate?: boolean;
  /** Skip the NaN/Inf check of hidden states: only for readers that drop them (behaviour views). */
  skipHiddenCheck?: boolean;
  /**
   * Reuse one read buffer for every batch (faster: no fresh pages), but each batch is then
   * valid only until the next one is read. Default false.
   */
  reuseBuffer?: boolean;
}

export class AgentStreamReader {
  readonly file: string;
  private fd: number;
  private offset = 0;
  private prefix: Uint8Array | null = null;
  /** Dictionary batches seen: batches are then decoded with them (slower path). */
  private hasDictionaries = false;
  private schemaBytes: Uint8Array | null = null;
  private readonly dictionaries = new Map<number, Uint8Array[]>();
  /** A complete message scanned but not taken yet (poll/batches asked for fewer). */
  private peeked: Extract<ScanResult, { kind: 'message' }> | null = null;
  private _schema: Schema | null = null;
  /** The reused read buffer (reuseBuffer mode), in WebAssembly memory for fast NaN checks. */
  private scratch: FiniteFloats | null = null;
  /** The buffer of the last batch copied out of `scratch` (same layout as `scratch`). */
  private stagedCopy: Uint8Array | null = null;
  private readonly validate: boolean;
  private readonly reuse: boolean;
  /** Every (episode, step) read so far: a key may appear once per stream (docs/FORMAT.md). */
  private readonly keys = new StepKeySet();
  rowsRead = 0;
  batchesRead = 0;
  /** True once the end-of-stream marker was read: the writer closed the stream cleanly. */
  ended = false;
  truncation: Truncation | null = null;

  constructor(
    file: string,
    readonly agent: AgentSpec | null,
    opts: AgentStreamReaderOptions = {},
  ) {
    this.file = file;
    this.validate = !opts.skipHiddenCheck;
    this.reuse = opts.reuseBuffer ?? false;
    try {
      this.fd = openSync(file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new NotFoundError(`agent stream is missing`, { file });
      throw err;
    }
  }

  /** The stream's schema, or null while not even the schema has been written. */
  get schema(): Schema | null {
    if (!this._schema) this.readAvailable(0);
    return this._schema;
  }

  get bytesRead(): number {
    return this.offset;
  }

  /** Iterates over every complete batch; afterwards `truncation` says whether the tail was torn. */
  *batches(): Generator<StreamBatch> {
    for (;;) {
      const got = this.readAvailable(1);
      if (got.length === 0) break;
      yield got[0]!;
    }
    this.noteTruncation();
  }

  /**
   * Returns the batches that are complete on disk now (for tailing a live run). With
   * reuseBuffer at most one: batches share the buffer, so only the last one read is valid.
   */
  poll(max = Infinity): StreamBatch[] {
    return this.readAvailable(this.reuse ? Math.min(max, 1) : max);
  }

  /** Records a torn tail if the file holds bytes past the last complete message. */
  noteTruncation(): Truncation | null {
    if (this.ended) return (this.truncation = null);
    const size = this.messagesEnd();
    if (size > this.offset) {
      const r = scanMessage(this.fd, this.offset, size, this.file);
      this.truncation = {
        byteOffset: this.offset,
        bytesDropped: size - this.offset,
        reason:
          r.kind === 'incomplete' ? r.reason : 'unreadable bytes after the last complete message',
      };
    } else {
      this.truncation = null;
    }
    return this.truncation;
  }

  /** The byte where the messages end: the file's size, or where an Arrow *file*'s footer starts. */
  private messagesEnd(): number {
    const size = fstatSync(this.fd).size;
    if (this.offset > 0 && !this.fileFormat) return size;
    const layout = ipcLayout(this.fd, size);
    if (layout.file) {
      this.fileFormat = true;
      if (this.offset === 0) this.offset = layout.start;
    }
    return layout.end;
  }

  /** True when the file is in Arrow's file format (ARROW1): its stream of messages is read. */
  private fileFormat = false;

  private readAvailable(max: number): StreamBatch[] {
    const out: StreamBatch[] = [];
    if (this.ended) return out;
    const size = this.messagesEnd();
    for (;;) {
      // A message found complete earlier stays complete (the file only grows): no rescan.
      const r =
        this.peeked?.offset === this.offset
          ? this.peeked
          : scanMessage(this.fd, this.offset, size, this.file);
      this.peeked = null;
      if (r.kind === 'eof' || r.kind === 'incomplete') break;
      if (r.kind === 'end-of-stream') {
        this.offset = r.end;
        this.ended = true;
        break;
      }
      const { message } = r;
      if (message.isSchema()) {
        if (this._schema)
          throw new FormatError(`second schema message at byte ${r.offset}`, { file: this.file });
        this.prefix = this.schemaBytes = this.readBytes(r.offset, r.end - r.offset, 0, null);
        this._schema = decodeHeader<Schema>(message, this.file, r.offset);
        if (this.agent) checkSchema(this._schema, this.agent, this.file);
      } else if (!this.prefix) {
        throw new FormatError(
          this.fileFormat
            ? `this is an Arrow file (magic ARROW1), not a stream, and it keeps its schema only in the footer; write an Arrow IPC stream (pyarrow ipc.new_stream, apache-arrow RecordBatchStreamWriter)`
            : `the stream must start with a schema message; found another message at byte ${r.offset}`,
          { file: this.file },
        );
      } else if (message.isDictionaryBatch()) {
        // Later batches need their dictionaries: keep them in the decoding prefix, the latest
        // message per dictionary id (plus its deltas), so replacements do not pile up.
        this.hasDictionaries = true;
        const header = decodeHeader<{ id: number; isDelta: boolean }>(message, this.file, r.offset);
        const dict = this.readBytes(r.offset, r.end - r.offset, 0, null);
        const id = Number(header.id);
        this.dictionaries.set(
          id,
          header.isDelta ? [...(this.dictionaries.get(id) ?? []), dict] : [dict],
        );
        const parts = [this.schemaBytes!, ...[...this.dictionaries.values()].flat()];
        const merged = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
        let at = 0;
        for (const p of parts) {
          merged.set(p, at);
          at += p.byteLength;
        }
        this.prefix = merged;
      } else if (message.isRecordBatch()) {
        // Schema and dictionaries are always taken; batches only up to `max`.
        if (out.length >= max) {
          this.peeked = r;
          break;
        }
        checkedBatchLength(message, r.bodyLength, this.file, r.offset);
        out.push(this.decodeBatch(r));
      }
      this.offset = r.end;
    }
    return out;
  }

  private readBytes(
    position: number,
    length: number,
    headroom: number,
    reuse: ArrayBuffer | null,
  ): Uint8Array {
    const total = headroom + length;
    const buf =
      reuse && reuse.byteLength >= total ? new Uint8Array(reuse, 0, total) : freshBytes(total);
    readExactly(this.fd, buf, headroom, length, position);
    return buf;
  }

  private decodeBatch(r: Extract<ScanResult, { kind: 'message' }>): StreamBatch {
    const position = r.offset;
    // Without dictionaries only the body is read and decoded against the schema read once;
    // with them the batch is decoded behind the schema and dictionary messages.
    const head = this.hasDictionaries ? this.prefix! : null;
    const readFrom = head ? r.offset : r.offset + r.headerBytes;
    const length = head ? r.end - r.offset : r.bodyLength;
    const total = (head?.byteLength ?? 0) + length;
    // Batches are read into one reused buffer in WebAssembly memory, where the NaN/Inf check
    // runs with SIMD. Without reuseBuffer each batch then gets its own copy (memcpy is
    // cheaper than the JavaScript check it saves), so batches stay valid after the next read.
    const staged = this.reuse || this.validate;
    if (staged && (!this.scratch || this.scratch.buffer.byteLength < total))
      this.scratch = new FiniteFloats(Math.ceil(total * 1.25));
    let bytes = this.readBytes(
      readFrom,
      length,
      head?.byteLength ?? 0,
      staged ? this.scratch!.buffer : null,
    );
    if (head) bytes.set(head, 0);
    this.stagedCopy = null;
    if (staged && !this.reuse) {
      const own = freshBytes(total);
      own.set(bytes);
      this.stagedCopy = own;
      bytes = own;
    }
    let batch: RecordBatch;
    try {
      if (head) {
        let last: RecordBatch | undefined;
        for (const b of RecordBatchReader.from(bytes)) last = b;
        if (!last) throw new Error('no record batch decoded');
        batch = last;
      } else {
        const schema = this._schema!;
        const h = r.message.header() as RecordBatchHeader;
        // A compressed body (LZ4 frame or Zstandard per buffer) is decompressed into a fresh one.
        const plain = h.compression ? decompressBody(h.compression.type, bytes, h.buffers) : null;
        if (plain) bytes = plain.body;
        const loader = new VectorLoader(
          bytes,
          h.nodes,
          (plain?.buffers ?? h.buffers) as RecordBatchHeader['buffers'],
          new Map(),
          schema.metadataVersion,
          h.variadicBufferCounts,
        );
        const children = loader.visitMany(schema.fields);
        batch = new RecordBatch(
          schema,
          makeData({ type: new Struct(schema.fields), length: Number(h.length), children }),
        );
      }
    } catch (err) {
      throw new FormatError(
        `cannot decode record batch at byte ${position}: ${(err as Error).message}`,
        { file: this.file },
      );
    }
    let out: StreamBatch;
    try {
      out = this.viewBatch(batch);
    } catch (err) {
      if (err instanceof ThoughtlensError) throw err;
      throw new FormatError(`corrupt record batch at byte ${position}: ${(err as Error).message}`, {
        file: this.file,
      });
    }
    this.rowsRead += out.length;
    this.batchesRead++;
    return out;
  }

  /** NaN/Inf check of a batch's hidden values, in WebAssembly where they (or their staged twin) are. */
  private checkFinite(hidden: Float32Array): number {
    if (this.scratch && hidden.buffer === this.scratch.buffer)
      return this.scratch.firstNonFinite(hidden);
    const copy = this.stagedCopy;
    if (this.scratch && copy && hidden.buffer === copy.buffer) {
      return this.scratch.firstNonFinite(
        new Float32Array(this.scratch.buffer, hidden.byteOffset - copy.byteOffset, hidden.length),
      );
    }
    return firstNonFinite(hidden);
  }

  private viewBatch(batch: RecordBatch): StreamBatch {
    const rowOffset = this.rowsRead;
    const length = batch.numRows;
    const episode = intColumn(batch.getChild('episode'), 'episode', this.file, rowOffset);
    const step = intColumn(batch.getChild('step'), 'step', this.file, rowOffset);
    const hiddenVec = batch.getChild(HIDDEN_COLUMN);
    if (!hiddenVec)
      throw new FormatError(`missing hidden-state column`, {
        file: this.file,
        column: HIDDEN_COLUMN,
      });
    const data = hiddenVec.data[0]!;
    if (data.nullCount > 0) {
      throw new BadValueError(`hidden state is null`, {
        file: this.file,
        column: HIDDEN_COLUMN,
        row: rowOffset + firstNull(hiddenVec),
      });
    }
    const d = this.agent?.hiddenSize ?? hiddenWidth(data);
    const hidden = hiddenBlock(data, d, { file: this.file, rowOffset });
    if (this.validate) {
      const bad = this.checkFinite(hidden);
      if (bad >= 0) {
        const r = Math.floor(bad / d);
        throw new BadValueError(
          `hidden state is ${hidden[bad]} at element ${bad % d} (episode ${episode[r]}, step ${step[r]}) of agent '${this.agentName}'; hidden states must be finite`,
          { file: this.file, column: HIDDEN_COLUMN, row: rowOffset + r },
        );
      }
    }
    for (let i = 0; i < length; i++) {
      const first = this.keys.add(episode[i]!, step[i]!, rowOffset + i);
      if (first >= 0) {
        throw new BadValueError(
          `duplicate key in agent '${this.agentName}': (episode ${episode[i]}, step ${step[i]}) at row ${rowOffset + i} repeats row ${first}; each (episode, step) may appear once per stream`,
          { file: this.file, row: rowOffset + i },
        );
      }
    }
    return { index: this.batchesRead, rowOffset, length, batch, episode, step, hidden };
  }

  /** The agent id for messages: from the manifest, else the schema's metadata, else the file. */
  private get agentName(): string {
    return this.agent?.id ?? this._schema?.metadata.get('thoughtlens.agent') ?? this.file.replace(/^.*\//, '').replace(/\.arrows$/, '');
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

function intColumn(vec: Vector | null, name: string, file: string, rowOffset: number): Int32Array {
  if (!vec) throw new FormatError(`missing join key column`, { file, column: name });
  const data = vec.data[0]!;
  if (data.nullCount > 0)
    throw new BadValueError(`join key is null`, {
      file,
      column: name,
      row: rowOffset + firstNull(vec),
    });
  const values = data.values as Int32Array | BigInt64Array | Uint32Array | Int16Array;
  if (values instanceof Int32Array) return values.subarray(data.offset, data.offset + data.length);
  // Other integer widths (polars writes Int64): convert, checking the range.
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = Number(values[data.offset + i]!);
    if (v > 2147483647 || v < -2147483648)
      throw new BadValueError(`join key ${v} does not fit in int32`, {
        file,
        column: name,
        row: rowOffset + i,
      });
    out[i] = v;
  }
  return out;
}

/** An unpooled buffer that is not zero-filled first (it is read or copied into at once). */
function freshBytes(n: number): Uint8Array {
  const b = Buffer.allocUnsafeSlow(n);
  return new Uint8Array(b.buffer, b.byteOffset, n);
}

function firstNull(vec: Vector): number {
  for (let i = 0; i < vec.length; i++) if (!vec.isValid(i)) return i;
  return -1;
}
