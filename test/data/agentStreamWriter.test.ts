import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BadValueError,
  ThoughtlensError,
  createRun,
  openRun,
  readManifest,
} from '../../data/index.js';
import { testAgents } from '../helpers/makeTestRun.js';
import { tempDir } from '../helpers/tmp.js';

function caught(f: () => unknown): ThoughtlensError {
  try {
    f();
  } catch (err) {
    if (err instanceof ThoughtlensError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('AgentStreamWriter checks what it is given', () => {
  it('rejects NaN and ±Inf hidden states, naming file, column and row; writes nothing of that append', () => {
    const dir = join(tempDir(), 'nan');
    const w = createRun(dir, {
      source: { kind: 'test' },
      agents: testAgents([4]),
      batchRows: 4,
      flushIntervalMs: 0,
    });
    w.append('A', { episode: [0, 0, 0], step: [0, 1, 2], hidden: new Float32Array(12) });
    for (const bad of [NaN, Infinity, -Infinity]) {
      const h = new Float32Array(8);
      h[6] = bad; // second row of this append, element 2
      const err = caught(() => w.append('A', { episode: [3, 3], step: [0, 1], hidden: h }));
      expect(err).toBeInstanceOf(BadValueError);
      expect(err.code).toBe('TL_BAD_VALUE');
      expect(err.location).toEqual({
        file: join(dir, 'agents', 'A.arrows'),
        column: 'hidden',
        row: 4,
      });
      expect(err.message).toContain(`hidden state is ${bad} at element 2 (episode 3, step 1)`);
      expect(err.message).toContain(`file ${join(dir, 'agents', 'A.arrows')}`);
      expect(err.message).toContain(`column 'hidden', row 4`);
    }
    w.close();
    expect(openRun(dir).scan()[0]!.rows).toBe(3);
  });

  it('an append spanning several batches with one bad value writes nothing', () => {
    const dir = join(tempDir(), 'span');
    const w = createRun(dir, {
      source: { kind: 'test' },
      agents: testAgents([2]),
      batchRows: 4,
      flushIntervalMs: 0,
      manifestIntervalMs: 0,
    });
    w.append('A', { episode: [0], step: [0], hidden: new Float32Array(2) });
    const n = 11;
    const rows = {
      episode: new Array(n).fill(1),
      step: Array.from({ length: n }, (_, i) => i),
      hidden: new Float32Array(n * 2),
    };
    const action = Array.from({ length: n }, (_, i) => i);
    action[9] = 0.5;
    expect(() => w.append('A', { ...rows, columns: { action } })).toThrow(
      /int32 column got 0\.5 \(file .*, column 'action', row 10\)/,
    );
    const hidden = new Float32Array(n * 2);
    hidden[2 * 8 + 1] = NaN;
    expect(() => w.append('A', { ...rows, hidden })).toThrow(/row 9\)$/);
    expect(openRun(dir).scan()[0]!.rows).toBe(0);
    w.append('A', rows);
    w.close();
    expect(openRun(dir).scan()[0]).toMatchObject({ rows: 12, batches: 3 });
  });

  it('accepts non-finite values when validation is off', () => {
    const dir = join(tempDir(), 'nocheck');
    const w = createRun(dir, {
      source: { kind: 'test' },
      agents: testAgents([2]),
      validate: false,
      flushIntervalMs: 0,
    });
    w.append('A', { episode: [0], step: [0], hidden: Float32Array.of(NaN, Infinity) });
    w.close();
    const [b] = [...openRun(dir).openAgent('A', { skipHiddenCheck: true }).batches()];
    expect(Array.from(b!.hidden)).toEqual([NaN, Infinity]);
    expect(() => [...openRun(dir).joined()]).toThrow(
      /hidden state is NaN at element 0 \(episode 0, step 0\).*row 0/,
    );
  });

  it('rejects a wrong hidden dimension, naming the row where it would go', () => {
    const dir = join(tempDir(), 'dim');
    const w = createRun(dir, {
      source: { kind: 'test' },
      agents: testAgents([4]),
      batchRows: 8,
      flushIntervalMs: 0,
    });
    w.append('A', { episode: [0, 0], step: [0, 1], hidden: new Float32Array(8) });
    const err = caught(() =>
      w.append('A', { episode: [0, 0], step: [2, 3], hidden: new Float32Array(10) }),
    );
    expect(err.code).toBe('TL_BAD_VALUE');
    expect(err.message).toContain('wrong hidden dimension: got 10 floats for 2 rows, expected 2×4');
    expect(err.location).toMatchObject({ column: 'hidden', row: 2 });
    expect(err.location.file).toMatch(/A\.arrows$/);
    w.close();
  });

  it('rejects mismatched column lengths and values of the wrong type, naming the column', () => {
    const dir = join(tempDir(), 'len');
    const w = createRun(dir, {
      source: { kind: 'test' },
      agents: testAgents([2]),
      flushIntervalMs: 0,
    });
    expect(
      caught(() => w.append('A', { episode: [0, 0], step: [0], hidden: new Float32Array(4) }))
        .location.column,
    ).toBe('step');
    const e1 = caught(() =>
      w.append('A', {
        episode: [0],
        step: [0],
        hidden: new Float32Array(2),
        columns: { reward: [1, 2] },
      }),
    );
    expect(e1.location.column).toBe('reward');
    const e2 = caught(() =>
      w.append('A', {
        episode: [0, 0],
        step: [0, 1],
        hidden: new Float32Array(4),
        columns: { defected: [true, 'x'] },
      }),
    );
    expect(e2.message).toMatch(/bool column got "x".*column 'defected', row 1/);
    const e3 = caught(() =>
      w.append('A', {
        episode: [0],
        step: [0],
        hidden: new Float32Array(2),
        columns: { action: [2 ** 31] },
      }),
    );
    expect(e3.message).toMatch(/int32 column got 2147483648/);
    w.close();
    expect(readManifest(dir).counts.A!.rows).toBe(0);
  });
});
