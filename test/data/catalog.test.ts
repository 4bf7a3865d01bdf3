import { mkdirSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  NotFoundError,
  UsageError,
  describeRun,
  listRuns,
  resolveRunRef,
  runDirFor,
  runsDir,
} from '../../data/index.js';
import { makeTestRun } from '../helpers/makeTestRun.js';
import { tempDir } from '../helpers/tmp.js';

function workspace(): string {
  const ws = tempDir();
  mkdirSync(runsDir(ws), { recursive: true });
  makeTestRun(runsDir(ws), 'first', { episodes: 1, steps: 10, dims: [8, 6] });
  makeTestRun(runsDir(ws), 'second', {
    episodes: 2,
    steps: 5,
    dims: [4],
    leaveOpen: true,
  }).writer.flush();
  return ws;
}

describe('catalog', () => {
  it('a run written by another tool that counts no rows or bytes is listed with its streams\' rows and size on disk', () => {
    const ws = workspace();
    const dir = join(runsDir(ws), 'first');
    const m = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
    delete m.counts;
    writeFileSync(join(dir, 'run.json'), JSON.stringify(m));
    const e = describeRun(dir);
    expect(e.agents.map((a) => a.rows)).toEqual([10, 10]);
    const onDisk = ['A', 'B'].map((a) => statSync(join(dir, 'agents', `${a}.arrows`)).size);
    expect(e.bytes).toBe(onDisk[0]! + onDisk[1]!);
  });


  it('lists runs with agents, rows, bytes and status; a broken run is listed with its error', () => {
    const ws = workspace();
    const broken = join(runsDir(ws), 'broken');
    mkdirSync(broken);
    writeFileSync(
      join(broken, 'run.json'),
      JSON.stringify({ format: 'thoughtlens-run', version: 1, id: 'broken' }),
    );
    mkdirSync(join(runsDir(ws), 'not-a-run'));
    writeFileSync(join(runsDir(ws), 'stray.txt'), 'x');
    const runs = listRuns(ws);
    const byId = Object.fromEntries(runs.map((r) => [r.id, r]));
    expect(Object.keys(byId).sort()).toEqual(['broken', 'first', 'second']);
    expect(byId.first).toMatchObject({
      status: 'complete',
      source: { kind: 'test' },
      agents: [
        { id: 'A', hiddenSize: 8, rows: 10 },
        { id: 'B', hiddenSize: 6, rows: 10 },
      ],
    });
    expect(byId.first!.bytes).toBeGreaterThan(10 * (8 + 6) * 4);
    // Still open in this process: its writer is alive, so it is recording.
    expect(byId.second).toMatchObject({
      status: 'recording',
      agents: [{ id: 'A', hiddenSize: 4, rows: 10 }],
    });
    expect(byId.broken).toMatchObject({ status: 'unreadable', agents: [], bytes: 0 });
    expect(byId.broken!.error).toMatch(
      /manifest field 'agents' must be a non-empty array \(file .*broken\/run\.json\)/,
    );
  });

  it('lists nothing for a workspace that does not exist yet', () => {
    expect(listRuns(join(tempDir(), 'nowhere'))).toEqual([]);
  });

  it('orders runs newest first', () => {
    const ws = workspace();
    const set = (id: string, at: string) => {
      const p = join(runsDir(ws), id, 'run.json');
      writeFileSync(p, JSON.stringify({ ...JSON.parse(readFileSync(p, 'utf8')), createdAt: at }));
    };
    set('first', '2026-01-02T00:00:00Z');
    set('second', '2026-01-01T00:00:00Z');
    expect(listRuns(ws).map((r) => r.id)).toEqual(['first', 'second']);
    set('second', '2026-01-03T00:00:00Z');
    expect(listRuns(ws).map((r) => r.id)).toEqual(['second', 'first']);
  });

  it('describeRun of a run whose manifest is not JSON or has an unknown version', () => {
    const ws = workspace();
    const dir = join(runsDir(ws), 'first');
    writeFileSync(join(dir, 'run.json'), '{ nope');
    expect(describeRun(dir, 'first')).toMatchObject({
      id: 'first',
      status: 'unreadable',
      error: expect.stringMatching(/not valid JSON/),
    });
    rmSync(join(dir, 'run.json'));
    expect(describeRun(dir, 'first')).toMatchObject({
      status: 'unreadable',
      error: expect.stringMatching(/run\.json is missing/),
    });
  });

  it('resolves a run given as an id in the workspace or as a path', () => {
    const ws = workspace();
    const first = join(runsDir(ws), 'first');
    expect(resolveRunRef(ws, 'first')).toBe(first);
    expect(resolveRunRef(ws, first)).toBe(first);
    expect(resolveRunRef('/elsewhere', first)).toBe(first);
    expect(runDirFor(ws, 'first')).toBe(first);
    expect(() => resolveRunRef(ws, 'third')).toThrow(NotFoundError);
    expect(() => resolveRunRef(ws, 'third')).toThrow(/no run 'third'/);
    expect(() => resolveRunRef(ws, join(ws, 'nothing-here'))).toThrow(NotFoundError);
    expect(() => runDirFor(ws, '../up')).toThrow(UsageError);
  });
});
