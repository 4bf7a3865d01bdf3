// The one place where errors become exit codes and messages (STYLE.md: codes map in one
// CLI function). Unknown errors are bugs: their stack goes to stderr with exit code 70.
import { ThoughtlensError } from '../data/index.js';
import type { CliIo } from './context.js';

export const EXIT = {
  ok: 0,
  usage: 2,
  notFound: 3,
  badData: 4,
  interrupted: 130,
  internal: 70,
} as const;

const BY_CODE: Record<string, number> = {
  TL_USAGE: EXIT.usage,
  TL_CONFIG: EXIT.usage,
  TL_NOT_FOUND: EXIT.notFound,
  TL_FORMAT: EXIT.badData,
  TL_VERSION: EXIT.badData,
  TL_SCHEMA_MISMATCH: EXIT.badData,
  TL_BAD_VALUE: EXIT.badData,
  TL_BACKEND: EXIT.usage,
  TL_CHECKPOINT: EXIT.badData,
  TL_INTERRUPTED: EXIT.interrupted,
};

export function exitCodeFor(err: unknown): number {
  if (err instanceof ThoughtlensError) return BY_CODE[err.code] ?? EXIT.badData;
  if (isCommanderError(err)) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  return EXIT.internal;
}

export function reportError(io: CliIo, err: unknown, json: boolean): number {
  const code = exitCodeFor(err);
  if (isCommanderError(err)) return code; // commander already printed its message
  if (json) {
    const e = err as Partial<ThoughtlensError>;
    io.stdout.write(JSON.stringify({ error: { code: e.code ?? 'TL_INTERNAL', message: e.message, location: e.location } }) + '\n');
  }
  if (err instanceof ThoughtlensError) io.stderr.write(`thoughtlens: error: ${err.message}\n`);
  else io.stderr.write(`thoughtlens: internal error (a bug; please report it):\n${(err as Error)?.stack ?? String(err)}\n`);
  return code;
}

function isCommanderError(err: unknown): err is { code: string; exitCode: number } {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string' &&
    (err as { code: string }).code.startsWith('commander.');
}
