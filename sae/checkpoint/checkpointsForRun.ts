// The dictionaries in <workspace>/checkpoints/ trained on a given run (cfg.json's training.runs),
// so `detect <run>` with no flags can use the one the user trained on it. Unreadable or foreign
// folders are skipped: this only finds candidates, it never fails.
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';

const real = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
};

export function checkpointsForRun(workspace: string, runDir: string): string[] {
  const root = join(workspace, 'checkpoints');
  if (!existsSync(root)) return [];
  const want = real(runDir);
  const out: string[] = [];
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    try {
      const cfg = JSON.parse(readFileSync(join(dir, 'cfg.json'), 'utf8')) as { training?: { runs?: { dir?: unknown }[] } };
      const runs = cfg.training?.runs ?? [];
      if (runs.some((r) => typeof r.dir === 'string' && real(r.dir) === want)) out.push(dir);
    } catch {
      // not a dictionary checkpoint (or unreadable): not a candidate
    }
  }
  return out;
}
