import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BadValueError,
  StepJoiner,
  createRun,
  openRun,
  type JoinedBatch,
  type StreamBatch,
} from '../../data/index.js';
import { hiddenValue, testAgents } from '../helpers/makeTestRun.js';
import { tempDir } from '../helpers/tmp.js';

type Row = [episode: number, step: number];

/** A one-agent run whose agent (index a, dimension d) wrote `rows` in this order. */
function agentRun(
  root: string,
  name: string,
  a: number,
  d: number,
  rows: Row[],
  batchRows: number,
): string {
  const dir = join(root, name);
  const agent = { ...testAgents([d])[0]!, id: String.fromCharCode(65 + a) };
  const w = createRun(dir, {
    source: { kind: 'test' },
    agents: [agent],
    batchRows,
    flushIntervalMs: 0,
  });
  for (const [e, t] of rows) {
    const h = Float32Array.from({ length: d }, (_, k) => hiddenValue(a, e, t, k));
    w.append(agent.id, {
      episode: [e],
      step: [t],
      hidden: h,
      columns: { action: [e * 100 + t], reward: [a], defected: [t % 2 === 0] },
    });
  }
  w.close();
  return dir;
}

function batchesOf(dir: string, id: string): StreamBatch[] {
  return [...openRun(dir).openAgent(id).batches()];
}

function grid(episodes: number, steps: number): Row[] {
  const out: Row[] = [];
  for (let e = 0; e < episodes; e++) for (let t = 0; t < steps; t++) out.push([e, t]);
  return out;
}

/** Checks every joined row against the values its agents wrote; returns the keys seen. */
function verify(batches: JoinedBatch[], dims: number[]): string[] {
  const keys: string[] = [];
  for (const b of batches) {
    for (let i = 0; i < b.length; i++) {
      const e = b.episode[i]!;
      const t = b.step[i]!;
      keys.push(`${e}:${t}`);
      dims.forEach((d, a) => {
        for (let k = 0; k < d; k++) expect(b.hidden[a]![i * d + k]).toBe(hiddenValue(a, e, t, k));
        expect(b.columns[a]!.action![i]).toBe(e * 100 + t);
        expect(b.columns[a]!.reward![i]).toBe(a);
        expect(b.columns[a]!.defected![i]).toBe(t % 2 === 0);
      });
    }
  }
  return keys;
}

describe('StepJoiner', () => {
  it('aligned agents with different batch boundaries: zero-copy views, every row once, in order', () => {
    const root = tempDir();
    const rows = grid(3, 17);
    const a = batchesOf(agentRun(root, 'a', 0, 4, rows, 5), 'A');
    const b = batchesOf(agentRun(root, 'b', 1, 3, rows, 7), 'B');
    const joiner = new StepJoiner(['A', 'B'], [4, 3]);
    const out: JoinedBatch[] = [];
    // Push in an interleaving a tailing reader could see.
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length) joiner.push(0, a[i++]!);
      if (j < b.length && (i % 2 === 0 || i === a.length)) joiner.push(1, b[j++]!);
      out.push(...joiner.drain());
    }
    out.push(...joiner.drain());
    expect(verify(out, [4, 3])).toEqual(rows.map(([e, t]) => `${e}:${t}`));
    expect(joiner.unmatched).toBe(0);
    // Each joined piece lies inside one stream batch per agent: no copies.
    const aBuffers = new Set(a.map((x) => x.hidden.buffer));
    const bBuffers = new Set(b.map((x) => x.hidden.buffer));
    for (const o of out) {
      expect(aBuffers.has(o.hidden[0]!.buffer)).toBe(true);
      expect(bBuffers.has(o.hidden[1]!.buffer)).toBe(true);
    }
    // Pieces end where either agent's batch ends (boundaries at 5, 7, 10, 14, 15, …).
    expect(out.slice(0, 4).map((o) => o.length)).toEqual([5, 2, 3, 4]);
  });

  it('misaligned agents: rows are paired by (episode, step) whatever their order; unmatched rows are counted', () => {
    const root = tempDir();
    const rowsA = grid(3, 12);
    // B writes each episode backwards, misses (1, 5), and has a row A never wrote.
    const rowsB = [0, 1, 2]
      .flatMap((e) => grid(1, 12).map(([, t]): Row => [e, 11 - t]))
      .filter(([e, t]) => !(e === 1 && t === 5));
    rowsB.splice(7, 0, [9, 0]);
    const dir = join(root, 'run');
    const agents = testAgents([4, 3]);
    const w = createRun(dir, {
      source: { kind: 'test' },
      agents,
      batchRows: 5,
      flushIntervalMs: 0,
    });
    const put = (a: number, [e, t]: Row) =>
      w.append(agents[a]!.id, {
        episode: [e],
        step: [t],
        hidden: Float32Array.from({ length: agents[a]!.hiddenSize }, (_, k) =>
          hiddenValue(a, e, t, k),
        ),
        columns: { action: [e * 100 + t], reward: [a], defected: [t % 2 === 0] },
      });
    rowsA.forEach((r) => put(0, r));
    rowsB.forEach((r) => put(1, r));
    w.close();
    const run = openRun(dir);
    const keys = verify([...run.joined()], [4, 3]);
    const expected = rowsA.filter(([e, t]) => !(e === 1 && t === 5)).map(([e, t]) => `${e}:${t}`);
    expect([...keys].sort()).toEqual([...expected].sort());
    expect(new Set(keys).size).toBe(keys.length);
    // A's (1, 5) and B's (9, 0) found no partner.
    expect(run.lastUnmatched).toBe(2);
    expect(run.lastTruncations).toEqual([null, null]);
  });

  it('a key repeated within one agent while rows are misaligned is a BadValueError naming the row', () => {
    const root = tempDir();
    const a = batchesOf(agentRun(root, 'a', 0, 2, [[0, 0], [0, 1], [0, 2]], 8), 'A');
    // The writer and the reader refuse a repeated key; the joiner checks on its own too, for
    // batches that reach it another way (here: a key changed in memory after reading).
    const b = batchesOf(agentRun(root, 'b', 1, 2, [[0, 2], [0, 3], [0, 1]], 8), 'B');
    b[0]!.step[1] = 2;
    const joiner = new StepJoiner(['A', 'B'], [2, 2]);
    joiner.push(0, a[0]!);
    joiner.push(1, b[0]!);
    expect(() => [...joiner.drain()]).toThrow(BadValueError);
    const again = new StepJoiner(['A', 'B'], [2, 2]);
    again.push(0, a[0]!);
    again.push(1, b[0]!);
    expect(() => [...again.drain()]).toThrow(
      /duplicate \(episode 0, step 2\) for agent 'B' \(row 1\)/,
    );
  });

  it('gives up with a clear error when too many rows wait for a partner', () => {
    const root = tempDir();
    const a = batchesOf(agentRun(root, 'a', 0, 2, grid(1, 20), 32), 'A');
    const b = batchesOf(
      agentRun(
        root,
        'b',
        1,
        2,
        grid(1, 20).map(([e, t]): Row => [e + 1, t]),
        32,
      ),
      'B',
    );
    const joiner = new StepJoiner(['A', 'B'], [2, 2], 10);
    joiner.push(0, a[0]!);
    joiner.push(1, b[0]!);
    expect(() => [...joiner.drain()]).toThrow(/do not line up: more than 10 rows wait/);
  });

  it('joins a subset of agents on request', () => {
    const root = tempDir();
    const dir = join(root, 'three');
    const agents = testAgents([2, 3, 4]);
    const w = createRun(dir, {
      source: { kind: 'test' },
      agents,
      batchRows: 4,
      flushIntervalMs: 0,
    });
    for (let t = 0; t < 9; t++) {
      agents.forEach((ag, a) =>
        w.append(ag.id, {
          episode: [0],
          step: [t],
          hidden: Float32Array.from({ length: ag.hiddenSize }, (_, k) => hiddenValue(a, 0, t, k)),
        }),
      );
    }
    w.close();
    const out = [...openRun(dir).joined({ agents: ['C', 'A'] })];
    expect(out.reduce((s, b) => s + b.length, 0)).toBe(9);
    expect(out[0]!.hidden.map((h) => h.length / out[0]!.length)).toEqual([4, 2]);
    expect(out[0]!.hidden[0]![1]).toBe(hiddenValue(2, 0, 0, 1));
  });
});
