// Which checkpoints the workbench shows, and where each lives. A checkpoint reference is
// what the CLI accepts inside the workspace: a name in <ws>/checkpoints/, or a path
// relative to the workspace ('models/dict-a'). The listing adds the checkpoints that the
// runs' latent codes and conflict reports were made with, wherever in the workspace they
// are. Every path goes through WorkspacePaths.inside, so nothing outside is read.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import { listRuns, NotFoundError, RUNS_DIR } from '../data/index.js';
import { CODES_DIR, CHECKPOINTS_DIR, REPORTS_DIR, WorkspacePaths } from './workspacePaths.js';

const FILES = ['cfg.json', 'model.safetensors', 'split.json', 'metrics.json'];

/** The real folder of a checkpoint reference; throws BadRequest/NotFound. Files in it must stay inside too. */
export function checkpointRefDir(paths: WorkspacePaths, ref: string): string {
  const parts = ref.split('/');
  if (parts.length === 1) {
    const dir = paths.checkpointDir(ref);
    for (const f of FILES) fileInside(paths, [CHECKPOINTS_DIR, ref, f]);
    return dir;
  }
  for (const p of parts) WorkspacePaths.checkName('checkpoint path segment', p);
  let dir: string;
  try {
    dir = paths.inside(...parts);
    paths.inside(...parts, 'cfg.json');
  } catch (err) {
    if (err instanceof NotFoundError) throw new NotFoundError(`no checkpoint '${ref}' in this workspace`);
    throw err;
  }
  for (const f of FILES) fileInside(paths, [...parts, f]);
  return dir;
}

function fileInside(paths: WorkspacePaths, parts: string[]): void {
  try {
    paths.inside(...parts);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
  }
}

/** The reference of a checkpoint folder given as an absolute path, or null when it is outside the workspace. */
export function refOfPath(paths: WorkspacePaths, p: string): string | null {
  if (!isAbsolute(p) || !existsSync(p)) return null;
  let real: string;
  let root: string;
  try {
    real = realpathSync(p);
    root = realpathSync(paths.root);
  } catch {
    return null;
  }
  const rel = relative(root, real);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return null;
  const parts = rel.split(sep);
  if (parts.length === 2 && parts[0] === CHECKPOINTS_DIR) return parts[1]!;
  return parts.join('/');
}

/** Checkpoint references of the workspace: checkpoints/ and those codes and reports name. */
export function listCheckpointRefs(paths: WorkspacePaths): string[] {
  const refs = new Set(paths.checkpointNames());
  for (const run of listRuns(paths.root)) {
    const id = basename(run.dir);
    for (const name of safe(() => paths.codesNames(id), [])) {
      const meta = safe(() => JSON.parse(readFileSync(paths.inside(RUNS_DIR, id, CODES_DIR, `${name}.json`), 'utf8')) as { checkpoint?: unknown } | null, null);
      addRef(paths, refs, meta?.checkpoint);
    }
    for (const name of safe(() => paths.reportNames(id), [])) {
      const rep = safe(() => JSON.parse(readFileSync(paths.inside(RUNS_DIR, id, REPORTS_DIR, name, 'report.json'), 'utf8')) as { detector?: { dictionary?: { checkpoint?: unknown } } } | null, null);
      addRef(paths, refs, rep?.detector?.dictionary?.checkpoint);
    }
  }
  return [...refs].sort();
}

function addRef(paths: WorkspacePaths, refs: Set<string>, p: unknown): void {
  if (typeof p !== 'string') return;
  const ref = refOfPath(paths, p);
  if (ref && existsSync(join(paths.root, ...(ref.includes('/') ? ref.split('/') : [CHECKPOINTS_DIR, ref]), 'cfg.json'))) refs.add(ref);
}

function safe<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}
