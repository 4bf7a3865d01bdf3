// Repeated (episode, step) keys anywhere in a stream: the key set, the writer that refuses
// them and the reader that finds them in streams other tools wrote.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BadValueError, createRun, openRun, StepKeySet } from '../../data/index.js';
import { runWithLateDuplicate } from '../helpers/badRuns.js';
import { testAgents, writeSteps } from '../helpers/makeTestRun.js';
import { tempDir } from '../helpers/tmp.js';
import { makeRng } from '../../util/random.js';

describe('StepKeySet', () => {
  it('finds a repeated key far from its twin, in order and out of order', () => {
    const s = new StepKeySet();
    let row = 0;
    for (let e = 0; e < 50; e++) for (let t = 0; t < 100; t++) expect(s.add(e, t, row++)).toBe(-1);
    expect(s.add(3, 7, row)).toBe(307); // out of order: found by search
    const h = new StepKeySet();
    row = 0;
    for (let e = 49; e >= 0; e--) for (let t = 0; t < 100; t++) expect(h.add(e, t, row++)).toBe(-1);
    expect(h.find(49, 0)).toBe(0);
    expect(h.add(0, 99, row)).toBe(4999);
    expect(h.add(-5, 2_000_000_000, row)).toBe(-1);
    expect(h.size).toBe(5001);
  });
});

describe('StepKeySet against a plain Set', () => {
  it('agrees on seeded streams: runs of steps, gaps, restarts and random keys', () => {
    const rng = makeRng(1717);
    for (let trial = 0; trial < 20; trial++) {
      const set = new StepKeySet();
      const ref = new Map<string, number>();
      let e = 0;
      let s = 0;
      let row = 0; // rows count added keys (a reader stops at the first repeat)
      let repeats = 0;
      for (let i = 0; i < 3000; i++) {
        const u = rng.next();
        if (u < 0.7) s++;
        else if (u < 0.8) s += 1 + Math.floor(rng.next() * 5);
        else if (u < 0.9) {
          e++;
          s = 0;
        } else if (u < 0.93 + trial * 0.002) {
          e = Math.floor(rng.next() * (e + 1));
          s = Math.floor(rng.next() * 60);
        }
        const k = `${e},${s}`;
        const want = ref.get(k) ?? -1;
        expect(set.add(e, s, row)).toBe(want);
        if (want >= 0) repeats++;
        else ref.set(k, row++);
      }
      expect(set.size).toBe(ref.size);
      if (trial > 0) expect(repeats).toBeGreaterThan(0);
    }
  });
});

describe('repeated (episode, step) keys', () => {
  it('the reader refuses a key repeated 30 rows later, naming the first offending row', () => {
    const dir = runWithLateDuplicate(tempDir());
    const run = openRun(dir);
    let err: unknown;
    try {
      for (const b of run.openAgent('A').batches()) void b;
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BadValueError);
    expect((err as BadValueError).message).toMatch(/^duplicate key in agent 'A': \(episode 0, step 0\) at row 30 repeats row 0/);
    expect((err as BadValueError).location.row).toBe(30);
    // The agents line up, so the joiner alone never saw it: the joined view fails too.
    expect(() => [...run.joined()]).toThrow(/duplicate key in agent 'A'.*row 30 repeats row 0/);
  });

  it('the writer refuses an append that repeats a stored key, and writes nothing of it', () => {
    const dir = join(tempDir(), 'w');
    const agents = testAgents([2]);
    const w = createRun(dir, { source: { kind: 'test' }, agents, flushIntervalMs: 0, batchRows: 4 });
    writeSteps(w, agents, 2, 5);
    expect(() => w.append('A', { episode: [2, 0], step: [0, 4], hidden: new Float32Array(4) })).toThrow(
      /duplicate key for agent 'A': \(episode 0, step 4\) is already stored at row 4.*row 11/,
    );
    expect(() => w.append('A', { episode: [5, 5], step: [1, 1], hidden: new Float32Array(4) })).toThrow(/\(episode 5, step 1\) is already stored at row 10/);
    w.append('A', { episode: [2], step: [0], hidden: new Float32Array(2) });
    w.close();
    expect(openRun(dir).scan()[0]!.rows).toBe(11);
  });
});
