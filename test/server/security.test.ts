// Security of the workbench (issue 8, part 4): bind rules, token on every route, no path
// traversal or symlink escape, body limits, rate limit, no stack traces in responses.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { startServer, type RunningServer } from '../../server/index.js';
import { makeWebWorkspace } from '../helpers/serverFixtures.js';
import { collectEvents, getJson, startTestServer } from '../helpers/serverClient.js';
import { tempDir } from '../helpers/tmp.js';

const TOKEN = 'correct-horse-battery-staple-42';
let server: RunningServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const ROUTES: [string, string, unknown?][] = [
  ['GET', '/api/health'],
  ['GET', '/api/runs'],
  ['GET', '/api/runs/demo-run'],
  ['GET', '/api/runs/demo-run/behaviour'],
  ['GET', '/api/runs/demo-run/codes'],
  ['GET', '/api/runs/demo-run/codes/ck1'],
  ['GET', '/api/runs/demo-run/codes/ck1/rows'],
  ['GET', '/api/runs/demo-run/codes/ck1/heatmap'],
  ['GET', '/api/runs/demo-run/codes/ck1/latents/3'],
  ['GET', '/api/runs/demo-run/reports'],
  ['GET', '/api/runs/demo-run/reports/conflicts'],
  ['GET', '/api/runs/demo-run/reports/conflicts/files/report.json'],
  ['GET', '/api/checkpoints'],
  ['GET', '/api/checkpoints/ck1'],
  ['GET', '/api/compare?a=ck1&b=ck2'],
  ['GET', '/api/experiments'],
  ['GET', '/api/experiments/exp1'],
  ['GET', '/api/experiments/exp1/latents/0'],
  ['POST', '/api/runs', { id: 'x', agents: [{ id: 'A', hiddenSize: 2 }] }],
  ['POST', '/api/runs/demo-run/agents/A/steps'],
  ['POST', '/api/runs/demo-run/finish', {}],
  ['GET', '/'],
  ['GET', '/index.html'],
];

function call(base: string, method: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  return getJson<{ error?: { code: string; message: string } }>(`${base}${path}`, {
    method,
    headers: { 'Content-Type': path.endsWith('/steps') ? 'application/vnd.apache.arrow.stream' : 'application/json', ...headers },
    body: method === 'POST' ? (path.endsWith('/steps') ? new Uint8Array(16) : JSON.stringify(body)) : undefined,
  });
}

describe('workbench security', () => {
  it('refuses to bind anything but loopback without a token, and short tokens', async () => {
    const ws = tempDir();
    await expect(startServer({ workspace: ws, host: '0.0.0.0', port: 0 })).rejects.toMatchObject({ code: 'TL_CONFIG', message: expect.stringMatching(/without an access token/) });
    await expect(startServer({ workspace: ws, host: '0.0.0.0', port: 0, token: 'short' })).rejects.toMatchObject({ code: 'TL_CONFIG' });
    server = await startServer({ workspace: ws, host: '0.0.0.0', port: 0, token: TOKEN });
    expect((await getJson(`http://127.0.0.1:${server.port}/api/runs`)).status).toBe(401);
  });

  it('binds 127.0.0.1 by default', async () => {
    server = await startServer({ workspace: tempDir(), port: 0 });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers 401 on every route (API, files, static app, ingestion, SSE) without the right token', async () => {
    const ws = tempDir();
    makeWebWorkspace(ws);
    server = await startTestServer({ workspace: ws, token: TOKEN });
    for (const [method, path, body] of ROUTES) {
      for (const headers of [{}, { Authorization: 'Bearer wrong-token-wrong-token' }, { Authorization: `Bearer ${TOKEN}x` }] as Record<string, string>[]) {
        const res = await call(server.url, method, path, body, headers);
        expect([method, path, res.status]).toEqual([method, path, 401]);
        expect(res.body.error!.code).toBe('TL_AUTH');
      }
      const q = await call(server.url, method, `${path}${path.includes('?') ? '&' : '?'}token=nope`, body);
      expect([path, q.status]).toEqual([path, 401]);
    }
    const sse = await collectEvents(`${server.url}/api/events`, () => true, 2000);
    expect(sse.status).toBe(401);
    const sseWrong = await collectEvents(`${server.url}/api/events?token=wrong`, () => true, 2000);
    expect(sseWrong.status).toBe(401);
    // With the token: header, query (EventSource) or the cookie the page load sets.
    expect((await call(server.url, 'GET', '/api/runs', undefined, { Authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect((await call(server.url, 'GET', `/api/runs?token=${TOKEN}`, undefined)).status).toBe(200);
    const sseOk = await collectEvents(`${server.url}/api/events?token=${TOKEN}`, () => true, 2000);
    expect(sseOk.status).toBe(200);
    const page = await fetch(`${server.url}/?token=${TOKEN}`);
    const cookie = page.headers.get('set-cookie')!;
    expect(cookie).toMatch(/tl_token=.*HttpOnly.*SameSite=Strict/i);
    expect((await call(server.url, 'GET', '/api/runs', undefined, { Cookie: cookie.split(';')[0]! })).status).toBe(200);
    const create = await call(server.url, 'POST', '/api/runs', { id: 'authed', agents: [{ id: 'A', hiddenSize: 2 }] }, { Authorization: `Bearer ${TOKEN}` });
    expect(create.status).toBe(201);
  });

  it('rejects path traversal and symlinks that lead out of the workspace', async () => {
    const ws = tempDir();
    makeWebWorkspace(ws);
    const outside = tempDir();
    writeFileSync(join(outside, 'secret.txt'), 'TOP SECRET');
    makeWebWorkspace(outside); // a complete run outside, reachable only through a symlink
    symlinkSync(join(outside, 'runs', 'demo-run'), join(ws, 'runs', 'escape'));
    mkdirSync(join(ws, 'runs', 'demo-run', 'reports', 'evil'), { recursive: true });
    symlinkSync(join(outside, 'secret.txt'), join(ws, 'runs', 'demo-run', 'reports', 'evil', 'report.md'));
    symlinkSync(join(outside, 'checkpoints', 'ck1'), join(ws, 'checkpoints', 'stolen'));
    server = await startTestServer({ workspace: ws });
    const paths = [
      '/api/runs/..%2F..%2Fetc',
      '/api/runs/%2e%2e',
      '/api/runs/..',
      '/api/runs/demo-run/reports/..%2F..%2F..%2Fsecret/files/report.md',
      '/api/runs/demo-run/reports/conflicts/files/..%2F..%2Frun.json',
      '/api/runs/demo-run/codes/..%2Fck1',
      '/api/checkpoints/..%2F..',
      '/api/runs/escape',
      '/api/runs/escape/behaviour',
      '/api/runs/demo-run/reports/evil/files/report.md',
      '/api/checkpoints/stolen',
      '/..%2F..%2F..%2Fetc%2Fpasswd',
      '/%2e%2e/%2e%2e/etc/passwd',
    ];
    for (const p of paths) {
      const res = await getJson<{ error: { code: string; message: string } }>(`${server.url}${p}`);
      expect([p, res.status >= 400 && res.status < 500]).toEqual([p, true]);
      expect(JSON.stringify(res.body)).not.toMatch(/TOP SECRET|root:/);
    }
    const esc = await getJson<{ error: { message: string } }>(`${server.url}/api/runs/escape`);
    expect(esc.body.error.message).toMatch(/outside the workspace/);
    // The escaping link is listed as unreadable (issue 17), never followed.
    const runs = await getJson<{ runs: { id: string; status: string; error?: string }[] }>(`${server.url}/api/runs`);
    expect(runs.body.runs.map((r) => [r.id, r.status])).toEqual([['demo-run', 'complete'], ['escape', 'unreadable']]);
    expect(runs.body.runs[1]!.error).toBe('runs/escape is a symbolic link that leads out of the workspace; it is not read');
  });

  it('limits body sizes (413) and header sizes (431)', async () => {
    const ws = tempDir();
    server = await startTestServer({ workspace: ws, jsonLimit: 1024, ingestLimit: 4096 });
    const big = await call(server.url, 'POST', '/api/runs', { id: 'big', agents: [{ id: 'A', hiddenSize: 2, model: 'x'.repeat(5000) }] });
    expect(big.status).toBe(413);
    expect(big.body.error!.code).toBe('TL_TOO_LARGE');
    await call(server.url, 'POST', '/api/runs', { id: 'r1', agents: [{ id: 'A', hiddenSize: 1000 }] });
    const { schemaFor, stepsToBatch } = await import('../../examples/node-recorder/workbenchRecorder.js');
    const { RecordBatchStreamWriter } = await import('apache-arrow');
    const agent = { id: 'A', hiddenSize: 1000 };
    const w = new RecordBatchStreamWriter();
    w.write(stepsToBatch(agent, schemaFor(agent), { episode: [0, 0], step: [0, 1], hidden: new Float32Array(2000) }));
    w.finish();
    const res = await getJson<{ error: { code: string } }>(`${server.url}/api/runs/r1/agents/A/steps`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/vnd.apache.arrow.stream' },
      body: w.toUint8Array(true) as Uint8Array<ArrayBuffer>,
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('TL_TOO_LARGE');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server!.url}/api/runs`, { headers: { 'X-Big': 'y'.repeat(20_000) } }, (r) => resolve(r.statusCode!));
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(431);
  });

  it('rate-limits a client that sends too many requests (429 with Retry-After)', async () => {
    server = await startTestServer({ workspace: tempDir(), rateLimit: { max: 5, windowMs: 60_000 } });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await getJson(`${server.url}/api/health`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const res = await fetch(`${server.url}/api/health`);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('rejects foreign Host names on a loopback bind (DNS rebinding)', async () => {
    server = await startTestServer({ workspace: tempDir() });
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server!.url}/api/runs`, { headers: { Host: 'evil.example:80' } }, (r) => resolve(r.statusCode!));
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(400);
  });

  it('never sends stack traces or server paths, even for broken files', async () => {
    const ws = tempDir();
    const { runDir } = makeWebWorkspace(ws);
    writeFileSync(join(runDir, 'codes', 'broken.arrows'), 'this is not arrow');
    writeFileSync(join(runDir, 'reports', 'conflicts', 'report.json'), '{"flags": [');
    writeFileSync(join(ws, 'checkpoints', 'ck1', 'model.safetensors'), Buffer.from([255, 255, 255, 255, 0, 0, 0, 0, 1]));
    server = await startTestServer({ workspace: ws });
    for (const p of ['/api/runs/demo-run/codes/broken', '/api/runs/demo-run/reports/conflicts', '/api/checkpoints/ck1', '/api/compare?a=ck1&b=ck2', '/api/runs/demo-run/codes/broken/heatmap']) {
      const res = await getJson<{ error: { code: string; message: string } }>(`${server.url}${p}`);
      expect([p, res.status]).toEqual([p, 422]);
      const text = JSON.stringify(res.body);
      expect(text).not.toMatch(/\n\s+at |\.ts:\d+|node_modules/);
      expect(text).not.toContain(ws);
      expect(res.body.error.message.length).toBeGreaterThan(10);
    }
  });
});
