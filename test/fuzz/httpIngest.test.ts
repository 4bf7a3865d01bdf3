// Seeded fuzzing of HTTP ingestion against a real workbench on 127.0.0.1:0: mutated Arrow
// IPC streams POSTed as an agent's steps, and mutated create-run JSON (the run.json fields
// a recorder sends). Every answer is 2xx or a 4xx JSON error with a message; whatever was
// accepted reads back with the manifest matching the disk; the server still serves
// /api/runs at the end.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRng } from '../../util/random.js';
import { mutateBytes } from '../helpers/fuzz.js';
import { getJson, startTestServer } from '../helpers/serverClient.js';
import { tempDir } from '../helpers/tmp.js';
import { INGEST_AGENTS, ingestStream, runTarget, targetNamed } from './targets.js';

const CASES = Number(process.env.TL_FUZZ_CASES ?? 200);

describe('fuzzing HTTP ingestion', () => {
  it('mutated Arrow IPC step streams: 4xx JSON or stored, never a 5xx, hang or lost server', async () => {
    const cases = Math.max(1, Math.round(CASES / 2)); // each case creates, feeds and finishes a run
    const s = await runTarget(targetNamed('HTTP ingestion: Arrow'), tempDir(), { seed: 41, cases, hangMs: 8000 }, makeRng);
    expect(s.crashes).toEqual([]);
    expect(s.hangs).toBe(0);
    expect(s.rejected).toBeGreaterThan(cases / 3);
    expect(s.accepted).toBeGreaterThan(0);
    expect(Object.keys(s.codes).every((c) => ['TL_FORMAT', 'TL_BAD_VALUE', 'TL_SCHEMA_MISMATCH', 'TL_BAD_REQUEST'].includes(c))).toBe(true);
  });

  it('mutated create-run JSON: 201 with a valid run, or 4xx JSON naming the field', async () => {
    const s = await runTarget(targetNamed('HTTP ingestion: create'), tempDir(), { seed: 42, cases: CASES, hangMs: 8000 }, makeRng);
    expect(s.crashes).toEqual([]);
    expect(s.hangs).toBe(0);
    expect(s.rejected).toBeGreaterThan(CASES / 3);
    expect(s.accepted).toBeGreaterThan(0);
  });
});

describe('HTTP ingestion regressions', () => {
  it('a stream whose schema claims 282 million fields is refused at once (it used to block the server until it ran out of memory)', async () => {
    const ws = tempDir();
    const server = await startTestServer({ workspace: ws });
    try {
      const rng = makeRng(1);
      const seed = ingestStream(INGEST_AGENTS[0]!, 24, 3);
      let body = seed;
      for (let i = 0; i <= 36; i++) body = mutateBytes(rng, seed);
      expect((await getJson(`${server.url}/api/runs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: 'r', agents: INGEST_AGENTS }) })).status).toBe(201);
      const t0 = performance.now();
      const res = await getJson<{ error: { code: string; message: string } }>(`${server.url}/api/runs/r/agents/A/steps`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/vnd.apache.arrow.stream' },
        body: body as BodyInit,
        signal: AbortSignal.timeout(5000),
      });
      expect(res.status).toBe(422);
      expect(res.body.error.message).toMatch(/corrupt Arrow message metadata/);
      expect(performance.now() - t0).toBeLessThan(2000);
      expect((await getJson(`${server.url}/api/runs`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('a null agent in create-run JSON is a 4xx and leaves no run folder behind (it was a 500)', async () => {
    const ws = tempDir();
    const server = await startTestServer({ workspace: ws });
    try {
      const res = await getJson<{ error: { code: string } }>(`${server.url}/api/runs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: 'n', agents: [null, INGEST_AGENTS[1]] }) });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(existsSync(join(ws, 'runs', 'n'))).toBe(false);
      // The id stays free for a correct request.
      expect((await getJson(`${server.url}/api/runs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: 'n', agents: INGEST_AGENTS }) })).status).toBe(201);
    } finally {
      await server.close();
    }
  });
});
