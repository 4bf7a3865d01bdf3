// Where `record <source>` writes: --out as a run id in the workspace or a path to a folder,
// or by default a fresh id `<prefix>-YYYYMMDD-HHMMSS` (UTC) under the workspace's runs/.
import { existsSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import { runDirFor } from '../../data/index.js';

export function recordOutDir(workspace: string, out: string | undefined, prefix: string, now = new Date()): { dir: string; id: string } {
  if (out !== undefined) {
    if (isAbsolute(out) || out.includes('/') || out.includes('\\') || out.startsWith('.')) {
      const dir = resolve(out);
      return { dir, id: basename(dir) };
    }
    return { dir: runDirFor(workspace, out), id: out };
  }
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  let id = `${prefix}-${stamp}`;
  for (let i = 2; existsSync(runDirFor(workspace, id)); i++) id = `${prefix}-${stamp}-${i}`;
  return { dir: runDirFor(workspace, id), id };
}
