// Reads a PyTorch state dict saved with torch.save (the zip format of torch ≥ 1.6: a
// pickle `data.pkl` whose tensors point at raw little-endian storages `data/<key>`), without
// Python. Only what a state dict needs is understood: dicts (OrderedDict), tuples, lists,
// numbers, strings, and tensors rebuilt by torch._utils._rebuild_tensor_v2 /
// _rebuild_parameter from Float/Double/Half/BFloat16/Int/Long/Short/Byte/Bool storages.
// Any other global is refused by name (nothing in the file is executed).
import { readFileSync } from 'node:fs';
import { FormatError } from './errors.js';
import type { NamedTensor } from './safetensors.js';

interface ZipEntry {
  name: string;
  offset: number; // of the data
  size: number;
}

function zipEntries(buf: Buffer, file: string): Map<string, ZipEntry> {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new FormatError(`not a torch.save zip file (no end of central directory)`, { file });
  let count = buf.readUInt16LE(eocd + 10);
  let cd = buf.readUInt32LE(eocd + 16);
  if (cd === 0xffffffff || count === 0xffff) {
    const loc = eocd - 20;
    if (loc < 0 || buf.readUInt32LE(loc) !== 0x07064b50) throw new FormatError(`zip64 locator missing`, { file });
    const z64 = Number(buf.readBigUInt64LE(loc + 8));
    count = Number(buf.readBigUInt64LE(z64 + 32));
    cd = Number(buf.readBigUInt64LE(z64 + 48));
  }
  const out = new Map<string, ZipEntry>();
  let p = cd;
  for (let e = 0; e < count; e++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new FormatError(`corrupt zip central directory`, { file });
    const method = buf.readUInt16LE(p + 10);
    let size = buf.readUInt32LE(p + 20); // compressed = uncompressed size: entries are stored
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    let local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    // zip64 extra field: the 64-bit values of the fields that are 0xffffffff, in order.
    let x = p + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = buf.readUInt16LE(x);
      const len = buf.readUInt16LE(x + 2);
      if (id === 1) {
        let q = x + 4;
        if (buf.readUInt32LE(p + 24) === 0xffffffff) q += 8; // uncompressed size (equal to the compressed one)
        if (buf.readUInt32LE(p + 20) === 0xffffffff) {
          size = Number(buf.readBigUInt64LE(q));
          q += 8;
        }
        if (local === 0xffffffff) local = Number(buf.readBigUInt64LE(q));
      }
      x += 4 + len;
    }
    if (method !== 0) throw new FormatError(`zip entry '${name}' is compressed (method ${method}); torch.save writes stored entries`, { file });
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    out.set(name, { name, offset: dataAt, size });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

type PyValue = unknown;
interface Global {
  global: string;
}
interface StorageRef {
  storage: string;
  dtype: string;
  numel: number;
}
class Tensor {
  constructor(readonly t: NamedTensor) {}
}

const STORAGES: Record<string, string> = {
  FloatStorage: 'F32',
  DoubleStorage: 'F64',
  HalfStorage: 'F16',
  BFloat16Storage: 'BF16',
  IntStorage: 'I32',
  LongStorage: 'I64',
  ShortStorage: 'I16',
  ByteStorage: 'U8',
  BoolStorage: 'U8',
  CharStorage: 'I8',
};

/** Tensors of a torch.save'd state dict, by name; non-tensor entries are returned in `other`. */
export function readTorchStateDict(file: string): { tensors: Record<string, NamedTensor>; other: string[] } {
  const buf = readFileSync(file);
  if (buf.readUInt32LE(0) !== 0x04034b50) {
    throw new FormatError(`not a zip-format torch.save file (legacy torch < 1.6 pickles are not read: re-save with a recent torch)`, { file });
  }
  const entries = zipEntries(buf, file);
  const pkl = [...entries.values()].find((e) => e.name.endsWith('/data.pkl') || e.name === 'data.pkl');
  if (!pkl) throw new FormatError(`no data.pkl in the torch.save archive`, { file });
  const prefix = pkl.name.slice(0, pkl.name.length - 'data.pkl'.length);
  const storages = new Map<string, Buffer>();
  const storage = (key: string): Buffer => {
    let b = storages.get(key);
    if (!b) {
      const e = entries.get(`${prefix}data/${key}`);
      if (!e) throw new FormatError(`storage '${key}' is missing from the archive`, { file });
      b = buf.subarray(e.offset, e.offset + e.size);
      storages.set(key, b);
    }
    return b;
  };
  const root = unpickle(buf.subarray(pkl.offset, pkl.offset + pkl.size), file, (ref, offset, size, stride) => new Tensor(tensorFrom(storage(ref.storage), ref.dtype, offset, size, stride, file)));
  if (!(root instanceof Map)) throw new FormatError(`the pickle is not a state dict (a dict of tensors)`, { file });
  const tensors: Record<string, NamedTensor> = {};
  const other: string[] = [];
  for (const [k, v] of root) {
    if (v instanceof Tensor) tensors[String(k)] = v.t;
    else other.push(String(k));
  }
  return { tensors, other };
}

function tensorFrom(raw: Buffer, dtype: string, offset: number, size: number[], stride: number[], file: string): NamedTensor {
  const n = size.reduce((a, b) => a * b, 1);
  const bytes = { F32: 4, F64: 8, F16: 2, BF16: 2, I32: 4, I64: 8, I16: 2, U8: 1, I8: 1 }[dtype]!;
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const read = (i: number): number => {
    const at = i * bytes;
    switch (dtype) {
      case 'F32':
        return dv.getFloat32(at, true);
      case 'F64':
        return dv.getFloat64(at, true);
      case 'F16':
        return half(dv.getUint16(at, true));
      case 'BF16':
        return new Float32Array(new Uint32Array([dv.getUint16(at, true) << 16]).buffer)[0]!;
      case 'I32':
        return dv.getInt32(at, true);
      case 'I64':
        return Number(dv.getBigInt64(at, true));
      case 'I16':
        return dv.getInt16(at, true);
      case 'I8':
        return dv.getInt8(at);
      default:
        return dv.getUint8(at);
    }
  };
  const data = dtype === 'F64' ? new Float64Array(n) : dtype === 'I32' || dtype === 'I64' || dtype === 'I16' || dtype === 'I8' ? new Int32Array(n) : dtype === 'U8' ? new Uint8Array(n) : new Float32Array(n);
  const idx = new Array<number>(size.length).fill(0);
  const maxIndex = raw.byteLength / bytes;
  for (let i = 0; i < n; i++) {
    let s = offset;
    for (let k = 0; k < size.length; k++) s += idx[k]! * stride[k]!;
    if (s >= maxIndex) throw new FormatError(`tensor reaches past its storage (element ${s} of ${maxIndex})`, { file });
    const v = read(s);
    if (dtype === 'I64' && (v > 2147483647 || v < -2147483648)) throw new FormatError(`int64 value ${v} does not fit in int32`, { file });
    data[i] = v;
    for (let k = size.length - 1; k >= 0; k--) {
      if (++idx[k]! < size[k]!) break;
      idx[k] = 0;
    }
  }
  return { data, shape: size };
}

function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

type Rebuild = (ref: StorageRef, offset: number, size: number[], stride: number[]) => Tensor;

function unpickle(b: Buffer, file: string, rebuild: Rebuild): PyValue {
  const stack: PyValue[] = [];
  const marks: number[] = [];
  const memo = new Map<number, PyValue>();
  let p = 0;
  const popMark = (): PyValue[] => {
    const m = marks.pop();
    if (m === undefined) throw new FormatError(`pickle: MARK missing`, { file });
    return stack.splice(m);
  };
  const fail = (what: string): never => {
    throw new FormatError(`pickle: ${what} (not a plain state dict of tensors)`, { file });
  };
  const call = (fn: PyValue, args: PyValue[]): PyValue => {
    const name = (fn as Global).global;
    switch (name) {
      case 'collections OrderedDict':
        return new Map();
      case 'torch._utils _rebuild_tensor_v2':
      case 'torch._utils _rebuild_tensor': {
        const [ref, offset, size, stride] = args as [StorageRef, number, number[], number[]];
        if (!ref || typeof ref !== 'object' || !('storage' in ref)) fail('tensor without a storage');
        return rebuild(ref, offset, size, stride);
      }
      case 'torch._utils _rebuild_parameter':
      case 'torch.nn.parameter Parameter':
        return args[0];
      default:
        return fail(`unsupported global '${name}'`);
    }
  };
  for (;;) {
    if (p >= b.length) fail('truncated');
    const op = b[p++]!;
    switch (op) {
      case 0x80: // PROTO
        p++;
        break;
      case 0x95: // FRAME
        p += 8;
        break;
      case 0x2e: // STOP
        return stack.pop();
      case 0x63: {
        // GLOBAL 'module\nname\n'
        const e1 = b.indexOf(0x0a, p);
        const e2 = b.indexOf(0x0a, e1 + 1);
        stack.push({ global: `${b.toString('utf8', p, e1)} ${b.toString('utf8', e1 + 1, e2)}` });
        p = e2 + 1;
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const n = stack.pop() as string;
        const m = stack.pop() as string;
        stack.push({ global: `${m} ${n}` });
        break;
      }
      case 0x71: // BINPUT
        memo.set(b[p++]!, stack[stack.length - 1]);
        break;
      case 0x72: // LONG_BINPUT
        memo.set(b.readUInt32LE(p), stack[stack.length - 1]);
        p += 4;
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, stack[stack.length - 1]);
        break;
      case 0x68: // BINGET
        stack.push(memo.get(b[p++]!));
        break;
      case 0x6a: // LONG_BINGET
        stack.push(memo.get(b.readUInt32LE(p)));
        p += 4;
        break;
      case 0x28: // MARK
        marks.push(stack.length);
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x74: // TUPLE
        stack.push(popMark());
        break;
      case 0x85: // TUPLE1
        stack.push([stack.pop()]);
        break;
      case 0x86: {
        const y = stack.pop();
        stack.push([stack.pop(), y]);
        break;
      }
      case 0x87: {
        const z = stack.pop();
        const y = stack.pop();
        stack.push([stack.pop(), y, z]);
        break;
      }
      case 0x58: {
        // BINUNICODE
        const n = b.readUInt32LE(p);
        stack.push(b.toString('utf8', p + 4, p + 4 + n));
        p += 4 + n;
        break;
      }
      case 0x8c: {
        // SHORT_BINUNICODE
        const n = b[p]!;
        stack.push(b.toString('utf8', p + 1, p + 1 + n));
        p += 1 + n;
        break;
      }
      case 0x4b: // BININT1
        stack.push(b[p++]!);
        break;
      case 0x4d: // BININT2
        stack.push(b.readUInt16LE(p));
        p += 2;
        break;
      case 0x4a: // BININT
        stack.push(b.readInt32LE(p));
        p += 4;
        break;
      case 0x8a: {
        // LONG1
        const n = b[p]!;
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[p + 1 + i]!);
        if (n > 0 && b[p + n]! & 0x80) v -= 1n << BigInt(8 * n);
        stack.push(Number(v));
        p += 1 + n;
        break;
      }
      case 0x47: // BINFLOAT (big-endian)
        stack.push(b.readDoubleBE(p));
        p += 8;
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x51: {
        // BINPERSID: ('storage', storage_type, key, location, numel)
        const pid = stack.pop() as PyValue[];
        if (!Array.isArray(pid) || pid[0] !== 'storage') fail('unknown persistent id');
        const type = ((pid[1] as Global).global ?? '').split(' ').pop()!;
        const dtype = STORAGES[type] ?? fail(`unsupported storage type '${type}'`);
        stack.push({ storage: String(pid[2]), dtype, numel: Number(pid[4]) } satisfies StorageRef);
        break;
      }
      case 0x52: {
        // REDUCE
        const args = stack.pop() as PyValue[];
        const fn = stack.pop();
        stack.push(call(fn, args));
        break;
      }
      case 0x81: {
        // NEWOBJ
        const args = stack.pop() as PyValue[];
        const cls = stack.pop();
        stack.push(call(cls, args));
        break;
      }
      case 0x62: // BUILD: set state (OrderedDict _metadata): ignored
        stack.pop();
        break;
      case 0x73: {
        // SETITEM
        const v = stack.pop();
        const k = stack.pop();
        (stack[stack.length - 1] as Map<PyValue, PyValue>).set(k, v);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        const d = stack[stack.length - 1] as Map<PyValue, PyValue>;
        if (!(d instanceof Map)) fail('SETITEMS on a non-dict');
        for (let i = 0; i < items.length; i += 2) d.set(items[i], items[i + 1]);
        break;
      }
      case 0x61: {
        // APPEND
        const v = stack.pop();
        (stack[stack.length - 1] as PyValue[]).push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        (stack[stack.length - 1] as PyValue[]).push(...items);
        break;
      }
      default:
        fail(`unsupported opcode 0x${op.toString(16)} at byte ${p - 1}`);
    }
  }
}
