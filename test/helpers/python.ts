// Runs small Python scripts (pyarrow, polars, safetensors) from tests, and tells whether the
// modules they need are installed so tests can skip with a clear reason when not.
import { spawnSync } from 'node:child_process';
import { ciRequires } from './ciRequires.js';

const cache = new Map<string, string | null>();

/**
 * null when `python3` can import every module; otherwise why not (for a skip reason).
 * Under THOUGHTLENS_CI=1 (.ci/run, which installs them) a missing module throws instead, so
 * the suite fails rather than passing on skipped interop tests (ciRequires.ts).
 */
export function pythonMissing(...modules: string[]): string | null {
  return ciRequires(pythonMissingHere(modules));
}

function pythonMissingHere(modules: string[]): string | null {
  const key = modules.join(',');
  if (!cache.has(key)) {
    const r = spawnSync('python3', ['-c', modules.map((m) => `import ${m}`).join('; ')], {
      encoding: 'utf8',
    });
    cache.set(
      key,
      r.error
        ? `python3 is not available (${r.error.message})`
        : r.status !== 0
          ? `python3 cannot import ${key}: ${lastLine(r.stderr)}`
          : null,
    );
  }
  return cache.get(key)!;
}

/** Runs a Python script with arguments; returns stdout, throws with stderr on failure. */
export function runPython(script: string, args: string[] = []): string {
  const r = spawnSync('python3', ['-c', script, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`python3 failed (exit ${r.status}):\n${r.stderr}`);
  return r.stdout;
}

function lastLine(s: string): string {
  const lines = s.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}
