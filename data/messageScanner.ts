// Walks the framing of an Arrow IPC stream on disk without trusting that it is complete:
// each message is a continuation token, a metadata length, flatbuffer metadata and a body.
// A message that runs past the end of the file is reported as incomplete (torn while being
// written, or still being written), never decoded.
import { readSync } from 'node:fs';
import { Message, MessageHeader } from 'apache-arrow';
import { FormatError } from './errors.js';
import { verifyMessageMetadata } from './ipcVerify.js';

export type ScanResult =
  | {
      kind: 'message';
      offset: number;
      headerBytes: number;
      bodyLength: number;
      end: number;
      message: Message;
    }
  | { kind: 'end-of-stream'; offset: number; end: number }
  | { kind: 'incomplete'; offset: number; available: number; reason: string }
  | { kind: 'eof'; offset: number };

const prefix = new Uint8Array(8);
const prefixView = new DataView(prefix.buffer);

/** Reads the message that starts at `offset` in a file of `size` bytes. */
export function scanMessage(fd: number, offset: number, size: number, file: string): ScanResult {
  const available = size - offset;
  if (available <= 0) return { kind: 'eof', offset };
  if (available < 4)
    return { kind: 'incomplete', offset, available, reason: 'message prefix cut short' };
  readExactly(fd, prefix, 0, Math.min(8, available), offset);
  let token = prefixView.getInt32(0, true);
  let prefixBytes = 4;
  if (token === -1) {
    if (available < 8)
      return { kind: 'incomplete', offset, available, reason: 'message length cut short' };
    token = prefixView.getInt32(4, true);
    prefixBytes = 8;
  }
  if (token === 0) return { kind: 'end-of-stream', offset, end: offset + prefixBytes };
  if (token < 0 || token > 64 << 20) {
    throw new FormatError(
      `corrupt Arrow stream: message metadata length ${token} at byte ${offset}`,
      { file },
    );
  }
  const headerBytes = prefixBytes + token;
  if (available < headerBytes) {
    return {
      kind: 'incomplete',
      offset,
      available,
      reason: `message metadata cut short (${available} of ${headerBytes} bytes)`,
    };
  }
  const meta = new Uint8Array(token);
  readExactly(fd, meta, 0, token, offset + prefixBytes);
  verifyMessageMetadata(meta, file, offset);
  let message: Message;
  try {
    message = Message.decode(meta);
  } catch (err) {
    throw new FormatError(
      `corrupt Arrow message metadata at byte ${offset}: ${(err as Error).message}`,
      { file },
    );
  }
  const bodyLength = Number(message.bodyLength);
  if (!Number.isSafeInteger(bodyLength) || bodyLength < 0) {
    throw new FormatError(
      `corrupt Arrow message: body length ${message.bodyLength} at byte ${offset}`,
      { file },
    );
  }
  const end = offset + headerBytes + bodyLength;
  if (end > size) {
    return {
      kind: 'incomplete',
      offset,
      available,
      reason: `${MessageHeader[message.headerType] ?? 'message'} body cut short (${available} of ${end - offset} bytes)`,
    };
  }
  return { kind: 'message', offset, headerBytes, bodyLength, end, message };
}

export function readExactly(
  fd: number,
  into: Uint8Array,
  at: number,
  length: number,
  position: number,
): void {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, into, at + done, length - done, position + done);
    if (n === 0) throw new FormatError(`unexpected end of file at byte ${position + done}`);
    done += n;
  }
}

/** Decoded header of a message, with decoder failures turned into FormatErrors. */
export function decodeHeader<T>(message: Message, file: string, offset: number): T {
  try {
    return message.header() as T;
  } catch (err) {
    throw new FormatError(
      `corrupt Arrow message header at byte ${offset}: ${(err as Error).message}`,
      { file },
    );
  }
}

interface BatchHeader {
  length: number;
  nodes: { length: number; nullCount: number }[];
  buffers: { offset: number; length: number }[];
}

/**
 * Row count of a record batch message, after checking that its field lengths and buffer
 * regions fit inside its body. A corrupt length would otherwise make the Arrow decoder
 * allocate gigabytes before noticing anything.
 */
export function checkedBatchLength(
  message: Message,
  bodyLength: number,
  file: string,
  offset: number,
): number {
  const h = decodeHeader<BatchHeader>(message, file, offset);
  const length = Number(h.length);
  // Every supported type spends at least one bit per value in some buffer.
  const maxValues = bodyLength * 8 + 64;
  const bad = (what: string): never => {
    throw new FormatError(`corrupt record batch at byte ${offset}: ${what}`, { file });
  };
  if (!Number.isSafeInteger(length) || length < 0 || length > maxValues)
    bad(`row count ${h.length} does not fit its ${bodyLength}-byte body`);
  for (const n of h.nodes) {
    const nl = Number(n.length);
    const nn = Number(n.nullCount);
    if (!Number.isSafeInteger(nl) || nl < 0 || nl > maxValues)
      bad(`field length ${n.length} does not fit its ${bodyLength}-byte body`);
    if (!Number.isSafeInteger(nn) || nn < 0 || nn > nl)
      bad(`null count ${n.nullCount} of a field with ${n.length} values`);
  }
  for (const b of h.buffers) {
    const o = Number(b.offset);
    const l = Number(b.length);
    if (
      !Number.isSafeInteger(o) ||
      !Number.isSafeInteger(l) ||
      o < 0 ||
      l < 0 ||
      o + l > bodyLength
    ) {
      bad(`buffer [${b.offset}, +${b.length}) lies outside its ${bodyLength}-byte body`);
    }
  }
  return length;
}

/** "ARROW1": the magic of Arrow's IPC *file* format (at the start and the end of the file). */
const FILE_MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31];

/**
 * Where the messages of an Arrow IPC file on disk lie. A stream starts at byte 0 and runs
 * to the end; a file in Arrow's *file* format (pyarrow `ipc.new_file`, magic ARROW1) holds
 * the same messages after an 8-byte header and before its footer, so it is read as the
 * stream inside it. Returns null while the file is too short to tell.
 */
export function ipcLayout(fd: number, size: number): { start: number; end: number; file: boolean } {
  if (size < 6) return { start: 0, end: size, file: false };
  const head = new Uint8Array(6);
  readExactly(fd, head, 0, 6, 0);
  if (!FILE_MAGIC.every((b, i) => head[i] === b)) return { start: 0, end: size, file: false };
  // footer: <flatbuffer Footer> <int32 footer length> "ARROW1"
  if (size >= 8 + 10) {
    const tail = new Uint8Array(10);
    readExactly(fd, tail, 0, 10, size - 10);
    const len = new DataView(tail.buffer).getInt32(0, true);
    if (FILE_MAGIC.every((b, i) => tail[4 + i] === b) && len > 0 && len <= size - 18) {
      return { start: 8, end: size - 10 - len, file: true };
    }
  }
  return { start: 8, end: size, file: true };
}

/** True when the bytes start with the Arrow *file* format's magic (ARROW1). */
export function isArrowFileMagic(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 6 && FILE_MAGIC.every((b, i) => bytes[i] === b);
}
