// Float32 arrays as base64 (little-endian) inside JSON: exact and about 3× smaller than
// decimal text.
import { DetectorFormatError } from '../errors.js';

export function toBase64F32(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

export function fromBase64F32(s: string, expectedLength: number): Float32Array {
  const buf = Buffer.from(s, 'base64');
  if (buf.byteLength !== expectedLength * 4) {
    throw new DetectorFormatError(`array has ${buf.byteLength / 4} floats, expected ${expectedLength}`);
  }
  const out = new Float32Array(expectedLength);
  new Uint8Array(out.buffer).set(buf);
  return out;
}
