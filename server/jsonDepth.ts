// A depth limit for JSON bodies, checked on the raw bytes before they are parsed: a body
// nested thousands of levels deep would otherwise overflow the stack somewhere between
// the parser and the routes (a 500). Used as express.json's `verify` hook.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadRequestError } from './errors.js';

export const MAX_JSON_DEPTH = 64;

/** Depth of the deepest array/object in JSON text (strings skipped); stops past `limit`. */
export function jsonDepth(bytes: Uint8Array, limit = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) max = depth;
      if (max > limit) return max;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

export function checkJsonDepth(_req: IncomingMessage, _res: ServerResponse, buf: Buffer): void {
  if (jsonDepth(buf, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new BadRequestError(`JSON body is nested more than ${MAX_JSON_DEPTH} levels deep`);
  }
}
