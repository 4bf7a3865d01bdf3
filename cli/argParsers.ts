// Parsers of numeric command-line values for commander options: one definition each, shared by
// every command (a bad value is commander's usage error, exit 2).
import { InvalidArgumentError } from 'commander';

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
