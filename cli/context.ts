// What every command gets from the shell: its output streams and the resolved workspace.
// Environment variables are read here and nowhere deeper (STYLE.md, anti-pattern 3).
import { resolve } from 'node:path';
import { DEFAULT_WORKSPACE } from '../data/index.js';

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

export interface GlobalOptions {
  workspace?: string;
  json?: boolean;
  quiet?: boolean;
}

export interface CliContext extends CliIo {
  workspace: string;
  json: boolean;
  quiet: boolean;
  env: NodeJS.ProcessEnv;
}

export function makeContext(io: CliIo, opts: GlobalOptions, env: NodeJS.ProcessEnv): CliContext {
  const workspace = resolve(opts.workspace ?? env.THOUGHTLENS_WORKSPACE ?? DEFAULT_WORKSPACE);
  return { ...io, workspace, json: Boolean(opts.json), quiet: Boolean(opts.quiet), env };
}

/** Prints a result: JSON for --json, otherwise the human text. */
export function emit(ctx: CliContext, value: unknown, human: () => string): void {
  ctx.stdout.write(ctx.json ? JSON.stringify(value, null, 2) + '\n' : human().replace(/\n?$/, '\n'));
}
