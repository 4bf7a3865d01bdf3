// Repeated (episode, step) keys anywhere in a stream: the key set, the writer that refuses
// them and the reader that finds them in streams other tools wrote.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BadValueError, createRun, openRun, StepKeySet } from '../../data/index.js';
import { runWithLateDuplicate } from '../helpers/badRuns.js';
import { testAgents, writeSteps } from '../helpers/makeTestRun.js';
import { tempDir } from '../helpers/tmp.js';

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
