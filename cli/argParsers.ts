// Parsers of numeric command-line values for commander options: one definition each, shared by
// every command (a bad value is commander's usage error, exit 2).
import { InvalidArgumentError } from 'commander';
import { UsageError } from '../data/index.js';

/** An integer (any sign). */
export function intArg(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n)) throw new InvalidArgumentError('expected an integer');
  return n;
}

/** A finite number. */
export function floatArg(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
}

/** An option given as a string (commander without a parser): undefined stays undefined, anything not a finite number is a usage error naming the flag. */
export function optionalNumber(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x)) throw new UsageError(`${flag} must be a number, got '${v}'`);
  return x;
}
