// Runs Python with the repository's own package (python/thoughtlens) first on the path, so
// tests exercise the working tree, not an installed copy. `blockTorch` puts a sitecustomize
// first that makes `import torch` fail, as on a machine without torch.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const PYTHON_PACKAGE = join(REPO_ROOT, 'python');

export interface PythonRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface PackagePythonOptions {
  blockTorch?: boolean;
  cwd?: string;
  env?: Record<string, string>;
}

const BLOCK_TORCH = `import sys
class _NoTorch:
    def find_spec(self, name, path=None, target=None):
        if name == "torch" or name.startswith("torch."):
            raise ImportError(f"No module named '{name}' (blocked by the test's sitecustomize)")
        return None
sys.meta_path.insert(0, _NoTorch())
`;

let blockDir: string | null = null;
function torchBlocker(): string {
  if (!blockDir) {
    blockDir = mkdtempSync(join(tmpdir(), 'tl-notorch-'));
    writeFileSync(join(blockDir, 'sitecustomize.py'), BLOCK_TORCH);
  }
  return blockDir;
}

function env(o: PackagePythonOptions): NodeJS.ProcessEnv {
  const path = [...(o.blockTorch ? [torchBlocker()] : []), PYTHON_PACKAGE, process.env.PYTHONPATH].filter(Boolean).join(delimiter);
  return { ...process.env, PYTHONPATH: path, PYTHONDONTWRITEBYTECODE: '1', TRANSFORMERS_VERBOSITY: 'error', HF_HUB_OFFLINE: '1', ...o.env };
}

/** python3 with `args` (e.g. ['-c', script] or ['-m', 'thoughtlens', …]); never throws on a non-zero exit. */
export function runPackagePython(args: string[], o: PackagePythonOptions = {}): PythonRun {
  const r = spawnSync('python3', args, { encoding: 'utf8', env: env(o), cwd: o.cwd, maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same, asynchronously: for scripts that talk to a server running in this process. */
export function runPackagePythonAsync(args: string[], o: PackagePythonOptions = {}): Promise<PythonRun> {
  return new Promise((done, fail) => {
    const child = spawn('python3', args, { env: env(o), cwd: o.cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

/** The last stdout line as JSON, or an error that shows what Python printed. */
export function lastJson<T>(r: PythonRun): T {
  if (r.status !== 0) throw new Error(`python3 exited ${r.status}:\n${r.stderr}\n${r.stdout}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as T;
}
