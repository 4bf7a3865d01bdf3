// Checkpoints anywhere in the workspace that the runs' codes name are listed and served by
// their workspace-relative path; compare takes one named report per checkpoint.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index.js';
import type { CheckpointDetail, CheckpointsResponse, CompareResponse } from '../../server/protocol.js';
import { makeWebWorkspace, writeCheckpointFixture, writeCodesFixture } from '../helpers/serverFixtures.js';
import { getJson, startTestServer } from '../helpers/serverClient.js';
import { tempDir } from '../helpers/tmp.js';

describe('checkpoint references in the workbench', () => {
  let server: RunningServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('lists and serves a checkpoint outside checkpoints/ that codes were made with', async () => {
    const ws = tempDir();
    const { runDir } = makeWebWorkspace(ws, { numLatents: 16 });
    writeCheckpointFixture(join(ws, 'models'), 'wide', { numLatents: 24, dims: [8, 6] });
    writeCodesFixture(runDir, 'wide', { rows: 50, numLatents: 24, k: 3, checkpoint: join(ws, 'models', 'checkpoints', 'wide') });
    server = await startTestServer({ workspace: ws });
    const list = (await getJson<CheckpointsResponse>(`${server.url}/api/checkpoints`)).body;
    expect(list.checkpoints.map((c) => c.name)).toEqual(['ck1', 'ck2', 'models/checkpoints/wide']);
    const ck = (await getJson<CheckpointDetail>(`${server.url}/api/checkpoints/${encodeURIComponent('models/checkpoints/wide')}`)).body;
    expect(ck.numLatents).toBe(24);
    const codes = (await getJson<{ checkpoint: string }>(`${server.url}/api/runs/demo-run/codes/wide`)).body;
    expect(codes.checkpoint).toBe('models/checkpoints/wide');
    const cmp = (await getJson<CompareResponse>(`${server.url}/api/compare?a=ck1&b=${encodeURIComponent('models/checkpoints/wide')}`)).body;
    expect([cmp.numLatentsA, cmp.numLatentsB, cmp.matches.length]).toEqual([16, 24, 16]);
  });

  it('takes the report of each side by name, and refuses one not made with that checkpoint', async () => {
    const ws = tempDir();
    makeWebWorkspace(ws, { numLatents: 16 });
    server = await startTestServer({ workspace: ws });
    const ok = await getJson<CompareResponse>(`${server.url}/api/compare?a=ck1&b=ck2&reportA=demo-run/conflicts`);
    expect(ok.status).toBe(200);
    expect(ok.body.conflicts.a).toMatchObject({ report: 'demo-run/conflicts', flags: 2 });
    expect(ok.body.reports).toEqual({ a: ['demo-run/conflicts'], b: [] });
    const bad = await getJson<{ error: { code: string } }>(`${server.url}/api/compare?a=ck2&b=ck1&reportA=demo-run/conflicts`);
    expect(bad.status).toBe(400);
  });

  it('refuses a checkpoint path that leaves the workspace', async () => {
    const ws = tempDir();
    makeWebWorkspace(ws, { numLatents: 16 });
    server = await startTestServer({ workspace: ws });
    const r = await getJson<{ error: { code: string } }>(`${server.url}/api/checkpoints/${encodeURIComponent('../outside')}`);
    expect(r.status).toBe(400);
  });
});
