import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  BadValueError,
  UsageError,
  createRun,
  defaultBatchRows,
  openRun,
  readManifest,
  type AgentSpec,
  type JoinedBatch,
} from '../../data/index.js';
import { hiddenValue, makeTestRun, testAgents } from '../helpers/makeTestRun.js';
import { tempDir } from '../helpers/tmp.js';

function collect(dir: string): JoinedBatch[] {
  return [...openRun(dir).joined()];
}

const richAgent: AgentSpec = {
  id: 'R',
  hiddenSize: 5,
  model: 'gru-64',
  layer: 'h1',
  columns: [
    { name: 'action', type: 'int32', role: 'action' },
    { name: 'reward', type: 'float32', role: 'reward' },
    { name: 'value', type: 'float64', role: 'other' },
    { name: 'defected', type: 'bool', role: 'event' },
    { name: 'said', type: 'utf8', role: 'text' },
  ],
};

describe('RunWriter → RunReader round trip', () => {
  it('returns every value, dimension and behaviour column over several batches', () => {
    const root = tempDir();
    const { dir } = makeTestRun(root, 'rt', {
      episodes: 3,
      steps: 20,
      dims: [8, 6],
      batchRows: 16,
    });
    const run = openRun(dir);
    expect(run.manifest.status).toBe('complete');
    expect(run.effectiveStatus()).toBe('complete');
    expect(run.manifest.counts).toEqual({
      A: { rows: 60, batches: 4, bytes: expect.any(Number) },
      B: { rows: 60, batches: 4, bytes: expect.any(Number) },
    });
    const batches = collect(dir);
    expect(batches.length).toBeGreaterThanOrEqual(4);
    let row = 0;
    for (const b of batches) {
      expect(b.hidden[0]!.length).toBe(b.length * 8);
      expect(b.hidden[1]!.length).toBe(b.length * 6);
      for (let i = 0; i < b.length; i++, row++) {
        const e = Math.floor(row / 20);
        const t = row % 20;
        expect([b.episode[i], b.step[i]]).toEqual([e, t]);
        for (let k = 0; k < 8; k++) expect(b.hidden[0]![i * 8 + k]).toBe(hiddenValue(0, e, t, k));
        for (let k = 0; k < 6; k++) expect(b.hidden[1]![i * 6 + k]).toBe(hiddenValue(1, e, t, k));
        expect(b.columns[0]!.action![i]).toBe((e + t) % 2);
        expect(b.columns[1]!.action![i]).toBe((e + t + 1) % 2);
        expect(b.columns[0]!.reward![i]).toBe(t * 0.5);
        expect(b.columns[1]!.defected![i]).toBe(t % 7 === 0);
      }
    }
    expect(row).toBe(60);
    const scans = run.scan();
    expect(scans.map((s) => [s.agent, s.rows, s.batches, s.ended, s.truncation])).toEqual([
      ['A', 60, 4, true, null],
      ['B', 60, 4, true, null],
    ]);
  });

  it('stores bool, int32, float32, float64 and utf8 columns with nulls', () => {
    const dir = join(tempDir(), 'cols');
    const w = createRun(dir, {
      source: { kind: 'test' },
      agents: [richAgent],
      batchRows: 3,
      flushIntervalMs: 0,
    });
    const n = 7;
    const hidden = Float32Array.from({ length: n * 5 }, (_, i) => i / 8);
    w.append('R', {
      episode: [0, 0, 0, 0, 1, 1, 1],
      step: [0, 1, 2, 3, 0, 1, 2],
      hidden,
      columns: {
        action: [1, 0, -3, 2147483647, 5, 6, 7],
        reward: [0.5, -1, null, 2, 0, 0, 1e30],
        value: [Math.PI, 1e-300, -0, 4, 5, null, 7],
        defected: [true, false, null, 1, 0, true, false],
        said: ['', 'héllo wörld ✓', null, 'a', 'b'.repeat(1000), 'c', 'd'],
      },
    });
    w.close();
    const [b, ...rest] = [...openRun(dir).joined()];
    const all = rest.length ? mergeRows([b!, ...rest]) : b!;
    expect(all.length).toBe(n);
    expect(Array.from(all.hidden[0]!)).toEqual(Array.from(hidden));
    const c = all.columns[0]!;
    expect(Array.from(c.action!)).toEqual([1, 0, -3, 2147483647, 5, 6, 7]);
    expect(Array.from(c.reward!)).toEqual([0.5, -1, null, 2, 0, 0, Math.fround(1e30)]);
    expect(Array.from(c.value!)).toEqual([Math.PI, 1e-300, -0, 4, 5, null, 7]);
    expect(Array.from(c.defected!)).toEqual([true, false, null, true, false, true, false]);
    expect(Array.from(c.said!)).toEqual([
      '',
      'héllo wörld ✓',
      null,
      'a',
      'b'.repeat(1000),
      'c',
      'd',
    ]);
    expect(readManifest(dir).agents[0]).toEqual(richAgent);
  });

  it('leaves columns that were not given null, and rejects undeclared or mistyped ones', () => {
    const dir = join(tempDir(), 'partial');
    const w = createRun(dir, {
      source: { kind: 'test' },
      agents: [richAgent],
      batchRows: 4,
      flushIntervalMs: 0,
    });
    w.append('R', {
      episode: [0],
      step: [0],
      hidden: new Float32Array(5),
      columns: { action: [3] },
    });
    expect(() =>
      w.append('R', {
        episode: [0],
        step: [1],
        hidden: new Float32Array(5),
        columns: { nope: [1] },
      }),
    ).toThrow(/column 'nope'/);
    expect(() =>
      w.append('R', {
        episode: [0],
        step: [1],
        hidden: new Float32Array(5),
        columns: { action: [1.5] },
      }),
    ).toThrow(BadValueError);
    w.close();
    const [b] = collect(dir);
    expect(b!.length).toBe(1);
    expect(Array.from(b!.columns[0]!.said!)).toEqual([null]);
    expect(Array.from(b!.columns[0]!.defected!)).toEqual([null]);
  });

  it('flushes partial batches on the timer so live readers see them', async () => {
    const dir = join(tempDir(), 'timer');
    const agents = testAgents([4]);
    const w = createRun(dir, {
      source: { kind: 'test' },
      agents,
      batchRows: 1000,
      flushIntervalMs: 40,
    });
    w.append('A', { episode: [0, 0, 0], step: [0, 1, 2], hidden: new Float32Array(12).fill(0.25) });
    expect(openRun(dir).scan()[0]!.rows).toBe(0);
    const deadline = Date.now() + 3000;
    while (openRun(dir).scan()[0]!.rows === 0 && Date.now() < deadline) await sleep(20);
    const scan = openRun(dir).scan()[0]!;
    expect([scan.rows, scan.batches, scan.ended]).toEqual([3, 1, false]);
    expect(readManifest(dir).counts.A).toMatchObject({ rows: 3, batches: 1 });
    expect(readManifest(dir).status).toBe('recording');
    w.append('A', { episode: [0], step: [3], hidden: new Float32Array(4) });
    w.close();
    expect(openRun(dir).scan()[0]).toMatchObject({ rows: 4, batches: 2, ended: true });
  });

  it('with manifestIntervalMs 0, keeps manifest counts equal to what is on disk after every append', () => {
    const dir = join(tempDir(), 'counts');
    const agents = testAgents([3]);
    const w = createRun(dir, {
      source: { kind: 'test' },
      agents,
      batchRows: 5,
      flushIntervalMs: 0,
      manifestIntervalMs: 0,
    });
    for (let t = 0; t < 23; t++) {
      w.append('A', { episode: [0], step: [t], hidden: new Float32Array(3).fill(t) });
      const m = readManifest(dir);
      const s = openRun(dir).scan()[0]!;
      expect(m.counts.A).toEqual({ rows: s.rows, batches: s.batches, bytes: s.bytes });
      expect(m.counts.A!.rows).toBe(Math.floor((t + 1) / 5) * 5);
    }
    w.close();
    expect(readManifest(dir).counts.A!.rows).toBe(23);
  });

  it('rewrites run.json at most every manifestIntervalMs: counts lag, never lead, and flush() catches up', () => {
    const dir = join(tempDir(), 'lag');
    const agents = testAgents([3]);
    const w = createRun(dir, {
      source: { kind: 'test' },
      agents,
      batchRows: 2,
      flushIntervalMs: 0,
      manifestIntervalMs: 60_000,
    });
    for (let t = 0; t < 40; t++) {
      w.append('A', { episode: [0], step: [t], hidden: new Float32Array(3).fill(t) });
      const counted = readManifest(dir).counts.A!;
      const s = openRun(dir).scan()[0]!;
      expect(counted.rows).toBeLessThanOrEqual(s.rows);
      expect(counted.bytes).toBeLessThanOrEqual(s.bytes);
    }
    expect(readManifest(dir).counts.A!.rows).toBe(0);
    w.flush();
    expect(readManifest(dir).counts.A).toEqual({
      rows: 40,
      batches: 20,
      bytes: openRun(dir).scan()[0]!.bytes,
    });
    w.close();
  });

  it('durable mode writes the same run (with fsyncs)', () => {
    const { dir } = makeTestRun(tempDir(), 'durable', {
      episodes: 2,
      steps: 9,
      batchRows: 4,
      durable: true,
    });
    expect(
      openRun(dir)
        .scan()
        .map((s) => [s.rows, s.ended, s.truncation]),
    ).toEqual([
      [18, true, null],
      [18, true, null],
    ]);
    expect(readManifest(dir).counts.A!.rows).toBe(18);
  });

  it('abort keeps the data, records the reason and ends the streams', () => {
    const root = tempDir();
    const { dir, writer } = makeTestRun(root, 'ab', {
      leaveOpen: true,
      episodes: 1,
      steps: 10,
      batchRows: 4,
    });
    writer.abort('user pressed ctrl-c');
    const m = readManifest(dir);
    expect(m.status).toBe('aborted');
    expect(m.notes).toEqual(['user pressed ctrl-c']);
    expect(m.writer).toBeUndefined();
    expect(
      openRun(dir)
        .scan()
        .map((s) => [s.rows, s.ended]),
    ).toEqual([
      [10, true],
      [10, true],
    ]);
    expect(() =>
      writer.append('A', { episode: [9], step: [9], hidden: new Float32Array(8) }),
    ).toThrow(UsageError);
  });

  it('refuses to overwrite a run, bad ids and unknown agents', () => {
    const root = tempDir();
    const { dir } = makeTestRun(root, 'x', { episodes: 1, steps: 2 });
    expect(() => createRun(dir, { source: { kind: 'test' }, agents: testAgents() })).toThrow(
      /already exists/,
    );
    expect(() =>
      createRun(join(root, 'bad id'), { source: { kind: 'test' }, agents: testAgents() }),
    ).toThrow(UsageError);
    const w = createRun(join(root, 'y'), {
      source: { kind: 'test' },
      agents: testAgents(),
      flushIntervalMs: 0,
    });
    expect(() => w.append('Z', { episode: [0], step: [0], hidden: new Float32Array(8) })).toThrow(
      /unknown agent 'Z'/,
    );
    w.close();
  });

  it('validates the agent spec before creating any file', () => {
    const dir = join(tempDir(), 'badspec');
    expect(() =>
      createRun(dir, {
        source: { kind: 'test' },
        agents: [{ id: 'A', hiddenSize: 0, columns: [] }],
        flushIntervalMs: 0,
      }),
    ).toThrow(/agents\[0\]\.hiddenSize/);
    expect(existsSync(join(dir, 'run.json'))).toBe(false);
    expect(existsSync(join(dir, 'agents', 'A.arrows'))).toBe(false);
  });

  it('records truth files in the manifest', () => {
    const root = tempDir();
    const { dir, writer } = makeTestRun(root, 'tr', { leaveOpen: true, episodes: 1, steps: 2 });
    writer.addTruthFiles(['truth/structure.json', 'truth/structure.json', 'truth/latents.arrows']);
    writer.close();
    expect(readManifest(dir).truth).toEqual(['truth/structure.json', 'truth/latents.arrows']);
    expect(() => writer.addTruthFiles(['../escape.json'])).toThrow(/relative/);
    expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).format).toBe('thoughtlens-run');
  });

  it('picks batch sizes of about 4 MiB of hidden state', () => {
    expect(defaultBatchRows(512)).toBe(2048);
    expect(defaultBatchRows(4096)).toBe(256);
    expect(defaultBatchRows(1 << 20)).toBe(64);
    expect(defaultBatchRows(8)).toBe(8192);
  });
});

function mergeRows(bs: JoinedBatch[]): JoinedBatch {
  const cat = <T>(xs: ArrayLike<T>[]): T[] => xs.flatMap((x) => Array.from(x));
  return {
    length: bs.reduce((s, b) => s + b.length, 0),
    episode: Int32Array.from(cat(bs.map((b) => b.episode))),
    step: Int32Array.from(cat(bs.map((b) => b.step))),
    hidden: bs[0]!.hidden.map((_, a) => Float32Array.from(cat(bs.map((b) => b.hidden[a]!)))),
    columns: bs[0]!.columns.map((c, a) =>
      Object.fromEntries(
        Object.keys(c).map((k) => [k, cat(bs.map((b) => b.columns[a]![k]! as ArrayLike<unknown>))]),
      ),
    ) as JoinedBatch['columns'],
  };
}
