// Runs with bad data that the checked writer would refuse, written unchecked for tests of
// the readers and commands that must find it.
import { join } from 'node:path';
import { createRun } from '../../data/index.js';
import { testAgents, writeSteps } from './makeTestRun.js';

/** Streams that repeat (episode 0, step 0..3) after 30 other rows (not next to their twins). */
export function runWithLateDuplicate(root: string, name = 'dup'): string {
  const dir = join(root, name);
  const agents = testAgents([4, 3]);
  const w = createRun(dir, { source: { kind: 'test' }, agents, flushIntervalMs: 0, batchRows: 8, validate: false });
  writeSteps(w, agents, 3, 10);
  writeSteps(w, agents, 1, 4, 0);
  w.close();
  return dir;
}

/** Agent B's hidden state is NaN at (episode 1, step 2) = row 12 (10 steps per episode). */
export function runWithNaN(root: string, name = 'nan'): string {
  const dir = join(root, name);
  const agents = testAgents([4, 3]);
  const w = createRun(dir, { source: { kind: 'test' }, agents, flushIntervalMs: 0, batchRows: 8, validate: false });
  writeSteps(w, agents, 1, 10);
  writeSteps(w, agents, 1, 2, 1);
  w.append('A', { episode: [1], step: [2], hidden: new Float32Array(4) });
  w.append('B', { episode: [1], step: [2], hidden: Float32Array.of(0, NaN, 0) });
  writeSteps(w, agents, 1, 10, 2);
  w.close();
  return dir;
}

/** An Arrow IPC file as pyarrow writes it: ARROW1, padding, the stream (with its end marker), a footer, its length, ARROW1. */
export function arrowFile(stream: Uint8Array): Uint8Array {
  const footer = new Uint8Array(24).fill(7);
  const len = Buffer.alloc(4);
  len.writeInt32LE(footer.byteLength);
  return Buffer.concat([Buffer.from('ARROW1\0\0'), stream, footer, len, Buffer.from('ARROW1')]);
}
