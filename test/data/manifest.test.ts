// eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests are edited as loose JSON here
type Json = any;
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FormatError,
  NotFoundError,
  VersionError,
  readManifest,
  validateManifest,
  openRun,
  type ThoughtlensError,
} from '../../data/index.js';
import { makeTestRun } from '../helpers/makeTestRun.js';
import { tempDir } from '../helpers/tmp.js';

function good(): Record<string, unknown> {
  return {
    format: 'thoughtlens-run',
    version: 1,
    id: 'run-1',
    createdAt: '2026-11-24T06:00:00.000Z',
    updatedAt: '2026-11-24T06:01:00.000Z',
    source: { kind: 'synthetic', params: { seed: 1 } },
    agents: [
      { id: 'A', hiddenSize: 8, columns: [{ name: 'action', type: 'int32', role: 'action' }] },
      { id: 'B', hiddenSize: 4, columns: [] },
    ],
    status: 'complete',
    counts: { A: { rows: 1, batches: 1, bytes: 10 }, B: { rows: 1, batches: 1, bytes: 10 } },
  };
}

function error(edit: (m: Record<string, Json>) => void): ThoughtlensError {
  const m = good();
  edit(m);
  try {
    validateManifest(m, '/w/run.json');
  } catch (err) {
    return err as ThoughtlensError;
  }
  throw new Error('expected the manifest to be rejected');
}

describe('validateManifest', () => {
  it('accepts a well-formed manifest', () => {
    expect(validateManifest(good()).id).toBe('run-1');
  });

  it('a manifest from another tool may leave out counts (or one agent\'s) and an agent\'s columns: zeros and none', () => {
    const m = good();
    delete m.counts;
    delete (m.agents as Record<string, Json>[])[1]!.columns;
    const v = validateManifest(m);
    expect(v.counts).toEqual({ A: { rows: 0, batches: 0, bytes: 0 }, B: { rows: 0, batches: 0, bytes: 0 } });
    expect(v.agents[1]!.columns).toEqual([]);
    const one = good();
    delete (one.counts as Record<string, Json>).B;
    expect(validateManifest(one).counts.B).toEqual({ rows: 0, batches: 0, bytes: 0 });
  });

  it('a manifest from another tool may leave out timestamps, source and status: file time, external, complete', () => {
    const m = good();
    delete m.createdAt;
    delete m.updatedAt;
    delete m.source;
    delete m.status;
    const v = validateManifest(m, '/no/such/run.json');
    expect(v.createdAt).toBe(new Date(0).toISOString());
    expect(v.updatedAt).toBe(v.createdAt);
    expect(v.source).toEqual({ kind: 'external' });
    expect(v.status).toBe('complete');
    // A recorder that names itself is recording, not complete: its status is still required.
    const w = good();
    delete w.status;
    w.writer = { pid: 1, host: 'h' };
    expect(() => validateManifest(w)).toThrow(/manifest field 'status'/);
  });

  it('names the field that is wrong', () => {
    const cases: [(m: Record<string, Json>) => void, string][] = [
      [(m) => (m.format = 'other'), 'manifest field \'format\' must be "thoughtlens-run"'],
      [(m) => (m.version = '1'), "manifest field 'version' must be an integer"],
      [(m) => (m.id = 'has space'), "manifest field 'id' must match"],
      [(m) => (m.createdAt = 'yesterday'), "manifest field 'createdAt' must be an ISO date string"],
      [(m) => (m.updatedAt = 7), "manifest field 'updatedAt'"],
      [(m) => (m.source = {}), "manifest field 'source.kind' must be a string"],
      [
        (m) => (m.status = 'done'),
        'manifest field \'status\' must be one of recording, complete, aborted, got "done"',
      ],
      [(m) => (m.agents = []), "manifest field 'agents' must be a non-empty array"],
      [(m) => (m.agents[1].id = 'A'), "manifest field 'agents[1].id' duplicates agent 'A'"],
      [(m) => (m.agents[1].id = '../x'), "manifest field 'agents[1].id' must match"],
      [
        (m) => (m.agents[0].hiddenSize = 2.5),
        "manifest field 'agents[0].hiddenSize' must be an integer in 1..1048576, got 2.5",
      ],
      [(m) => (m.agents[1].columns = 'action'), "manifest field 'agents[1].columns' must be an array"],
      [
        (m) => (m.agents[0].columns[0].type = 'int8'),
        "manifest field 'agents[0].columns[0].type' must be one of int32, float32, float64, bool, utf8",
      ],
      [
        (m) => (m.agents[0].columns[0].role = 'vibe'),
        "manifest field 'agents[0].columns[0].role' must be one of",
      ],
      [
        (m) => (m.agents[0].columns[0].name = 'hidden'),
        "manifest field 'agents[0].columns[0].name' 'hidden' is reserved",
      ],
      [
        (m) => (m.agents[0].columns[0].name = '1bad'),
        "manifest field 'agents[0].columns[0].name' must be an identifier",
      ],
      [
        (m) => m.agents[0].columns.push({ name: 'action', type: 'int32', role: 'other' }),
        "manifest field 'agents[0].columns[1].name' duplicates column 'action'",
      ],
      [(m) => (m.counts.B = 3), "manifest field 'counts.B' must be an object"],
      [
        (m) => (m.counts.A.rows = -1),
        "manifest field 'counts.A.rows' must be a non-negative integer",
      ],
      [
        (m) => (m.truth = ['../../etc/passwd']),
        "manifest field 'truth' must be an array of relative file names",
      ],
    ];
    for (const [edit, message] of cases) {
      const err = error(edit);
      expect(err).toBeInstanceOf(FormatError);
      expect(err.code).toBe('TL_FORMAT');
      expect(err.message).toContain(message);
      expect(err.message).toContain('(file /w/run.json)');
    }
    expect(() => validateManifest([], '/w/run.json')).toThrow(
      "manifest field '(root)' must be a JSON object",
    );
  });

  it('an unknown format version is a VersionError naming the file and the field', () => {
    for (const v of [0, 2, 99]) {
      const err = error((m) => (m.version = v));
      expect(err).toBeInstanceOf(VersionError);
      expect(err.code).toBe('TL_VERSION');
      expect(err.message).toBe(
        `unknown format version ${v}: this thoughtlens reads version 1 (file /w/run.json, column 'version')`,
      );
    }
  });

  it('reading: a missing manifest is NotFound, broken JSON is a FormatError, and openRun refuses a newer version', () => {
    const root = tempDir();
    expect(() => readManifest(root)).toThrow(NotFoundError);
    mkdirSync(join(root, 'x'));
    writeFileSync(join(root, 'x', 'run.json'), '{"format": "thoughtlens-run",');
    expect(() => readManifest(join(root, 'x'))).toThrow(/manifest is not valid JSON.*run\.json/);
    const { dir } = makeTestRun(root, 'v2', { episodes: 1, steps: 1 });
    const m = readManifest(dir) as unknown as Record<string, unknown>;
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...m, version: 2 }));
    expect(() => openRun(dir)).toThrow(VersionError);
  });
});
