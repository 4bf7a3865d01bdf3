// Issue 17, the probes that failed: CSRF from a foreign page, symbolic links in runs/,
// corrupt runs shown as healthy, deep JSON, slow bodies, and Arrow *file* bodies.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { RecordBatchStreamWriter, tableFromIPC, tableToIPC } from 'apache-arrow';
import { schemaFor, stepsToBatch } from '../../examples/node-recorder/workbenchRecorder.js';
import { openRun } from '../../data/index.js';
import type { RunningServer } from '../../server/index.js';
import { makeRng } from '../../util/random.js';
import { INGEST_AGENTS, ingestStream } from '../fuzz/httpTargets.js';
import { arrowFile, runWithLateDuplicate } from '../helpers/badRuns.js';
import { makeWebWorkspace } from '../helpers/serverFixtures.js';
import { getJson, startTestServer } from '../helpers/serverClient.js';
import { tempDir } from '../helpers/tmp.js';

let server: RunningServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

type Err = { error: { code: string; message: string } };
const ARROW = 'application/vnd.apache.arrow.stream';

async function post(path: string, body: BodyInit, headers: Record<string, string>) {
  return getJson<Err & Record<string, unknown>>(`${server!.url}${path}`, { method: 'POST', headers, body });
}

async function createLive(id: string) {
  const res = await post('/api/runs', JSON.stringify({ id, agents: INGEST_AGENTS }), { 'Content-Type': 'application/json' });
  expect(res.status).toBe(201);
}

/** Resolves when the server closes the socket; the bytes are sent and nothing more. */
function halfRequest(port: number, head: string, part: string | Uint8Array): Promise<number> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => s.write(Buffer.concat([Buffer.from(head), Buffer.from(part)])));
    s.on('data', () => undefined);
    s.on('error', () => undefined);
    s.on('close', () => resolve(Date.now() - t0));
  });
}

describe('CSRF: state changes need a same-origin proof, token or not', () => {
  it('refuses a foreign Origin, cross-site fetches and text/plain or form bodies; recorders and the own page pass', async () => {
    server = await startTestServer({ workspace: tempDir() });
    await createLive('L');
    const json = { 'Content-Type': 'application/json' };
    const probes: [Record<string, string>, number, RegExp][] = [
      [{ Origin: 'http://evil.com', 'Content-Type': 'text/plain' }, 403, /another origin/],
      [{ Origin: 'http://evil.com', ...json }, 403, /another origin/],
      [{ Origin: 'null', ...json }, 403, /another origin/],
      [{ 'Sec-Fetch-Site': 'cross-site', ...json }, 403, /cross-site/],
      [{ 'Sec-Fetch-Site': 'same-site', ...json }, 403, /cross-site/],
      [{ 'Content-Type': 'text/plain' }, 415, /application\/json/],
      [{ 'Content-Type': 'application/x-www-form-urlencoded' }, 415, /application\/json/],
      [{ 'Content-Type': 'multipart/form-data; boundary=x' }, 415, /application\/json/],
      [{}, 415, /application\/json/],
    ];
    for (const [headers, status, msg] of probes) {
      const res = await post('/api/runs/L/finish', 'x', headers);
      expect([headers, res.status]).toEqual([headers, status]);
      expect(res.body.error.message).toMatch(msg);
      const create = await post('/api/runs', JSON.stringify({ id: 'evil', agents: INGEST_AGENTS }), headers);
      expect(create.status).toBe(status);
    }
    expect(openRun(join(server.workbench.config.workspace, 'runs', 'L')).manifest.status).toBe('recording');
    // Steps from a foreign page are refused too, in any body type.
    expect((await post('/api/runs/L/agents/A/steps', ingestStream(INGEST_AGENTS[0]!, 4, 1) as BodyInit, { Origin: 'http://evil.com', 'Content-Type': ARROW })).status).toBe(403);
    // Recorders send no Origin; the workbench's own page sends its own origin.
    expect((await post('/api/runs/L/agents/A/steps', ingestStream(INGEST_AGENTS[0]!, 4, 1) as BodyInit, { 'Content-Type': ARROW })).status).toBe(200);
    const own = await post('/api/runs/L/finish', '{}', { Origin: server.url, 'Sec-Fetch-Site': 'same-origin', ...json });
    expect(own.status).toBe(200);
    expect(openRun(join(server.workbench.config.workspace, 'runs', 'L')).manifest.status).toBe('complete');
  });
});

describe('symbolic links in the workspace', () => {
  it('a dangling link in runs/ is listed with a one-line error; the list and the CLI go on', async () => {
    const ws = tempDir();
    makeWebWorkspace(ws);
    symlinkSync(join(ws, 'nowhere'), join(ws, 'runs', 'dangling'));
    server = await startTestServer({ workspace: ws });
    const runs = await getJson<{ runs: { id: string; status: string; error?: string }[] }>(`${server.url}/api/runs`);
    expect(runs.status).toBe(200);
    const byId = Object.fromEntries(runs.body.runs.map((r) => [r.id, r]));
    expect(byId['demo-run']!.status).toBe('complete');
    expect(byId.dangling).toMatchObject({ status: 'unreadable', error: 'runs/dangling is a symbolic link that leads nowhere' });
    expect((await getJson(`${server.url}/api/runs/dangling`)).status).toBe(404);
  });

  it('an agent stream or run.json linked out of the workspace is refused without its contents or paths', async () => {
    const ws = tempDir();
    makeWebWorkspace(ws);
    const outside = tempDir();
    writeFileSync(join(outside, 'passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
    makeWebWorkspace(outside);
    const run = join(ws, 'runs', 'demo-run');
    rmSync(join(run, 'agents', 'A.arrows'));
    symlinkSync(join(outside, 'runs', 'demo-run', 'agents', 'A.arrows'), join(run, 'agents', 'A.arrows'));
    makeWebWorkspace(join(ws, 'second'));
    mkdirSync(join(ws, 'runs', 'pw', 'agents'), { recursive: true });
    symlinkSync(join(outside, 'passwd'), join(ws, 'runs', 'pw', 'run.json'));
    server = await startTestServer({ workspace: ws });
    const list = await getJson<{ runs: { id: string; status: string; error?: string }[] }>(`${server.url}/api/runs`);
    const text = JSON.stringify(list.body);
    expect(text).not.toMatch(/root:|\/bin\/bash/);
    expect(text).not.toContain(outside);
    expect(text).not.toContain(ws);
    const byId = Object.fromEntries(list.body.runs.map((r) => [r.id, r]));
    expect(byId.pw).toMatchObject({ status: 'unreadable', error: expect.stringMatching(/run\.json is a symbolic link that leads out of the run folder; it is not read/) });
    expect(byId['demo-run']).toMatchObject({ status: 'corrupt', error: expect.stringMatching(/agent stream of 'A' is a symbolic link that leads out of the run folder/) });
    for (const p of ['/api/runs/demo-run', '/api/runs/demo-run/behaviour', '/api/runs/pw', '/api/runs/pw/behaviour']) {
      const res = await getJson<Err>(`${server.url}${p}`);
      expect([p, res.status]).toEqual([p, 422]);
      expect(JSON.stringify(res.body)).not.toMatch(/root:|\/bin\/bash|\/tmp\//);
    }
  });
});

describe('run health comes from the data', () => {
  it('a stream of random bytes makes the run corrupt: listed with a one-line reason, 422 on every endpoint', async () => {
    const ws = tempDir();
    makeWebWorkspace(ws);
    const rng = makeRng(17);
    writeFileSync(join(ws, 'runs', 'demo-run', 'agents', 'A.arrows'), Uint8Array.from({ length: 4096 }, () => Math.floor(rng.next() * 256)));
    server = await startTestServer({ workspace: ws });
    const list = await getJson<{ runs: { id: string; status: string; error?: string; live: boolean }[] }>(`${server.url}/api/runs`);
    const r = list.body.runs.find((x) => x.id === 'demo-run')!;
    expect(r.status).toBe('corrupt');
    expect(r.live).toBe(false);
    expect(r.error).toMatch(/^agent 'A': corrupt Arrow (stream|message)/);
    expect(r.error).toMatch(/agents\/A\.arrows/);
    expect(r.error).not.toMatch(/\n/);
    expect(r.error).not.toContain(ws);
    for (const p of ['', '/behaviour', '/codes', '/codes/ck1', '/codes/ck1/rows', '/codes/ck1/heatmap', '/codes/ck1/latents/3', '/reports', '/reports/conflicts', '/reports/conflicts/files/report.json']) {
      const res = await getJson<Err>(`${server.url}/api/runs/demo-run${p}`);
      expect([p, res.status]).toEqual([p, 422]);
      expect(res.body.error.message).toMatch(/^run 'demo-run' is corrupt: agent 'A': corrupt Arrow/);
      expect(res.body.error.message).not.toContain(ws);
    }
  });

  it('a non-adjacent repeated key found while reading behaviour is a 422, and the list says corrupt', async () => {
    const ws = tempDir();
    runWithLateDuplicate(join(ws, 'runs'));
    server = await startTestServer({ workspace: ws });
    const res = await getJson<Err>(`${server.url}/api/runs/dup/behaviour`);
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/^run 'dup' is corrupt: duplicate key in agent 'A': \(episode 0, step 0\) at row 30 repeats row 0/);
    const list = await getJson<{ runs: { id: string; status: string }[] }>(`${server.url}/api/runs`);
    expect(list.body.runs[0]).toMatchObject({ id: 'dup', status: 'corrupt' });
    expect((await getJson(`${server.url}/api/runs/dup`)).status).toBe(422);
  });
});

describe('resource limits', () => {
  it('a JSON body nested 5000 deep is a 400, not a 500', async () => {
    server = await startTestServer({ workspace: tempDir() });
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    for (const body of [deep, `{"id":"d","agents":${deep}}`, `{"id":"d","agents":[{"id":"A","hiddenSize":2}],"source":{"kind":"x","params":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}}`]) {
      const res = await post('/api/runs', body, { 'Content-Type': 'application/json' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/nested more than 64 levels/);
    }
    expect((await post('/api/runs', `{"id":"ok","agents":[{"id":"A","hiddenSize":2,"columns":[]}],"source":{"kind":"x","params":{"s":"${'['.repeat(500)}"}}}`, { 'Content-Type': 'application/json' })).status).toBe(201);
  });

  it('closes connections that send headers and half a body, JSON or streamed steps', async () => {
    server = await startTestServer({ workspace: tempDir(), requestTimeoutMs: 400, idleTimeoutMs: 1200 });
    await createLive('S');
    const json = await halfRequest(server.port, `POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`, '{"id":"slow",');
    expect(json).toBeLessThan(1100); // the request deadline, before the idle timeout
    // Half of a valid stream, as one chunk: then nothing.
    const half = ingestStream(INGEST_AGENTS[0]!, 40, 4).subarray(0, 700);
    const chunk = Buffer.concat([Buffer.from(`${half.byteLength.toString(16)}\r\n`), half, Buffer.from('\r\n')]);
    const steps = await halfRequest(server.port, `POST /api/runs/S/agents/A/steps HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${ARROW}\r\nTransfer-Encoding: chunked\r\n\r\n`, chunk);
    expect(steps).toBeGreaterThan(1000); // streamed steps may take long, but not go silent
    expect(steps).toBeLessThan(4000);
    expect((await getJson(`${server.url}/api/health`)).status).toBe(200);
  }, 20_000);
});

describe('large Arrow bodies', () => {
  it('a single record batch over 64 MiB is refused with 413 (it would be held whole); smaller batches stream', async () => {
    server = await startTestServer({ workspace: tempDir() });
    const agent = { id: 'A', hiddenSize: 4096, columns: [] };
    await post('/api/runs', JSON.stringify({ id: 'big', agents: [agent] }), { 'Content-Type': 'application/json' });
    const schema = schemaFor(agent);
    const one = (rows: number) => {
      const w = new RecordBatchStreamWriter();
      w.reset(undefined, schema);
      w.write(stepsToBatch(agent, schema, { episode: Array.from({ length: rows }, (_, i) => i), step: new Array<number>(rows).fill(0), hidden: new Float32Array(rows * 4096), columns: {} as never }));
      w.finish();
      return w.toUint8Array(true);
    };
    const res = await post('/api/runs/big/agents/A/steps', one(4200) as BodyInit, { 'Content-Type': ARROW }).catch((e: Error) => ({ status: -1, body: { error: { code: '', message: e.message } } }));
    expect(res.status).toBe(413);
    expect(res.body.error.message).toMatch(/record batches of at most 64 MiB; split the steps into smaller batches/);
    expect((await post('/api/runs/big/agents/A/steps', one(100) as BodyInit, { 'Content-Type': ARROW })).status).toBe(200);
  }, 30_000);
});

describe('Arrow file format', () => {
  it('a steps body in Arrow file format (ARROW1) is read as the stream inside it', async () => {
    server = await startTestServer({ workspace: tempDir() });
    await createLive('F');
    // What pyarrow's ipc.new_file writes: magic, the whole stream, footer, length, magic.
    const file = arrowFile(ingestStream(INGEST_AGENTS[0]!, 12, 3));
    const res = await post('/api/runs/F/agents/A/steps', file as BodyInit, { 'Content-Type': ARROW });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.rows).toBe(12);
    // apache-arrow's file writer keeps the schema only in the footer: said clearly.
    const jsFile = tableToIPC(tableFromIPC(ingestStream(INGEST_AGENTS[1]!, 12, 3)), 'file');
    const js = await post('/api/runs/F/agents/B/steps', jsFile as BodyInit, { 'Content-Type': ARROW });
    expect(js.status).toBe(422);
    expect(js.body.error.message).toMatch(/this is an Arrow file \(magic ARROW1\), not a stream/);
    const cut = await post('/api/runs/F/agents/B/steps', file.subarray(0, 7) as BodyInit, { 'Content-Type': ARROW });
    expect(cut.status).toBe(422);
    expect(cut.body.error.message).toMatch(/this is an Arrow file \(magic ARROW1\) cut short, not an Arrow IPC stream/);
  });
});
