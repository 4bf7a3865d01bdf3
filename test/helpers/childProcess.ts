// Spawns TypeScript scripts as real child processes (node --import tsx) and waits for
// lines they print, for tests of cross-process behaviour (tailing, kill -9).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Child {
  proc: ChildProcess;
  lines: string[];
  /** Resolves with the first line matching `re` (or rejects after `timeoutMs`). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves when the process has exited (and been reaped). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

export function spawnTs(script: string, args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let err = '';
  let partial = '';
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (waiters[i]!.re.test(line)) waiters.splice(i, 1)[0]!.resolve(line);
      }
    }
  });
  proc.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    proc.on('exit', (code, signal) => res({ code, signal })),
  );
  return {
    proc,
    lines,
    exited,
    stderr: () => err,
    waitFor(re, timeoutMs = 20_000) {
      const seen = lines.find((l) => re.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((res, rej) => {
        const t = setTimeout(
          () => rej(new Error(`child did not print ${re} within ${timeoutMs} ms; stderr:\n${err}`)),
          timeoutMs,
        );
        waiters.push({ re, resolve: (l) => (clearTimeout(t), res(l)) });
        void exited.then(() =>
          setTimeout(
            () => rej(new Error(`child exited before printing ${re}; stderr:\n${err}`)),
            50,
          ),
        );
      });
    },
  };
}
