// kill -9 of `thoughtlens record synthetic` (a real child process) at seeded random
// moments: the run opens, reads as stale, every row the recorder acknowledged (its manifest
// counts, watched until the kill) is on disk, every flushed batch decodes with keys in
// order and finite hidden states, the manifest never claims more than is on disk, and the
// CLI can inspect the run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readTruthTable } from '../../data/index.js';
import { expectKilledRunConsistent } from '../helpers/killedRun.js';
import { makeRng } from '../../util/random.js';
import { spawnTs } from '../helpers/childProcess.js';
import { runCliCapture } from '../helpers/runCliCapture.js';
import { tempDir } from '../helpers/tmp.js';

const CLI = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));
const ITERATIONS = Number(process.env.TL_KILL_ITERATIONS ?? 4);

async function waitForFile(file: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > until) throw new Error(`${file} did not appear within ${timeoutMs} ms`);
    await sleep(10);
  }
}

/**
 * Rows the recorder acknowledged as durable: the manifest's counts, which it rewrites only
 * after the rows they count were written (docs/FORMAT.md). Polled while the recorder runs.
 */
function acknowledged(dir: string, acked: Record<string, number>): void {
  try {
    const m = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { counts?: Record<string, { rows: number }> };
    for (const [agent, c] of Object.entries(m.counts ?? {})) acked[agent] = Math.max(acked[agent] ?? 0, c.rows);
  } catch {
    // between the recorder's atomic rewrites there is always a whole manifest; ignore races
  }
}

async function watchAcks(dir: string, ms: number, acked: Record<string, number>, until?: () => boolean): Promise<void> {
  const end = Date.now() + ms;
  do {
    acknowledged(dir, acked);
    if (until?.()) return;
    await sleep(5);
  } while (Date.now() < end);
}

describe('kill -9 of the recorder (thoughtlens record synthetic)', () => {
  const rng = makeRng(8101);
  const plans = Array.from({ length: ITERATIONS }, (_, i) => ({ i: String(i), killAfterMs: Math.round(rng.next() * 1200), dims: [16, 64, 256][i % 3]!, waitForAck: false }));
  // One kill only after the recorder acknowledged rows: a writer that never flushes fails it.
  plans.push({ i: 'ack', killAfterMs: 0, dims: 64, waitForAck: true });

  it.each(plans)('iteration $i: killed $killAfterMs ms after the run appeared (d=$dims)', async ({ killAfterMs, dims, waitForAck }) => {
    const ws = tempDir();
    const child = spawnTs(CLI, ['-w', ws, '-q', 'record', 'synthetic', '--episodes', '100000', '--steps', '100', '--dims', String(dims), '--seed', '5', '-o', 'r']);
    const dir = join(ws, 'runs', 'r');
    await waitForFile(join(dir, 'run.json'), 30_000);
    const acked: Record<string, number> = {};
    if (waitForAck) await watchAcks(dir, 30_000, acked, () => Object.values(acked).some((n) => n > 0));
    else await watchAcks(dir, killAfterMs, acked);
    acknowledged(dir, acked); // the last acknowledgement before the kill
    child.proc.kill('SIGKILL');
    const { signal } = await child.exited;
    expect(signal, `the recorder ended on its own; stderr:\n${child.stderr()}`).toBe('SIGKILL');
    if (waitForAck) expect(Math.max(0, ...Object.values(acked)), 'the recorder acknowledged no rows within 30 s').toBeGreaterThan(0);

    const { run, scans } = expectKilledRunConsistent(dir);
    // Every row acknowledged before the kill is on disk.
    run.manifest.agents.forEach((ag, a) => expect([ag.id, scans[a]!.rows >= (acked[ag.id] ?? 0)]).toEqual([ag.id, true]));
    // Every flushed batch of every agent decodes: keys strictly increasing, hidden finite.
    run.manifest.agents.forEach((ag, a) => {
      const reader = run.openAgent(ag.id);
      let rows = 0;
      let last = -1;
      for (const b of reader.batches()) {
        for (let i = 0; i < b.length; i++) {
          const key = b.episode[i]! * 100 + b.step[i]!;
          expect(key).toBe(last + 1); // synthetic steps are contiguous: nothing lost inside the prefix
          last = key;
        }
        for (const x of b.hidden) if (!Number.isFinite(x)) throw new Error(`non-finite hidden value in ${ag.id}`);
        rows += b.length;
      }
      reader.close();
      expect(rows).toBe(scans[a]!.rows);
    });
    // Truth files are listed only once complete: every listed one reads.
    for (const name of run.manifest.truth ?? []) {
      expect(existsSync(join(dir, name)), name).toBe(true);
      if (name.endsWith('.json')) expect(() => JSON.parse(readFileSync(join(dir, name), 'utf8')) as unknown).not.toThrow();
      else expect(readTruthTable(dir, name).numRows).toBeGreaterThan(0);
    }
    let joined = 0;
    for (const b of run.joined()) joined += b.length;
    expect(joined).toBe(Math.min(...scans.map((s) => s.rows)));
    // The CLI reads it too, and says it is stale.
    const inspect = await runCliCapture(['-w', ws, '--json', 'inspect', 'r']);
    expect(inspect.code, inspect.stderr).toBe(0);
    expect(inspect.stdout).toMatch(/stale/);
  });
});
