// Compressed Arrow IPC bodies (pyarrow's `IpcWriteOptions(compression=…)`, polars'
// `write_ipc(compression='zstd')`, and Feather v2 files, which pyarrow compresses with LZ4 unless
// told otherwise): each buffer of a record batch is an 8-byte little-endian uncompressed length (−1:
// stored as is) followed by an LZ4 frame or a Zstandard frame. Reading one is a copy: the batch's
// buffers are decompressed into one fresh body with 8-byte-aligned regions, so zero-copy views of it
// (hidden states as Float32Array) stay aligned.
//
// Importing this module also registers both codecs with apache-arrow's compressionRegistry, so its
// own readers (RecordBatchReader, tableFromIPC: truth tables, the first batch of a stream) decode
// compressed batches too. Zstandard is fzstd's decoder; LZ4 frames are decoded here.
import { CompressionType, compressionRegistry } from 'apache-arrow';
import { decompress as zstdDecompress } from 'fzstd';

const NOT_COMPRESSED = -1n;
const LZ4_FRAME_MAGIC = 0x184d2204;

/** The codec's name as people know it (for errors). */
export function codecName(type: number): string {
  return type === CompressionType.LZ4_FRAME ? 'LZ4 frame' : type === CompressionType.ZSTD ? 'Zstandard' : `codec ${type}`;
}

/** Decompress one buffer's bytes (after the length prefix) with the batch's codec. */
function decode(type: number, bytes: Uint8Array, length?: number): Uint8Array {
  if (type === CompressionType.ZSTD) return zstdDecompress(bytes, length === undefined ? undefined : new Uint8Array(length));
  if (type === CompressionType.LZ4_FRAME) return lz4FrameDecode(bytes, length);
  throw new Error(`unknown Arrow IPC compression ${codecName(type)}`);
}

/**
 * A compressed record batch body as an uncompressed one: the new body and its buffer regions
 * (offsets 8-byte aligned). Throws with a plain message when a buffer does not decode to its
 * stated length.
 */
export function decompressBody(
  type: number,
  body: Uint8Array,
  buffers: readonly { offset: number; length: number }[],
): { body: Uint8Array; buffers: { offset: number; length: number }[] } {
  const parts: Uint8Array[] = [];
  const regions: { offset: number; length: number }[] = [];
  let at = 0;
  for (const { offset, length } of buffers) {
    at = (at + 7) & ~7;
    if (length === 0) {
      parts.push(new Uint8Array(0));
      regions.push({ offset: at, length: 0 });
      continue;
    }
    if (length < 8) throw new Error(`compressed buffer of ${length} bytes has no length prefix`);
    const view = new DataView(body.buffer, body.byteOffset + offset, length);
    const n = view.getBigInt64(0, true);
    const bytes = body.subarray(offset + 8, offset + length);
    let out: Uint8Array;
    if (n === NOT_COMPRESSED) out = bytes;
    else {
      out = decode(type, bytes, Number(n));
      if (out.length !== Number(n)) throw new Error(`a ${codecName(type)} buffer decoded to ${out.length} bytes, its prefix says ${n}`);
    }
    parts.push(out);
    regions.push({ offset: at, length: out.length });
    at += out.length;
  }
  const merged = new Uint8Array((at + 7) & ~7);
  parts.forEach((p, i) => merged.set(p, regions[i]!.offset));
  return { body: merged, buffers: regions };
}

/**
 * One or more concatenated LZ4 frames (the LZ4 frame format, lz4.github.io) decoded; skippable
 * frames are skipped, checksums are not verified. `length`, when known, sizes the output once.
 */
export function lz4FrameDecode(src: Uint8Array, length?: number): Uint8Array {
  let out = new Uint8Array(length ?? Math.max(64, src.length * 4));
  let o = 0;
  /** Room for n more bytes after `at` (the block decoder's own write position). */
  const ensure = (n: number, at = o) => {
    if (at + n <= out.length) return out;
    const grown = new Uint8Array(Math.max(out.length * 2, at + n));
    grown.set(out.subarray(0, at));
    out = grown;
    return out;
  };
  const u32 = (p: number) => (src[p]! | (src[p + 1]! << 8) | (src[p + 2]! << 16) | (src[p + 3]! << 24)) >>> 0;
  let p = 0;
  while (p < src.length) {
    if (p + 4 > src.length) throw new Error('LZ4: truncated frame');
    const magic = u32(p);
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      p += 8 + u32(p + 4); // skippable frame
      continue;
    }
    if (magic !== LZ4_FRAME_MAGIC) throw new Error(`LZ4: bad frame magic 0x${magic.toString(16)}`);
    const flg = src[p + 4]!;
    if (flg >> 6 !== 1) throw new Error(`LZ4: frame version ${flg >> 6} is not 1`);
    const blockChecksum = (flg & 0x10) !== 0;
    const contentSize = (flg & 0x08) !== 0;
    const contentChecksum = (flg & 0x04) !== 0;
    const dictId = (flg & 0x01) !== 0;
    p += 6 + (contentSize ? 8 : 0) + (dictId ? 4 : 0) + 1; // magic, FLG, BD, sizes, header checksum
    for (;;) {
      if (p + 4 > src.length) throw new Error('LZ4: truncated block');
      const word = u32(p);
      p += 4;
      if (word === 0) break; // end mark
      const size = word & 0x7fffffff;
      if (p + size > src.length) throw new Error('LZ4: truncated block');
      if (word & 0x80000000) {
        ensure(size);
        out.set(src.subarray(p, p + size), o);
        o += size;
      } else {
        o = lz4Block(src, p, p + size, ensure, o);
      }
      p += size + (blockChecksum ? 4 : 0);
    }
    if (contentChecksum) p += 4;
  }
  return o === out.length ? out : out.subarray(0, o);
}

/** Decode one LZ4 block src[p, end) to out at o (matches may reach into earlier blocks); returns the new end. */
function lz4Block(src: Uint8Array, p: number, end: number, room: (n: number, at: number) => Uint8Array, o: number): number {
  let out = room(0, o);
  while (p < end) {
    const token = src[p++]!;
    let lit = token >> 4;
    if (lit === 15) {
      let b: number;
      do {
        b = src[p++]!;
        lit += b;
      } while (b === 255);
    }
    if (p + lit > end) throw new Error('LZ4: literals run past the block');
    out = room(lit, o);
    out.set(src.subarray(p, p + lit), o);
    o += lit;
    p += lit;
    if (p >= end) break; // the last sequence has literals only
    const offset = src[p]! | (src[p + 1]! << 8);
    p += 2;
    if (offset === 0 || offset > o) throw new Error('LZ4: match offset out of range');
    let len = (token & 15) + 4;
    if ((token & 15) === 15) {
      let b: number;
      do {
        b = src[p++]!;
        len += b;
      } while (b === 255);
    }
    out = room(len, o);
    let from = o - offset;
    if (offset >= len) {
      out.copyWithin(o, from, from + len);
      o += len;
    } else for (const stop = o + len; o < stop; ) out[o++] = out[from++]!;
  }
  return o;
}

compressionRegistry.set(CompressionType.LZ4_FRAME, { decode: (bytes: Uint8Array) => decode(CompressionType.LZ4_FRAME, bytes) });
compressionRegistry.set(CompressionType.ZSTD, { decode: (bytes: Uint8Array) => decode(CompressionType.ZSTD, bytes) });
