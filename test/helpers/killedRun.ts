// What must hold for a run whose recorder was killed with SIGKILL: it is still marked
// `recording`, reads as `stale` (its writer is gone), and run.json never claims more rows,
// batches or bytes than each stream holds on disk. Returns the run and its scans for the
// caller's own checks of the data.
import { expect } from 'vitest';
import { openRun, type RunReader, type StreamScan } from '../../data/index.js';

export function expectKilledRunConsistent(dir: string): { run: RunReader; scans: StreamScan[] } {
  const run = openRun(dir);
  expect(run.manifest.status).toBe('recording');
  expect(run.effectiveStatus()).toBe('stale');
  const scans = run.scan();
  for (const s of scans) {
    const counted = run.manifest.counts[s.agent]!;
    expect(counted.rows, `manifest rows of ${s.agent}`).toBeLessThanOrEqual(s.rows);
    expect(counted.batches, `manifest batches of ${s.agent}`).toBeLessThanOrEqual(s.batches);
    expect(counted.bytes, `manifest bytes of ${s.agent}`).toBeLessThanOrEqual(s.bytes);
    expect(s.ended).toBe(false);
  }
  return { run, scans };
}
