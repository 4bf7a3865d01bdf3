// The workspace: one folder holding runs (and later checkpoints and reports).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { NotFoundError, ThoughtlensError, UsageError } from './errors.js';
import { ID_PATTERN, MANIFEST_FILE } from './format.js';
import type { RunSource } from './manifest.js';
import { RunReader, type EffectiveStatus } from './runReader.js';

export const DEFAULT_WORKSPACE = 'thoughtlens-workspace';
export const RUNS_DIR = 'runs';

export interface RunEntry {
  id: string;
  dir: string;
  status: EffectiveStatus | 'unreadable';
  createdAt?: string;
  updatedAt?: string;
  source?: RunSource;
  agents: { id: string; hiddenSize: number; rows: number }[];
  bytes: number;
  /** Why the run could not be read, for unreadable entries. */
  error?: string;
}

export function runsDir(workspace: string): string {
  return join(resolve(workspace), RUNS_DIR);
}

/** Where a run with this id lives in the workspace. */
export function runDirFor(workspace: string, id: string): string {
  if (!ID_PATTERN.test(id)) throw new UsageError(`run id '${id}' must match ${ID_PATTERN}`);
  return join(runsDir(workspace), id);
}

/** A run given as an id in the workspace, or as a path to a run folder. */
export function resolveRunRef(workspace: string, ref: string): string {
  const asPath = isAbsolute(ref) || ref.includes('/') || ref.startsWith('.') ? resolve(ref) : null;
  if (asPath && existsSync(join(asPath, MANIFEST_FILE))) return asPath;
  if (ID_PATTERN.test(ref)) {
    const dir = runDirFor(workspace, ref);
    if (existsSync(join(dir, MANIFEST_FILE))) return dir;
  }
  if (existsSync(join(resolve(ref), MANIFEST_FILE))) return resolve(ref);
  throw new NotFoundError(
    `no run '${ref}': not a run folder, and not a run id in workspace ${resolve(workspace)}`,
  );
}

/** Lists the runs of a workspace, newest first. Broken runs are listed with their error. */
export function listRuns(workspace: string): RunEntry[] {
  const dir = runsDir(workspace);
  if (!existsSync(dir)) return [];
  const entries: RunEntry[] = [];
  for (const name of readdirSync(dir)) {
    const runDir = join(dir, name);
    if (!statSync(runDir).isDirectory() || !existsSync(join(runDir, MANIFEST_FILE))) continue;
    entries.push(describeRun(runDir, name));
  }
  return entries.sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
}

export function describeRun(runDir: string, fallbackId = runDir): RunEntry {
  try {
    const run = new RunReader(runDir);
    const m = run.manifest;
    return {
      id: m.id,
      dir: run.dir,
      status: run.effectiveStatus(),
      createdAt: m.createdAt,
      updatedAt: m.updatedAt,
      source: m.source,
      agents: m.agents.map((a) => ({
        id: a.id,
        hiddenSize: a.hiddenSize,
        rows: m.counts[a.id]?.rows ?? 0,
      })),
      bytes: Object.values(m.counts).reduce((s, c) => s + c.bytes, 0),
    };
  } catch (err) {
    if (!(err instanceof ThoughtlensError)) throw err;
    return {
      id: fallbackId,
      dir: runDir,
      status: 'unreadable',
      agents: [],
      bytes: 0,
      error: err.message,
    };
  }
}
