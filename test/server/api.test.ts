import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import type { RunningServer } from '../../server/index.js';
import type {
  BehaviourResponse,
  CheckpointDetail,
  CodesInfo,
  CodesRangeResponse,
  CompareResponse,
  HeatmapHeader,
  LatentDetail,
  ReportView,
  RunsResponse,
} from '../../server/protocol.js';
import { createRun } from '../../data/index.js';
import { testAgents, writeSteps } from '../helpers/makeTestRun.js';
import { makeWebWorkspace } from '../helpers/serverFixtures.js';
import { collectEvents, getJson, startTestServer } from '../helpers/serverClient.js';
import { tempDir } from '../helpers/tmp.js';

const ARROW = 'application/vnd.apache.arrow.stream';
let server: RunningServer;
let ws: string;

beforeEach(async () => {
  ws = tempDir();
  makeWebWorkspace(ws);
  server = await startTestServer({ workspace: ws });
});
afterEach(async () => {
  await server.close();
});

describe('workbench API', () => {
  it('lists runs with status, steps, sizes, codes and reports', async () => {
    const { status, body } = await getJson<RunsResponse>(`${server.url}/api/runs`);
    expect(status).toBe(200);
    const run = body.runs.find((r) => r.id === 'demo-run')!;
    expect(run.status).toBe('complete');
    expect(run.live).toBe(false);
    expect(run.steps).toBe(200);
    expect(run.bytes).toBeGreaterThan(0);
    expect(run.codes).toEqual(['ck1']);
    expect(run.reports).toEqual(['conflicts']);
  });

  it('serves behaviour of both agents as ranged JSON and as Arrow', async () => {
    const { body } = await getJson<BehaviourResponse>(`${server.url}/api/runs/demo-run/behaviour?from=60&to=70`);
    expect(body.from).toBe(60);
    expect(body.to).toBe(70);
    expect(body.total).toBe(200);
    expect(body.episode).toEqual(new Array(10).fill(1));
    expect(body.step).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    // makeTestRun: action = (episode + step + agent) % 2, reward = step * 0.5
    expect(body.agents.A!.action).toEqual(body.step.map((s) => (1 + s) % 2));
    expect(body.agents.B!.action).toEqual(body.step.map((s) => (1 + s + 1) % 2));
    expect(body.agents.A!.reward).toEqual(body.step.map((s) => s * 0.5));
    const res = await fetch(`${server.url}/api/runs/demo-run/behaviour?from=0&to=50`, { headers: { Accept: ARROW } });
    expect(res.headers.get('content-type')).toBe(ARROW);
    const t = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    expect(t.numRows).toBe(50);
    expect(t.getChild('B.action')!.get(3)).toBe((0 + 3 + 1) % 2);
    expect(t.getChild('A.defected')!.get(7)).toBe(true);
  });

  it('pages long ranges and clamps them to what exists', async () => {
    const { body } = await getJson<BehaviourResponse>(`${server.url}/api/runs/demo-run/behaviour?from=190&to=5000`);
    expect([body.from, body.to, body.episode.length]).toEqual([190, 200, 10]);
    const bad = await getJson<{ error: { code: string; message: string } }>(`${server.url}/api/runs/demo-run/behaviour?from=abc`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/'from' must be an integer/);
  });

  it('serves latent codes: info, sparse rows (JSON and Arrow) and a downsampled heatmap', async () => {
    const info = (await getJson<CodesInfo>(`${server.url}/api/runs/demo-run/codes/ck1`)).body;
    expect(info.numLatents).toBe(64);
    expect(info.rows).toBe(200);
    expect(info.classes.filter((c) => c === 'shared').length).toBeGreaterThan(10);
    expect(info.latentMax[3]).toBe(5);
    const rows = (await getJson<CodesRangeResponse>(`${server.url}/api/runs/demo-run/codes/ck1/rows?from=120&to=125`)).body;
    expect(rows.rowPtr.length).toBe(6);
    expect(rows.indices.length).toBe(rows.rowPtr[5]);
    // the planted burst: latent 3 at 5.0 on rows 120..129
    for (let i = 0; i < 5; i++) {
      const at = rows.indices.slice(rows.rowPtr[i], rows.rowPtr[i + 1]).indexOf(3);
      expect(rows.values[rows.rowPtr[i]! + at]).toBe(5);
    }
    const ar = await fetch(`${server.url}/api/runs/demo-run/codes/ck1/rows?from=0&to=10`, { headers: { Accept: ARROW } });
    const t = tableFromIPC(new Uint8Array(await ar.arrayBuffer()));
    expect(t.numRows).toBe(10);
    expect((t.getChild("indices")!.get(0) as { length: number }).length).toBeGreaterThan(0);
    const hm = await fetch(`${server.url}/api/runs/demo-run/codes/ck1/heatmap?from=0&to=200&bins=20`);
    const header = JSON.parse(hm.headers.get('x-heatmap')!) as HeatmapHeader;
    expect(header).toMatchObject({ from: 0, to: 200, bins: 20, numLatents: 64 });
    const data = new Float32Array(await hm.arrayBuffer());
    expect(data.length).toBe(64 * 20);
    expect(data[3 * 20 + 12]).toBe(5); // rows 120..129 fall in bin 12
    expect(data[3 * 20 + 2]).toBeLessThan(5);
  });

  it('explains one latent: histogram, top steps with context, decoder norms, flags', async () => {
    const { body } = await getJson<LatentDetail>(`${server.url}/api/runs/demo-run/codes/ck1/latents/3`);
    expect(body.class).toBe('shared');
    expect(body.topSteps[0]!.value).toBe(5);
    expect(body.topSteps[0]!.row).toBeGreaterThanOrEqual(120);
    expect((body.topSteps[0]!.context.A!.action as unknown[]).length).toBeGreaterThan(0);
    expect(body.decoderNorms!.A).toBeGreaterThan(0.5);
    expect(body.flags).toEqual([{ report: 'conflicts', row: 130, score: 3.5, weight: 1 }]);
    expect(body.histogram.reduce((s, b) => s + b.count, 0)).toBeGreaterThan(10);
    const bad = await getJson(`${server.url}/api/runs/demo-run/codes/ck1/latents/999`);
    expect(bad.status).toBe(400);
  });

  it('reads reports onto the time axis and serves their files as downloads', async () => {
    const { body } = await getJson<ReportView>(`${server.url}/api/runs/demo-run/reports/conflicts`);
    expect(body.threshold).toBe(2);
    expect(body.flags.map((f) => f.row)).toEqual([130, 155]);
    expect(body.flags[0]!.latents[0]).toEqual({ latent: 3, weight: 1, agent: 'A' });
    expect(body.scores!.row.length).toBe(200);
    expect(body.scores!.row[10]).toBe(10);
    expect(body.files).toEqual(['report.json', 'flags.csv', 'report.md', 'report.html']);
    const csv = await fetch(`${server.url}/api/runs/demo-run/reports/conflicts/files/flags.csv`);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment/);
    expect(await csv.text()).toMatch(/^row,score,latents\n/);
    const other = await getJson(`${server.url}/api/runs/demo-run/reports/conflicts/files/run.json`);
    expect(other.status).toBe(400);
  });

  it('describes checkpoints and compares two by decoder similarity', async () => {
    const list = (await getJson<{ checkpoints: { name: string }[] }>(`${server.url}/api/checkpoints`)).body;
    expect(list.checkpoints.map((c) => c.name)).toEqual(['ck1', 'ck2']);
    const ck = (await getJson<CheckpointDetail>(`${server.url}/api/checkpoints/ck1`)).body;
    expect(ck.numLatents).toBe(64);
    expect(ck.agents).toEqual(['A', 'B']);
    const privA = ck.classes.indexOf('private-A');
    const privB = ck.classes.indexOf('private-B');
    expect(ck.relativeNorm[privA]).toBeGreaterThan(0.9);
    expect(ck.relativeNorm[privB]).toBeLessThan(0.1);
    const cmp = (await getJson<CompareResponse>(`${server.url}/api/compare?a=ck1&b=ck2`)).body;
    // ck2's latent j is ck1's latent (j + 5) % 64 (the dead ones have no direction)
    const live = cmp.matches.filter((m) => m.classA !== 'dead');
    expect(live.length).toBeGreaterThan(50);
    for (const m of live) expect(m.b).toBe((m.a - 5 + 64) % 64);
    expect(cmp.transitions.shared!['private-A']).toBeGreaterThanOrEqual(1);
    expect(cmp.conflicts.a!.flags).toBe(2);
    expect(cmp.conflicts.b).toBeNull();
  });

  it('answers unknown things with JSON errors a person understands', async () => {
    const a = await getJson<{ error: { code: string; message: string } }>(`${server.url}/api/runs/nope`);
    expect(a.status).toBe(404);
    expect(a.body.error).toEqual({ code: 'TL_NOT_FOUND', message: "no run 'nope' in this workspace" });
    const b = await getJson<{ error: { code: string } }>(`${server.url}/api/whatever`);
    expect(b.status).toBe(404);
    expect(b.body.error.code).toBe('TL_NOT_FOUND');
    const c = await getJson<{ error: { code: string } }>(`${server.url}/api/runs/demo-run/codes/missing`);
    expect(c.status).toBe(404);
  });

  it('pushes live events when a run grows on disk and serves the new rows', async () => {
    const agents = testAgents();
    const w = createRun(join(ws, 'runs', 'live1'), { source: { kind: 'test' }, agents, flushIntervalMs: 0, batchRows: 8 });
    writeSteps(w, agents, 1, 10);
    w.flush();
    const pending = collectEvents(`${server.url}/api/events`, (ev) => ev.some((e) => e.type === 'run' && (e.data as { rows: number }).rows >= 30));
    await new Promise((r) => setTimeout(r, 200));
    writeSteps(w, agents, 1, 20, 1);
    w.flush();
    const { status, events } = await pending;
    expect(status).toBe(200);
    expect(events.some((e) => e.type === 'run' && (e.data as { run: string; rows: number }).run === 'live1')).toBe(true);
    const runs = (await getJson<RunsResponse>(`${server.url}/api/runs`)).body;
    expect(runs.runs.find((r) => r.id === 'live1')!.live).toBe(true);
    const beh = (await getJson<BehaviourResponse>(`${server.url}/api/runs/live1/behaviour`)).body;
    expect(beh.total).toBe(30);
    w.close();
  });
});
