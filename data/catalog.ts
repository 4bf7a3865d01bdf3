// The workspace: one folder holding runs (and later checkpoints and reports).
import { existsSync, lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { confinedPath, isInside } from './confinedPath.js';
import { NotFoundError, ThoughtlensError, UsageError } from './errors.js';
import { ID_PATTERN, MANIFEST_FILE } from './format.js';
import type { RunSource } from './manifest.js';
import { RunReader, scanStream, type EffectiveStatus } from './runReader.js';

export const DEFAULT_WORKSPACE = 'thoughtlens-workspace';
export const RUNS_DIR = 'runs';

export interface RunEntry {
  id: string;
  dir: string;
  status: EffectiveStatus | 'unreadable' | 'corrupt';
  createdAt?: string;
  updatedAt?: string;
  source?: RunSource;
  agents: { id: string; hiddenSize: number; rows: number }[];
  bytes: number;
  /** Why the run could not be read, for unreadable and corrupt entries (one line). */
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
    if (existsSync(join(dir, MANIFEST_FILE))) {
      // A run named by id is read only where its real path lies inside the workspace.
      confinedPath(workspace, dir, `${RUNS_DIR}/${ref}`, 'the workspace');
      return dir;
    }
  }
  if (existsSync(join(resolve(ref), MANIFEST_FILE))) return resolve(ref);
  throw new NotFoundError(
    `no run '${ref}': not a run folder, and not a run id in workspace ${resolve(workspace)}`,
  );
}

export interface ListRunsOptions {
  /**
   * Also walk the framing of every agent stream (message headers only): a stream that is
   * not Arrow, or breaks off with garbage, makes the run `corrupt` with a one-line reason.
   */
  checkStreams?: boolean;
}

/**
 * Lists the runs of a workspace, newest first. Broken runs are listed with their error:
 * a symbolic link in runs/ that leads nowhere or out of the workspace is listed as
 * `unreadable` (and not followed), never an exception for the whole list.
 */
export function listRuns(workspace: string, opts: ListRunsOptions = {}): RunEntry[] {
  const dir = runsDir(workspace);
  if (!existsSync(dir)) return [];
  let rootReal: string;
  try {
    rootReal = realpathSync(resolve(workspace));
  } catch {
    return [];
  }
  const entries: RunEntry[] = [];
  for (const name of readdirSync(dir)) {
    const runDir = join(dir, name);
    const broken = (error: string): RunEntry => ({ id: name, dir: runDir, status: 'unreadable', agents: [], bytes: 0, error });
    let real: string;
    try {
      real = realpathSync(runDir);
    } catch {
      if (lstatSync(runDir, { throwIfNoEntry: false })?.isSymbolicLink()) entries.push(broken(`${RUNS_DIR}/${name} is a symbolic link that leads nowhere`));
      continue;
    }
    if (!isInside(rootReal, real)) {
      entries.push(broken(`${RUNS_DIR}/${name} is a symbolic link that leads out of the workspace; it is not read`));
      continue;
    }
    if (!statSync(real).isDirectory() || !existsSync(join(runDir, MANIFEST_FILE))) continue;
    const e = describeRun(runDir, name);
    entries.push(opts.checkStreams ? withStreamHealth(e) : e);
  }
  return entries.sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
}

/** The entry as `corrupt` when a stream's framing is broken (scan of message headers). */
export function withStreamHealth(e: RunEntry): RunEntry {
  if (e.status === 'unreadable') return e;
  try {
    new RunReader(e.dir).scan();
    return e;
  } catch (err) {
    if (!(err instanceof ThoughtlensError)) throw err;
    return { ...e, status: 'corrupt', error: oneLineReason(err, dirname(resolve(e.dir))) };
  }
}

/** An error as one line naming files relative to `base` (never an absolute path under it). */
export function oneLineReason(err: Error, base: string): string {
  const dir = resolve(base);
  const line = err.message.split('\n')[0]!.split(dir + '/').join('').split(dir).join('.');
  return line.length > 300 ? line.slice(0, 297) + '...' : line;
}

/** An agent stream's size on disk (0 if missing, or a link out of the run folder: never followed). */
function sizeOnDisk(run: RunReader, agent: string): number {
  try {
    return statSync(run.streamPath(agent)).size;
  } catch {
    return 0; // the list shows what it can; the stream's own problem is reported by the health check
  }
}

/**
 * Rows of an agent's stream from its framing (message headers only), for a manifest that counts
 * none (a run written by another tool may leave its counts at zero or out); 0 if unreadable.
 */
function rowsOnDisk(run: RunReader, agent: string): number {
  try {
    return scanStream(run.streamPath(agent), agent).rows;
  } catch (err) {
    if (err instanceof ThoughtlensError) return 0;
    throw err;
  }
}

/**
 * A run as its manifest describes it (`corrupt` comes only from withStreamHealth); sizes are the
 * streams' on disk, and an agent the manifest counts no rows for gets the rows its stream holds.
 */
export function describeRun(runDir: string, fallbackId = runDir): RunEntry & { status: EffectiveStatus | 'unreadable' } {
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
        rows: m.counts[a.id]?.rows || rowsOnDisk(run, a.id),
      })),
      // The streams' size on disk: a run written by another tool may count no bytes (or nothing).
      bytes: m.agents.reduce((s, a) => s + Math.max(m.counts[a.id]?.bytes ?? 0, sizeOnDisk(run, a.id)), 0),
    };
  } catch (err) {
    if (!(err instanceof ThoughtlensError)) throw err;
    return {
      id: fallbackId,
      dir: runDir,
      status: 'unreadable',
      agents: [],
      bytes: 0,
      error: oneLineReason(err, dirname(resolve(runDir))),
    };
  }
}
