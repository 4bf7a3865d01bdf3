// Checks the framing and metadata of an Arrow IPC stream arriving over HTTP before
// apache-arrow decodes it, message by message, as the run store does for files on disk
// (data/messageScanner.ts). The Arrow decoder trusts flatbuffer vector lengths and row
// counts: one flipped bit in a request body could make it loop over billions of fields or
// allocate gigabytes, blocking the whole server. Yields each message whole once verified.
import { Message, MessageHeader } from 'apache-arrow';
import { checkedBatchLength, decodeHeader, FormatError, isArrowFileMagic } from '../data/index.js';
import { verifyMessageMetadata } from '../data/ipcVerify.js';
import { TooLargeError } from './errors.js';

const MAX_METADATA = 64 << 20;
/**
 * Largest message (one record batch) decoded at once. A batch is decoded whole, so the
 * server holds a few copies of it while it is stored; larger batches are refused (413)
 * and a body of any size streams through in batches up to this size at bounded memory.
 */
export const MAX_MESSAGE_BYTES = 64 << 20;

/** Bytes that arrived but were not yet passed on, kept as chunks (no quadratic copying). */
class Pending {
  private chunks: Uint8Array[] = [];
  bytes = 0;
  push(c: Uint8Array): void {
    if (c.byteLength === 0) return;
    this.chunks.push(c);
    this.bytes += c.byteLength;
  }
  /** The first n bytes (n ≤ bytes), copied only when they span chunks. */
  peek(n: number): Uint8Array {
    const first = this.chunks[0]!;
    if (first.byteLength >= n) return first.subarray(0, n);
    const out = new Uint8Array(n);
    let o = 0;
    for (const c of this.chunks) {
      const k = Math.min(c.byteLength, n - o);
      out.set(c.subarray(0, k), o);
      o += k;
      if (o === n) break;
    }
    return out;
  }
  take(n: number): Uint8Array {
    // peek() copies when the bytes span chunks; a view of one chunk is copied here, so the
    // message never holds on to the rest of a large socket chunk. Either way: one copy.
    const first = this.chunks[0]!;
    const out = first.byteLength >= n ? first.slice(0, n) : this.peek(n);
    let left = n;
    while (left > 0) {
      const c = this.chunks[0]!;
      if (c.byteLength <= left) {
        this.chunks.shift();
        left -= c.byteLength;
      } else {
        this.chunks[0] = c.subarray(left);
        left = 0;
      }
    }
    this.bytes -= n;
    return out;
  }
}

export async function* verifiedIpc(source: AsyncIterable<Uint8Array>, where: string): AsyncGenerator<Uint8Array> {
  const pending = new Pending();
  let at = 0; // absolute byte offset of the next message
  let ended = false;
  let need = 0; // size of the verified message waiting for its body (0: none)
  let start = true; // the first bytes: a stream, or Arrow's *file* format (magic ARROW1)?
  let fileFormat = false;
  for await (const chunk of source) {
    if (ended) {
      yield chunk; // bytes after the end-of-stream marker are never decoded
      continue;
    }
    pending.push(chunk);
    if (start) {
      if (pending.bytes < 8) continue;
      start = false;
      // An Arrow file (pyarrow ipc.new_file, tableToIPC(t, 'file')) is the stream of
      // messages behind an 8-byte header and before a footer: read that stream.
      if (isArrowFileMagic(pending.peek(6))) {
        fileFormat = true;
        pending.take(8);
        at = 8;
      }
    }
    for (;;) {
      if (need > 0) {
        if (pending.bytes < need) break;
        yield pending.take(need);
        at += need;
        need = 0;
      }
      if (pending.bytes < 4) break;
      const head = pending.peek(Math.min(8, pending.bytes));
      const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
      let len = view.getInt32(0, true);
      let prefix = 4;
      if (fileFormat && len !== -1) {
        // Messages of an Arrow file carry the continuation marker; anything else is the
        // file's footer (writers that put no end-of-stream marker before it).
        ended = true;
        pending.take(pending.bytes);
        yield Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0); // as if the stream had ended here
        break;
      }
      if (len === -1) {
        if (head.byteLength < 8) break;
        len = view.getInt32(4, true);
        prefix = 8;
      }
      if (len === 0) {
        ended = true;
        yield pending.take(pending.bytes);
        break;
      }
      if (len < 0 || len > MAX_METADATA) throw new FormatError(`corrupt Arrow stream: message metadata length ${len} at byte ${at}`, { file: where });
      if (pending.bytes < prefix + len) break;
      const meta = pending.peek(prefix + len).subarray(prefix);
      verifyMessageMetadata(meta, where, at);
      let message: Message;
      try {
        message = Message.decode(meta);
      } catch (err) {
        throw new FormatError(`corrupt Arrow message metadata at byte ${at}: ${(err as Error).message}`, { file: where });
      }
      const bodyLength = Number(message.bodyLength);
      if (!Number.isSafeInteger(bodyLength) || bodyLength < 0) throw new FormatError(`corrupt Arrow message: body length ${message.bodyLength} at byte ${at}`, { file: where });
      if (fileFormat && at === 8 && message.headerType !== MessageHeader.Schema) {
        throw new FormatError(
          `this is an Arrow file (magic ARROW1), not a stream, and it keeps its schema only in the footer; send an Arrow IPC stream (pyarrow ipc.new_stream, apache-arrow RecordBatchStreamWriter)`,
          { file: where },
        );
      }
      if (message.headerType === MessageHeader.RecordBatch) checkedBatchLength(message, bodyLength, where, at);
      else if (message.headerType === MessageHeader.DictionaryBatch) {
        const dict = decodeHeader<{ data: unknown }>(message, where, at);
        checkedBatchLength({ header: () => dict.data } as unknown as Message, bodyLength, where, at);
      }
      need = prefix + len + bodyLength;
      if (need > MAX_MESSAGE_BYTES) {
        throw new TooLargeError(
          `one Arrow message of ${(need / 2 ** 20).toFixed(1)} MiB at byte ${at}: the server takes record batches of at most ${MAX_MESSAGE_BYTES / 2 ** 20} MiB; split the steps into smaller batches (a few MiB each), in one request or several`,
        );
      }
    }
  }
  if (start && pending.bytes >= 6 && isArrowFileMagic(pending.peek(6))) {
    throw new FormatError(`this is an Arrow file (magic ARROW1) cut short, not an Arrow IPC stream`, { file: where });
  }
  if (!ended && pending.bytes > 0) yield pending.take(pending.bytes); // a torn tail: the reader reports it
}
