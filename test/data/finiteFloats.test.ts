import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FiniteFloats,
  createRun,
  firstNonFinite,
  openRun,
  type ThoughtlensError,
} from '../../data/index.js';
import { makeRng } from '../../util/random.js';
import { testAgents } from '../helpers/makeTestRun.js';
import { tempDir } from '../helpers/tmp.js';

describe('FiniteFloats (WebAssembly SIMD NaN/Inf check)', () => {
  it('runs in WebAssembly here', () => {
    expect(new FiniteFloats(1024).accelerated).toBe(true);
  });

  it('finds the first non-finite value at every position and offset, like the JavaScript loop', () => {
    const f = new FiniteFloats(4096);
    const all = new Float32Array(f.buffer, 0, 1024);
    const rng = makeRng(5);
    for (let i = 0; i < all.length; i++) all[i] = (rng.next() - 0.5) * 1e38;
    // Subnormals, zeros and the largest finite values are finite.
    all.set([0, -0, 1e-45, -1e-45, 3.4028234663852886e38, -3.4028234663852886e38], 100);
    for (const start of [0, 1, 3, 4, 15, 16, 17]) {
      for (const len of [0, 1, 15, 16, 17, 63, 64, 65, 200]) {
        const view = all.subarray(start, start + len);
        expect(f.firstNonFinite(view)).toBe(-1);
        for (let pos = 0; pos < len; pos++) {
          for (const bad of [NaN, Infinity, -Infinity]) {
            const keep = view[pos]!;
            view[pos] = bad;
            if (pos + 1 < len) view[len - 1] = NaN; // a later bad value must not hide the first
            const got = f.firstNonFinite(view);
            if (got !== pos)
              throw new Error(`start ${start} len ${len} pos ${pos} ${bad}: got ${got}`);
            expect(firstNonFinite(view)).toBe(pos);
            view[pos] = keep;
            if (pos + 1 < len) view[len - 1] = 1;
          }
        }
      }
    }
  });

  it('checks arrays outside its buffer with the JavaScript loop', () => {
    const f = new FiniteFloats(64);
    expect(f.firstNonFinite(Float32Array.of(1, 2, NaN))).toBe(2);
    expect(f.firstNonFinite(new Float32Array(0))).toBe(-1);
  });

  it('the writer rejects NaN in an append that fits the open batch (checked in its batch buffer) and keeps the batch intact', () => {
    const dir = join(tempDir(), 'fits');
    const w = createRun(dir, {
      source: { kind: 'test' },
      agents: testAgents([4]),
      batchRows: 8,
      flushIntervalMs: 0,
    });
    w.append('A', {
      episode: [0, 0],
      step: [0, 1],
      hidden: Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8),
    });
    const h = new Float32Array(12).fill(9);
    h[10] = -Infinity;
    let err: ThoughtlensError | undefined;
    try {
      w.append('A', { episode: [0, 0, 0], step: [2, 3, 4], hidden: h });
    } catch (e) {
      err = e as ThoughtlensError;
    }
    expect(err?.message).toMatch(/hidden state is -Infinity at element 2 \(episode 0, step 4\)/);
    expect(err?.location).toMatchObject({ column: 'hidden', row: 4 });
    w.append('A', { episode: [0], step: [2], hidden: Float32Array.of(10, 11, 12, 13) });
    w.close();
    const [b] = [...openRun(dir).joined()];
    expect(Array.from(b!.step)).toEqual([0, 1, 2]);
    expect(Array.from(b!.hidden[0]!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13]);
  });

  it('the reader finds NaN in both read modes, naming the row', () => {
    const dir = join(tempDir(), 'modes');
    const w = createRun(dir, {
      source: { kind: 'test' },
      agents: testAgents([5]),
      batchRows: 4,
      flushIntervalMs: 0,
      validate: false,
    });
    const h = new Float32Array(10 * 5).fill(0.5);
    h[7 * 5 + 3] = NaN;
    w.append('A', {
      episode: new Array(10).fill(2),
      step: Array.from({ length: 10 }, (_, i) => i),
      hidden: h,
    });
    w.close();
    for (const reuseBuffer of [false, true]) {
      const reader = openRun(dir).openAgent('A', { reuseBuffer });
      let rows = 0;
      expect(() => {
        for (const b of reader.batches()) rows += b.length;
      }).toThrow(/hidden state is NaN at element 3 \(episode 2, step 7\).*row 7\)$/);
      expect(rows).toBe(4);
    }
  });
});
