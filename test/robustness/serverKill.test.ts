// kill -9 of the workbench (`thoughtlens serve`, a real child process) while recorders
// stream steps into it over HTTP: every flushed batch stays readable with the values that
// were sent (a prefix of what was sent, nothing reordered or invented), steps whose POST was
// answered are on disk, the manifest never claims more rows than RunReader.scan() finds,
// and a restarted server serves the run.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openRun } from '../../data/index.js';
import { StepStream } from '../../examples/node-recorder/workbenchRecorder.js';
import { makeRng } from '../../util/random.js';
import { spawnTs, type Child } from '../helpers/childProcess.js';
import { tempDir } from '../helpers/tmp.js';
import { INGEST_AGENTS, ingestHidden, ingestStream } from '../fuzz/targets.js';

const CLI = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));
const ITERATIONS = Number(process.env.TL_KILL_ITERATIONS ?? 3);

async function serve(ws: string): Promise<{ child: Child; url: string }> {
  const child = spawnTs(CLI, ['-w', ws, 'serve', '--port', '0']);
  const line = await child.waitFor(/^thoughtlens workbench: http/, 30_000);
  return { child, url: /(http:\/\/[^/\s]+)/.exec(line)![1]! };
}

const [A, B] = INGEST_AGENTS as [(typeof INGEST_AGENTS)[0], (typeof INGEST_AGENTS)[0]];

describe('kill -9 of the server during HTTP ingestion', () => {
  const rng = makeRng(8303);
  const plans = Array.from({ length: ITERATIONS }, (_, i) => ({ i: String(i), killAfterMs: 150 + Math.round(rng.next() * 1200) }));

  it.each(plans)('iteration $i: killed $killAfterMs ms into the streams', async ({ killAfterMs }) => {
    const ws = tempDir();
    const { child, url } = await serve(ws);
    const created = await fetch(`${url}/api/runs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: 'live', agents: INGEST_AGENTS }) });
    expect(created.status).toBe(201);

    // Agent A: many short POSTs of 10 steps; remember when each was answered.
    let killed = false;
    const acked: { rows: number; at: number }[] = [];
    const shortPosts = (async () => {
      for (let t = 0; !killed; t += 10) {
        try {
          const res = await fetch(`${url}/api/runs/live/agents/A/steps`, { method: 'POST', headers: { 'Content-Type': 'application/vnd.apache.arrow.stream' }, body: ingestStream(A, 10, 1, t) as BodyInit });
          if (res.status !== 200) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
          const body = (await res.json()) as { totalRows: number };
          acked.push({ rows: body.totalRows, at: performance.now() });
        } catch (err) {
          if (killed) return;
          throw err;
        }
      }
    })();
    // Agent B: one chunked POST that stays open, a record batch of 7 steps at a time.
    const stream = new StepStream(B, `${url}/api/runs/live/agents/B/steps`, {});
    const longPost = (async () => {
      for (let t = 0; !killed; t += 7) {
        const steps = Array.from({ length: 7 }, (_, i) => t + i);
        stream.write({
          episode: steps.map((s) => Math.floor(s / 50)),
          step: steps.map((s) => s % 50),
          hidden: Float32Array.from({ length: 7 * B.hiddenSize }, (_, k) => ingestHidden(t + Math.floor(k / B.hiddenSize), k % B.hiddenSize)),
          columns: { reward: steps.map((s) => s % 3) },
        });
        await sleep(2);
      }
    })();

    await sleep(killAfterMs);
    const killAt = performance.now();
    killed = true;
    child.proc.kill('SIGKILL');
    expect((await child.exited).signal).toBe('SIGKILL');
    await shortPosts;
    await longPost;
    await stream.done.catch(() => undefined);

    const run = openRun(join(ws, 'runs', 'live'));
    expect(run.manifest.status).toBe('recording');
    const scans = run.scan();
    for (const s of scans) expect(run.manifest.counts[s.agent]!.rows, `manifest rows of ${s.agent}`).toBeLessThanOrEqual(s.rows);
    // Every row on disk is exactly the row that was sent at that position.
    for (const [a, ag] of [A, B].entries()) {
      const d = ag.hiddenSize;
      let t = 0;
      for (const b of run.openAgent(ag.id).batches()) {
        for (let i = 0; i < b.length; i++, t++) {
          expect([b.episode[i], b.step[i]]).toEqual([Math.floor(t / 50), t % 50]);
          for (let e = 0; e < d; e++) if (b.hidden[i * d + e] !== ingestHidden(t, e)) throw new Error(`agent ${ag.id} row ${t} element ${e} differs`);
        }
      }
      expect(t).toBe(scans[a]!.rows);
    }
    // The server flushes a POST's steps before it answers: every answered POST is on disk.
    const last = acked.filter((x) => x.at < killAt).pop();
    if (last) expect(scans[0]!.rows).toBeGreaterThanOrEqual(last.rows);
    expect(scans[0]!.rows + scans[1]!.rows).toBeGreaterThan(0); // the streams did run

    // A restarted server reads the run (stale: recording, writer gone) and takes new ones.
    const again = await serve(ws);
    try {
      const detail = await fetch(`${again.url}/api/runs/live`);
      expect(detail.status).toBe(200);
      const list = await fetch(`${again.url}/api/runs`);
      expect(JSON.stringify(await list.json())).toContain('live');
    } finally {
      again.child.proc.kill('SIGKILL');
      await again.child.exited;
    }
  });
});
