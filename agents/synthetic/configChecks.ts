// Field checks of the synthetic config: each throws a SyntheticConfigError naming the field.
import { SyntheticConfigError } from './errors.js';

type Interval = 'closed' | 'open' | 'left-open' | 'right-open';

export function num(v: unknown, field: string, lo: number, hi: number, interval: Interval = 'closed'): number {
  const loOk = (x: number) => (interval === 'open' || interval === 'left-open' ? x > lo : x >= lo);
  const hiOk = (x: number) => (interval === 'open' || interval === 'right-open' ? x < hi : x <= hi);
  if (typeof v !== 'number' || !Number.isFinite(v) || !loOk(v) || !hiOk(v)) {
    const l = interval === 'open' || interval === 'left-open' ? '(' : '[';
    const r = interval === 'open' || interval === 'right-open' ? ')' : ']';
    throw new SyntheticConfigError(field, `must be a number in ${l}${lo}, ${hi}${r}, got ${show(v)}`);
  }
  return v;
}

export function int(v: unknown, field: string, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new SyntheticConfigError(field, `must be an integer in ${lo}..${hi}, got ${show(v)}`);
  }
  return v;
}

export function obj(v: unknown, field: string, keys: string[]): Record<string, unknown> {
  if (v === undefined) return {};
  if (!isObject(v)) throw new SyntheticConfigError(field, 'must be an object');
  checkKeys(v, keys, `${field}.`);
  return v;
}

export function checkKeys(v: object, keys: string[], prefix: string): void {
  for (const k of Object.keys(v)) {
    if (!keys.includes(k)) throw new SyntheticConfigError(`${prefix}${k}`, `is not a known field (known: ${keys.join(', ')})`);
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + '...' : s;
}

export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}
