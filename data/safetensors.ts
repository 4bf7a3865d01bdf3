// The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-
// endian header length, a JSON header {name: {dtype, shape, data_offsets}}, then raw
// little-endian tensor bytes. Used for dictionary and agent checkpoints.
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from './atomicFile.js';
import { FormatError } from './errors.js';

export type TensorArray = Float32Array | Int32Array | Float64Array | Uint8Array;

export interface NamedTensor {
  data: TensorArray;
  shape: number[];
}

const DTYPES: Record<
  string,
  { ctor: new (b: ArrayBuffer, o: number, n: number) => TensorArray; bytes: number }
> = {
  F32: { ctor: Float32Array, bytes: 4 },
  F64: { ctor: Float64Array, bytes: 8 },
  I32: { ctor: Int32Array, bytes: 4 },
  U8: { ctor: Uint8Array, bytes: 1 },
};

function dtypeOf(a: TensorArray): string {
  if (a instanceof Float32Array) return 'F32';
  if (a instanceof Float64Array) return 'F64';
  if (a instanceof Int32Array) return 'I32';
  return 'U8';
}

export function encodeSafetensors(
  tensors: Record<string, NamedTensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  let offset = 0;
  const names = Object.keys(tensors).sort();
  for (const name of names) {
    const t = tensors[name]!;
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length)
      throw new FormatError(`tensor '${name}' has ${t.data.length} values for shape [${t.shape}]`);
    header[name] = {
      dtype: dtypeOf(t.data),
      shape: t.shape,
      data_offsets: [offset, offset + t.data.byteLength],
    };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + json.length) % 8)) % 8); // align tensor data to 8 bytes
  const headerBytes = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const name of names) {
    const d = tensors[name]!.data;
    out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), at);
    at += d.byteLength;
  }
  return out;
}

export function decodeSafetensors(
  bytes: Uint8Array,
  file = '(buffer)',
): { tensors: Record<string, NamedTensor>; metadata: Record<string, string> } {
  if (bytes.byteLength < 8)
    throw new FormatError(`safetensors file is too short (${bytes.byteLength} bytes)`, { file });
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (n > bytes.byteLength - 8 || n > 100 << 20)
    throw new FormatError(`safetensors header length ${n} exceeds the file`, { file });
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(
      Buffer.from(bytes.buffer, bytes.byteOffset + 8, n).toString('utf8'),
    ) as Record<string, unknown>;
  } catch (err) {
    throw new FormatError(`safetensors header is not JSON: ${(err as Error).message}`, { file });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new FormatError(`safetensors header must be an object`, { file });
  const dataStart = 8 + n;
  const dataLength = bytes.byteLength - dataStart;
  const tensors: Record<string, NamedTensor> = {};
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = raw as Record<string, string>;
      continue;
    }
    const info = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dt = typeof info?.dtype === 'string' ? DTYPES[info.dtype] : undefined;
    if (!dt)
      throw new FormatError(
        `tensor '${name}' has unsupported dtype ${JSON.stringify(info?.dtype)}`,
        { file, column: name },
      );
    const shape = info.shape;
    if (!Array.isArray(shape) || !shape.every((s) => Number.isInteger(s) && s >= 0)) {
      throw new FormatError(`tensor '${name}' has a bad shape ${JSON.stringify(shape)}`, {
        file,
        column: name,
      });
    }
    const off = info.data_offsets;
    if (
      !Array.isArray(off) ||
      off.length !== 2 ||
      !off.every((o) => Number.isInteger(o) && o >= 0) ||
      off[0] > off[1] ||
      off[1] > dataLength
    ) {
      throw new FormatError(`tensor '${name}' has bad data_offsets ${JSON.stringify(off)}`, {
        file,
        column: name,
      });
    }
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (off[1] - off[0] !== count * dt.bytes) {
      throw new FormatError(`tensor '${name}': ${off[1] - off[0]} bytes for shape [${shape}]`, {
        file,
        column: name,
      });
    }
    // Copy into an aligned buffer: typed arrays need aligned offsets.
    const copy = new Uint8Array(count * dt.bytes);
    copy.set(bytes.subarray(dataStart + off[0], dataStart + off[1]));
    tensors[name] = { data: new dt.ctor(copy.buffer, 0, count), shape: shape as number[] };
  }
  return { tensors, metadata };
}

export function writeSafetensors(
  file: string,
  tensors: Record<string, NamedTensor>,
  metadata?: Record<string, string>,
): void {
  writeFileAtomic(file, encodeSafetensors(tensors, metadata));
}

export function readSafetensors(file: string): {
  tensors: Record<string, NamedTensor>;
  metadata: Record<string, string>;
} {
  return decodeSafetensors(readFileSync(file), file);
}
