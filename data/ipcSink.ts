// Synchronous bridge from apache-arrow's RecordBatchStreamWriter to a file descriptor.
// The writer pushes each encoded piece into its sink; this sink only collects the pieces
// so the caller can hand them to writev() without an extra copy (in pieces of at most
// 1 MiB, see MAX_WRITE).
import { closeSync, fsyncSync, writevSync } from 'node:fs';
import {
  AsyncByteQueue,
  RecordBatchStreamWriter,
  type RecordBatch,
  type Schema,
} from 'apache-arrow';

class CollectingSink extends AsyncByteQueue<Uint8Array> {
  chunks: Uint8Array[] = [];
  override write(value: Uint8Array): void {
    if (value.byteLength > 0) this.chunks.push(value);
  }
  take(): Uint8Array[] {
    const c = this.chunks;
    this.chunks = [];
    return c;
  }
}

/** Bytes of the end-of-stream marker: continuation token then a zero length. */
export const END_OF_STREAM = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

export class IpcFdWriter {
  private readonly sink = new CollectingSink();
  private readonly writer = new RecordBatchStreamWriter({ autoDestroy: false });
  /** Bytes written to the file so far (its size, as this writer made it). */
  bytes = 0;

  constructor(
    private readonly fd: number,
    schema: Schema,
  ) {
    this.writer.reset(this.sink as unknown as undefined, schema);
    this.bytes += writeAll(fd, this.sink.take());
  }

  /** Encodes and writes one record batch; returns the bytes it took on disk. */
  writeBatch(batch: RecordBatch): number {
    this.writer.write(batch);
    const n = writeAll(this.fd, this.sink.take());
    this.bytes += n;
    return n;
  }

  sync(): void {
    fsyncSync(this.fd);
  }

  /** Writes the end-of-stream marker (clean end) and closes the file. */
  close(endOfStream: boolean, durable: boolean): void {
    if (endOfStream) this.bytes += writeAll(this.fd, [END_OF_STREAM]);
    if (durable) fsyncSync(this.fd);
    closeSync(this.fd);
  }
}

/**
 * Largest write handed to the kernel at once. Page-cache writes of 1 MiB run at a steady
 * ≈ 5 GB per CPU-second here; 2–4 MiB writes now and then take 2–5 × longer (large folio
 * allocation), so a 4 MiB record batch goes out in 1 MiB pieces. Readers never depended on
 * one call per batch: they take only messages that are complete on disk.
 */
const MAX_WRITE = 1 << 20;

function writeAll(fd: number, chunks: Uint8Array[]): number {
  let total = 0;
  for (const c of chunks) total += c.byteLength;
  let written = 0;
  let pending = chunks;
  while (written < total) {
    const n = writevSync(fd, takeBytes(pending, MAX_WRITE));
    written += n;
    if (written < total) pending = dropBytes(pending, n);
  }
  return total;
}

/** The first `max` bytes of `chunks` (views, no copy). */
function takeBytes(chunks: Uint8Array[], max: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const c of chunks) {
    if (max <= 0) break;
    out.push(c.byteLength <= max ? c : c.subarray(0, max));
    max -= c.byteLength;
  }
  return out;
}

function dropBytes(chunks: Uint8Array[], n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const c of chunks) {
    if (n >= c.byteLength) {
      n -= c.byteLength;
      continue;
    }
    out.push(n > 0 ? c.subarray(n) : c);
    n = 0;
  }
  return out;
}
