// The run manifest (run.json): what a run is, who its agents are, and how far it got.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomicFile.js';
import { confinedPath } from './confinedPath.js';
import { FormatError, NotFoundError, VersionError } from './errors.js';
import {
  FORMAT_ID,
  FORMAT_VERSION,
  ID_PATTERN,
  KEY_COLUMNS,
  HIDDEN_COLUMN,
  MANIFEST_FILE,
} from './format.js';

export const COLUMN_TYPES = ['int32', 'float32', 'float64', 'bool', 'utf8'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];
export const COLUMN_ROLES = ['action', 'reward', 'event', 'text', 'other'] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];

/** A behaviour column next to the hidden state (action, reward, an event flag, text). */
export interface ColumnSpec {
  name: string;
  type: ColumnType;
  role: ColumnRole;
  description?: string;
}

export interface AgentSpec {
  id: string;
  hiddenSize: number;
  model?: string;
  layer?: string;
  checkpoint?: string;
  columns: ColumnSpec[];
}

export const RUN_STATUSES = ['recording', 'complete', 'aborted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunSource {
  /** 'synthetic', 'ipd', 'external', … */
  kind: string;
  params?: Record<string, unknown>;
}

export interface AgentCounts {
  rows: number;
  batches: number;
  bytes: number;
}

export interface RunManifest {
  format: typeof FORMAT_ID;
  version: number;
  id: string;
  createdAt: string;
  updatedAt: string;
  source: RunSource;
  agents: AgentSpec[];
  status: RunStatus;
  /** Never more than what is on disk: updated only after the data it counts was written. */
  counts: Record<string, AgentCounts>;
  /** Files under truth/ for synthetic runs (relative to the run folder). */
  truth?: string[];
  /** Free-form notes (why a run was aborted, …). */
  notes?: string[];
  /** Present while recording: the process writing the run, so a dead writer can be told. */
  writer?: { pid: number; host: string };
}

const RESERVED = new Set<string>([...KEY_COLUMNS, HIDDEN_COLUMN]);

export function manifestPath(runDir: string): string {
  return join(runDir, MANIFEST_FILE);
}

export function readManifest(runDir: string): RunManifest {
  const file = manifestPath(runDir);
  let text: string;
  try {
    text = readFileSync(confinedPath(runDir, file, MANIFEST_FILE), 'utf8');
  } catch (err) {
    if (err instanceof NotFoundError || (err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new NotFoundError(`no run here: ${MANIFEST_FILE} is missing`, { file });
    }
    if ((err as NodeJS.ErrnoException).code === 'EISDIR') throw new FormatError(`${MANIFEST_FILE} is a folder, not a file`, { file });
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new FormatError(`manifest is not valid JSON: ${(err as Error).message}`, { file });
  }
  return validateManifest(json, file);
}

export function writeManifest(runDir: string, manifest: RunManifest, durable = true): void {
  writeFileAtomic(manifestPath(runDir), JSON.stringify(manifest, null, 2) + '\n', durable);
}

/** The modification time of a file as an ISO string (the epoch when it cannot be read). */
function fileTime(file: string): string {
  try {
    return statSync(file).mtime.toISOString();
  } catch {
    return new Date(0).toISOString();
  }
}

/** Checks a parsed run.json field by field; errors name the field path. */
export function validateManifest(json: unknown, file = MANIFEST_FILE): RunManifest {
  const fail = (field: string, what: string): never => {
    throw new FormatError(`manifest field '${field}' ${what}`, { file });
  };
  if (!isObject(json)) return fail('(root)', 'must be a JSON object');
  if (json.format !== FORMAT_ID) fail('format', `must be "${FORMAT_ID}", got ${show(json.format)}`);
  if (typeof json.version !== 'number' || !Number.isInteger(json.version))
    fail('version', 'must be an integer');
  if (json.version !== FORMAT_VERSION) {
    throw new VersionError(
      `unknown format version ${show(json.version)}: this thoughtlens reads version ${FORMAT_VERSION}`,
      { file, column: 'version' },
    );
  }
  if (typeof json.id !== 'string' || !ID_PATTERN.test(json.id))
    fail('id', `must match ${ID_PATTERN}, got ${show(json.id)}`);
  // A run written by another tool may leave out its timestamps (taken from run.json's
  // modification time), its source ({ kind: 'external' }) and its status ('complete').
  for (const f of ['createdAt', 'updatedAt'] as const) {
    if (json[f] === undefined) json[f] = fileTime(file);
    if (typeof json[f] !== 'string' || Number.isNaN(Date.parse(json[f] as string)))
      fail(f, 'must be an ISO date string');
  }
  if (json.source === undefined) json.source = { kind: 'external' };
  if (!isObject(json.source) || typeof json.source.kind !== 'string')
    fail('source.kind', 'must be a string');
  if (json.status === undefined && json.writer === undefined) json.status = 'complete';
  if (!RUN_STATUSES.includes(json.status as RunStatus))
    fail('status', `must be one of ${RUN_STATUSES.join(', ')}, got ${show(json.status)}`);
  if (!Array.isArray(json.agents) || json.agents.length < 1)
    fail('agents', 'must be a non-empty array');
  const ids = new Set<string>();
  (json.agents as unknown[]).forEach((a, i) => {
    const at = `agents[${i}]`;
    if (!isObject(a)) return fail(at, 'must be an object');
    if (typeof a.id !== 'string' || !ID_PATTERN.test(a.id))
      fail(`${at}.id`, `must match ${ID_PATTERN}, got ${show(a.id)}`);
    if (ids.has(a.id as string)) fail(`${at}.id`, `duplicates agent '${a.id}'`);
    ids.add(a.id as string);
    if (
      typeof a.hiddenSize !== 'number' ||
      !Number.isInteger(a.hiddenSize) ||
      a.hiddenSize < 1 ||
      a.hiddenSize > 1 << 20
    ) {
      fail(`${at}.hiddenSize`, `must be an integer in 1..${1 << 20}, got ${show(a.hiddenSize)}`);
    }
    // A run written by another tool may leave out its behaviour columns: none.
    if (a.columns === undefined) a.columns = [];
    if (!Array.isArray(a.columns)) fail(`${at}.columns`, 'must be an array');
    const names = new Set<string>();
    (a.columns as unknown[]).forEach((c, j) => {
      const cat = `${at}.columns[${j}]`;
      if (!isObject(c)) return fail(cat, 'must be an object');
      if (typeof c.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(c.name))
        fail(`${cat}.name`, `must be an identifier, got ${show(c.name)}`);
      if (RESERVED.has(c.name as string)) fail(`${cat}.name`, `'${c.name}' is reserved`);
      if (names.has(c.name as string)) fail(`${cat}.name`, `duplicates column '${c.name}'`);
      names.add(c.name as string);
      if (!COLUMN_TYPES.includes(c.type as ColumnType))
        fail(`${cat}.type`, `must be one of ${COLUMN_TYPES.join(', ')}, got ${show(c.type)}`);
      if (!COLUMN_ROLES.includes(c.role as ColumnRole))
        fail(`${cat}.role`, `must be one of ${COLUMN_ROLES.join(', ')}, got ${show(c.role)}`);
    });
  });
  // Counts are what a writer has flushed (section 6); thoughtlens reads rows from the streams, so a
  // run written by another tool may leave them out: zeros.
  if (json.counts === undefined) json.counts = {};
  if (!isObject(json.counts)) fail('counts', 'must be an object');
  for (const id of ids) {
    const all = json.counts as Record<string, unknown>;
    all[id] ??= { rows: 0, batches: 0, bytes: 0 };
    const c = all[id];
    if (!isObject(c)) fail(`counts.${id}`, 'must be an object');
    for (const k of ['rows', 'batches', 'bytes'] as const) {
      const v = (c as Record<string, unknown>)[k];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
        fail(`counts.${id}.${k}`, 'must be a non-negative integer');
    }
  }
  if (
    json.truth !== undefined &&
    (!Array.isArray(json.truth) ||
      json.truth.some((t) => typeof t !== 'string' || t.includes('..')))
  ) {
    fail('truth', 'must be an array of relative file names');
  }
  return json as unknown as RunManifest;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + '...' : s;
}
