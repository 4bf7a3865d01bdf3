// End to end: the example Node recorder streams steps over HTTP into a running workbench;
// every row lands in the run store, counted and checksummed.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { openRun } from '../../data/index.js';
import type { RunningServer } from '../../server/index.js';
import { createServer, request, type Server } from 'node:http';
import { StepStream, WorkbenchRecorder } from '../../examples/node-recorder/workbenchRecorder.js';
import { collectEvents, getJson, startTestServer } from '../helpers/serverClient.js';
import { tempDir } from '../helpers/tmp.js';

let server: RunningServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const columns = [
  { name: 'action', type: 'int32' as const, role: 'action' as const },
  { name: 'reward', type: 'float32' as const, role: 'reward' as const },
  { name: 'note', type: 'utf8' as const, role: 'text' as const },
];

function hiddenOf(agent: number, t: number, d: number): Float32Array {
  return Float32Array.from({ length: d }, (_, k) => Math.fround(Math.cos(agent * 7 + t * 0.13 + k * 0.5)));
}

/** Row by row, so batch boundaries (which the server may change) do not matter. */
function checksum(parts: Iterable<{ episode: ArrayLike<number>; step: ArrayLike<number>; hidden: Float32Array; action: ArrayLike<unknown> }>): string {
  const h = createHash('sha256');
  for (const p of parts) {
    const n = p.episode.length;
    const d = p.hidden.length / n;
    for (let i = 0; i < n; i++) {
      h.update(`${p.episode[i]},${p.step[i]},${String(p.action[i])};`);
      const row = p.hidden.subarray(i * d, (i + 1) * d);
      h.update(Buffer.from(row.buffer, row.byteOffset, row.byteLength));
    }
  }
  return h.digest('hex');
}

describe('HTTP ingestion', () => {
  it('stores every step the Node recorder streams, in order, with matching checksums', async () => {
    const ws = tempDir();
    server = await startTestServer({ workspace: ws });
    const dims = [12, 7];
    const rec = await WorkbenchRecorder.create(server.url, {
      id: 'ext1',
      agents: [
        { id: 'A', hiddenSize: dims[0]!, columns },
        { id: 'B', hiddenSize: dims[1]!, columns },
      ],
    });
    const sent: Record<string, { episode: number[]; step: number[]; hidden: Float32Array; action: number[] }[]> = { A: [], B: [] };
    const streams = { A: rec.stream('A'), B: rec.stream('B') };
    const events = collectEvents(`${server.url}/api/events`, (ev) => ev.some((e) => e.type === 'run' && (e.data as { rows: number }).rows >= 475), 8000);
    let t = 0;
    for (let batch = 0; batch < 25; batch++) {
      const n = 1 + (batch % 5) * 9; // uneven batch sizes
      (['A', 'B'] as const).forEach((id, a) => {
        const d = dims[a]!;
        const hidden = new Float32Array(n * d);
        const episode: number[] = [];
        const step: number[] = [];
        const action: number[] = [];
        for (let i = 0; i < n; i++) {
          hidden.set(hiddenOf(a, t + i, d), i * d);
          episode.push(Math.floor((t + i) / 100));
          step.push((t + i) % 100);
          action.push((t + i + a) % 3);
        }
        sent[id]!.push({ episode, step, hidden, action });
        streams[id].write({ episode, step, hidden, columns: { action, reward: action.map((x) => x * 0.5), note: action.map((x) => `a${x}`) } });
      });
      t += n;
      if (batch % 5 === 4) await new Promise((r) => setTimeout(r, 10));
    }
    const [ra, rb] = await Promise.all([streams.A.close(), streams.B.close()]);
    expect(ra.rows).toBe(t);
    expect(rb.totalRows).toBe(t);
    await rec.finish();
    const ev = await events;
    expect(ev.events.some((e) => e.type === 'run' && (e.data as { run: string }).run === 'ext1')).toBe(true);

    const run = openRun(join(ws, 'runs', 'ext1'));
    expect(run.manifest.status).toBe('complete');
    expect(run.manifest.counts.A!.rows).toBe(t);
    const scans = run.scan();
    expect(scans.map((s) => [s.rows, s.ended, s.truncation])).toEqual([
      [t, true, null],
      [t, true, null],
    ]);
    const stored: Record<string, { episode: Int32Array; step: Int32Array; hidden: Float32Array; action: number[] }[]> = { A: [], B: [] };
    let rows = 0;
    for (const b of run.joined()) {
      rows += b.length;
      ['A', 'B'].forEach((id, a) => {
        stored[id]!.push({ episode: b.episode.slice(), step: b.step.slice(), hidden: b.hidden[a]!.slice(), action: Array.from(b.columns[a]!.action as ArrayLike<number>) });
      });
      expect(Array.from(b.columns[0]!.note as ArrayLike<string>).slice(0, 1)[0]).toMatch(/^a\d$/);
    }
    expect(rows).toBe(t);
    for (const id of ['A', 'B']) {
      const flat = (xs: { hidden: Float32Array }[]) => xs.reduce((s, x) => s + x.hidden.length, 0);
      expect(flat(stored[id]!)).toBe(flat(sent[id]!));
      expect(checksum(stored[id]!)).toBe(checksum(sent[id]!));
    }
  });

  it('rejects a stream whose schema does not match the agent, naming the column', async () => {
    const ws = tempDir();
    server = await startTestServer({ workspace: ws });
    await WorkbenchRecorder.create(server.url, { id: 'ext2', agents: [{ id: 'A', hiddenSize: 4 }, { id: 'B', hiddenSize: 4 }] });
    // A client that thinks A has 5 dimensions.
    const wrong = await WorkbenchRecorder.create(server.url, { id: 'ext2b', agents: [{ id: 'A', hiddenSize: 5 }] });
    const s = (wrong as unknown as { stream(id: string): { write(x: unknown): void; close(): Promise<unknown> } }).stream('A');
    Object.assign(s as object, {});
    // Point the same bytes at ext2's A: rebuild the request by hand.
    const { schemaFor, stepsToBatch } = await import('../../examples/node-recorder/workbenchRecorder.js');
    const { RecordBatchStreamWriter } = await import('apache-arrow');
    const agent = { id: 'A', hiddenSize: 5 };
    const w = new RecordBatchStreamWriter();
    const schema = schemaFor(agent);
    w.write(stepsToBatch(agent, schema, { episode: [0], step: [0], hidden: new Float32Array(5) }));
    w.finish();
    const res = await getJson<{ error: { code: string; message: string } }>(`${server.url}/api/runs/ext2/agents/A/steps`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/vnd.apache.arrow.stream' },
      body: w.toUint8Array(true) as Uint8Array<ArrayBuffer>,
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('TL_SCHEMA_MISMATCH');
    expect(res.body.error.message).toMatch(/wrong hidden dimension: the stream has 5, the manifest declares 4/);
    s.write({ episode: [0], step: [0], hidden: new Float32Array(5) });
    await s.close();
  });

  it('a resend with the same thoughtlens-offset stores nothing twice; an overlap stores only the new rows; a gap is refused', async () => {
    const ws = tempDir();
    server = await startTestServer({ workspace: ws });
    const rec = await WorkbenchRecorder.create(server.url, { id: 'idem', agents: [{ id: 'A', hiddenSize: 3 }] });
    const url = `${server.url}/api/runs/idem/agents/A/steps`;
    const post = (from: number, to: number, offset: string) => {
      const st = new StepStream(rec.agents[0]!, url, { 'thoughtlens-offset': offset });
      const n = to - from;
      st.write({ episode: new Array<number>(n).fill(0), step: Array.from({ length: n }, (_, i) => from + i), hidden: Float32Array.from({ length: n * 3 }, (_, k) => from * 3 + k) });
      return st.close();
    };
    expect(await post(0, 10, '0')).toMatchObject({ rows: 10, skipped: 0, totalRows: 10 });
    expect(await post(0, 10, '0')).toMatchObject({ rows: 0, skipped: 10, totalRows: 10 }); // the same request again
    expect(await post(5, 15, '5')).toMatchObject({ rows: 5, skipped: 5, totalRows: 15 }); // overlaps the stored rows
    await expect(post(20, 22, '20')).rejects.toThrow(/409.*thoughtlens-offset: 20 is past the 15 rows.*resend from 15/);
    await expect(post(15, 16, 'x1')).rejects.toThrow(/400.*must be a row number/);
    await rec.finish();
    const steps: number[] = [];
    const hidden: number[] = [];
    for (const b of openRun(join(ws, 'runs', 'idem')).joined()) {
      steps.push(...b.step);
      hidden.push(...b.hidden[0]!);
    }
    expect(steps).toEqual(Array.from({ length: 15 }, (_, i) => i));
    expect(hidden).toEqual(Array.from({ length: 45 }, (_, k) => k));
  });

  it('when the answer to a batch is lost on the way, the recorder retries and every step is stored once', async () => {
    const ws = tempDir();
    server = await startTestServer({ workspace: ws });
    const upstream = new URL(server.url);
    // A proxy that forwards every request but cuts the connection instead of answering
    // the first two step uploads: the workbench stored them, the recorder never heard so.
    let drops = 2;
    const proxy: Server = createServer((req, res) => {
      const fwd = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        if (req.url!.endsWith('/steps') && drops > 0) {
          drops--;
          up.resume();
          up.on('end', () => res.socket?.destroy());
          return;
        }
        res.writeHead(up.statusCode!, up.headers);
        up.pipe(res);
      });
      req.pipe(fwd);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const port = (proxy.address() as { port: number }).port;
      const rec = await WorkbenchRecorder.create(`http://127.0.0.1:${port}`, { id: 'lossy', agents: [{ id: 'A', hiddenSize: 2 }] });
      const results = [];
      for (let b = 0; b < 4; b++) {
        const steps = [0, 1, 2].map((i) => b * 3 + i);
        results.push(await rec.send('A', { episode: [0, 0, 0], step: steps, hidden: Float32Array.from(steps.flatMap((t) => [t, -t])) }, { backoffMs: 5 }));
      }
      expect(drops).toBe(0);
      expect(results.map((r) => r.totalRows)).toEqual([3, 6, 9, 12]);
      // Both lost answers were the first batch's (its first retry was cut too): the second
      // retry found its rows stored and stored nothing.
      expect(results.map((r) => [r.rows, r.skipped])).toEqual([[0, 3], [3, 0], [3, 0], [3, 0]]);
      await rec.finish();
      const steps: number[] = [];
      for (const b of openRun(join(ws, 'runs', 'lossy')).joined()) steps.push(...b.step);
      expect(steps).toEqual(Array.from({ length: 12 }, (_, i) => i));
    } finally {
      await new Promise((r) => proxy.close(r));
    }
  });

  it('rejects garbage bodies, wrong content types and appends to finished runs', async () => {
    const ws = tempDir();
    server = await startTestServer({ workspace: ws });
    const rec = await WorkbenchRecorder.create(server.url, { id: 'ext3', agents: [{ id: 'A', hiddenSize: 2 }] });
    const garbage = await getJson<{ error: { code: string; message: string } }>(`${server.url}/api/runs/ext3/agents/A/steps`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/vnd.apache.arrow.stream' },
      body: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
    });
    expect(garbage.status).toBeGreaterThanOrEqual(400);
    expect(garbage.status).toBeLessThan(500);
    expect(garbage.body.error.message).not.toMatch(/at .*\.(ts|js):\d+/);
    const json = await getJson<{ error: { message: string } }>(`${server.url}/api/runs/ext3/agents/A/steps`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(400);
    expect(json.body.error.message).toMatch(/Arrow IPC stream/);
    const dup = await getJson<{ error: { code: string } }>(`${server.url}/api/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 'ext3', agents: [{ id: 'A', hiddenSize: 2 }] }),
    });
    expect(dup.status).toBe(409);
    const badSpec = await getJson<{ error: { code: string; message: string } }>(`${server.url}/api/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 'ext4', agents: [{ id: 'A', hiddenSize: -1 }] }),
    });
    expect(badSpec.status).toBe(422);
    expect(badSpec.body.error.message).toMatch(/agents\[0\]\.hiddenSize/);
    await rec.finish();
    await expect(rec.send('A', { episode: [0], step: [0], hidden: new Float32Array(2) })).rejects.toThrow(/409.*not open for ingestion/);
  });
});
