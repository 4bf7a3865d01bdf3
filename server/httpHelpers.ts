// Small helpers routes share: ranged reads, content negotiation for Arrow, query numbers.
import type { Request, Response } from 'express';
import { tableToIPC, type Table } from 'apache-arrow';
import { BadRequestError } from './errors.js';
import { ARROW_STREAM_TYPE } from './protocol.js';

/** Largest page of rows one ranged read returns. */
export const MAX_PAGE_ROWS = 200_000;

export function wantsArrow(req: Request): boolean {
  return (req.headers.accept ?? '').includes(ARROW_STREAM_TYPE);
}

export function sendArrow(res: Response, table: Table): void {
  const bytes = tableToIPC(table, 'stream');
  res.setHeader('Content-Type', ARROW_STREAM_TYPE);
  res.setHeader('Content-Length', String(bytes.byteLength));
  res.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

export function intParam(req: Request, name: string, dflt: number, min: number, max: number): number {
  const raw = req.query[name];
  if (raw === undefined || raw === '') return dflt;
  if (typeof raw !== 'string' || !/^-?\d+$/.test(raw)) throw new BadRequestError(`query parameter '${name}' must be an integer, got ${JSON.stringify(raw).slice(0, 40)}`);
  const v = Number(raw);
  if (v < min || v > max) throw new BadRequestError(`query parameter '${name}' must be in ${min}..${max}, got ${v}`);
  return v;
}

/** Rows [from, to) asked for with ?from=&to=, clamped to what exists and to one page. */
export function rowRange(req: Request, total: number, maxRows = MAX_PAGE_ROWS): { from: number; to: number } {
  const from = intParam(req, 'from', 0, 0, Number.MAX_SAFE_INTEGER);
  const to = intParam(req, 'to', total, 0, Number.MAX_SAFE_INTEGER);
  if (to < from) throw new BadRequestError(`'to' (${to}) must not be smaller than 'from' (${from})`);
  const f = Math.min(from, total);
  return { from: f, to: Math.min(to, total, f + maxRows) };
}

/** Route parameter as a string (express 5 gives string | string[]). */
export function param(req: Request, name: string): string {
  const v = (req.params as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v.join('/') : (v ?? '');
}
