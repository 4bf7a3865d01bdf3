// The experiment routes behind the conditions view, on a tiny experiment the CLI writes into
// the workspace: the report's numbers pass through unchanged, each condition's runs open as
// runs, the per-episode latent activations average to the report's means, and bad input
// (no report, not JSON, wrong shape, names that escape, latents out of range) is answered
// with one line while the server keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '../../../server/index.js';
import type { ConditionLatentView, ExperimentsResponse, ExperimentView, RunDetail } from '../../../server/protocol.js';
import { makeExperimentFixture, type CliExperimentReport } from '../../helpers/experimentFixture.js';
import { getJson, startTestServer } from '../../helpers/serverClient.js';

describe('GET /api/experiments', () => {
  let server: RunningServer;
  let ws: string;
  let outside: string;
  let cli: CliExperimentReport;
  let name: string;

  beforeAll(async () => {
    ws = mkdtempSync(join(tmpdir(), 'tl-exp-route-'));
    outside = mkdtempSync(join(tmpdir(), 'tl-exp-outside-'));
    ({ name, report: cli } = await makeExperimentFixture(ws));
    const exp = (n: string) => {
      mkdirSync(join(ws, 'experiments', n), { recursive: true });
      return join(ws, 'experiments', n);
    };
    writeFileSync(join(exp('broken'), 'report.json'), '{"name": "broken", "conditions": [');
    exp('unfinished');
    writeFileSync(join(exp('wrong-shape'), 'report.json'), JSON.stringify({ baseline: 'a', seeds: [1], conditions: [{ condition: 'a', metrics: 3 }], shifts: [] }));
    // a report alone: no dictionary ("dictionary": false), no runs, NaN written as null
    const m = { estimate: 0.5, lo: 0.25, hi: 0.75 };
    writeFileSync(join(exp('report-only'), 'report.json'), JSON.stringify({
      name: 'report-only', baseline: 'a', seeds: [1], alpha: 0.05,
      conditions: [{ condition: 'a', metrics: { defection: m }, perSeed: [{ seed: 1, defection: 0.5 }] }, { condition: 'b', metrics: { defection: { ...m, lo: null } }, perSeed: [] }],
      shifts: [{ condition: 'b', metric: 'defection', delta: m, effectSize: null, p: 1, q: 1 }],
      representation: null,
    }));
    writeFileSync(join(exp('games-kind'), 'report.json'), JSON.stringify({ kind: 'games', name: 'games-kind', seeds: [1], cells: [], probes: [] }));
    writeFileSync(join(outside, 'report.json'), JSON.stringify({ secret: true }));
    symlinkSync(outside, join(ws, 'experiments', 'escape'));
    server = await startTestServer({ workspace: ws });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    for (const d of [ws, outside]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('lists the experiments of the workspace, with a one-line reason for an unreadable report', async () => {
    const r = await getJson<ExperimentsResponse>(`${server.url}/api/experiments`);
    expect(r.status).toBe(200);
    const by = Object.fromEntries(r.body.experiments.map((e) => [e.name, e]));
    expect(Object.keys(by).sort()).toEqual(['broken', 'games-kind', 'report-only', name, 'unfinished', 'wrong-shape']); // the symlink out is not listed
    expect(by['games-kind']!.error).toMatch(/^experiment 'games-kind' is a reasoning-style experiment \(kind 'games'\).*report\.html$/);
    expect(by[name]).toMatchObject({ hasReport: true, conditions: 3 });
    expect(by.unfinished).toMatchObject({ hasReport: false });
    expect(by.broken!.error).toMatch(/^experiment 'broken': report\.json is not valid JSON/);
    expect(by.broken!.error).not.toMatch(/\n/);
  });

  it("serves the report's numbers unchanged, each condition's runs and per-episode defection", async () => {
    const r = await getJson<ExperimentView>(`${server.url}/api/experiments/${name}`);
    expect(r.status).toBe(200);
    const v = r.body;
    expect(v.baseline).toBe(cli.baseline);
    expect(v.seeds).toEqual(cli.seeds);
    expect(v.conditions.map((c) => c.condition)).toEqual(cli.conditions.map((c) => c.condition));
    for (const c of cli.conditions) {
      const got = v.conditions.find((x) => x.condition === c.condition)!;
      for (const [k, iv] of Object.entries(c.metrics)) expect(got.metrics[k]).toEqual({ estimate: iv.estimate, lo: iv.lo, hi: iv.hi });
      expect(got.runs.map((x) => x.id)).toEqual(cli.seeds.map((s) => `${name}--${c.condition}--s${s}`));
      // every episode of every seed; their mean is the report's pooled defection rate
      const d = got.defectionByEpisode!;
      expect(d).toHaveLength(2 * 5 * 10);
      expect(d.reduce((a, b) => a + b, 0) / d.length).toBeCloseTo(c.metrics.defection!.estimate, 12);
    }
    expect(v.shifts).toHaveLength(cli.shifts.length);
    expect(v.shifts[0]).toMatchObject({ condition: cli.shifts[0]!.condition, metric: cli.shifts[0]!.metric, p: cli.shifts[0]!.p, q: cli.shifts[0]!.q });
    // the shift ranked: every condition's top latents, by |d| over all of them
    const all = cli.representation!.conditions.flatMap((c) => c.top.map((t) => ({ condition: c.condition, ...t })));
    expect(v.representation!.ranked).toHaveLength(all.length);
    const mags = v.representation!.ranked.map((s) => Math.abs(s.d.estimate!));
    expect(mags).toEqual([...mags].sort((a, b) => b - a));
    expect(Math.max(...all.map((t) => Math.abs(t.d.estimate)))).toBe(mags[0]);
  });

  it("opens a condition's run as a run (#/run/<experiment>--<condition>--s<seed>)", async () => {
    const r = await getJson<RunDetail>(`${server.url}/api/runs/${name}--defecting--s2`);
    expect(r.status).toBe(200);
    expect(r.body.id).toBe(`${name}--defecting--s2`);
    expect((r.body.source?.params as { condition: string }).condition).toBe('defecting');
    const beh = await getJson<{ rows: number }>(`${server.url}/api/runs/${name}--defecting--s2/behaviour?from=0&to=4`);
    expect(beh.status).toBe(200);
    expect((await getJson(`${server.url}/api/runs/${name}--defecting--s9`)).status).toBe(404);
  });

  it("gives a latent's activation per held-out episode, averaging to the report's means", async () => {
    const top = cli.representation!.conditions.find((c) => c.condition === 'cooperating')!;
    const t = top.top[0]!;
    const r = await getJson<ConditionLatentView>(`${server.url}/api/experiments/${name}/latents/${t.latent}`);
    expect(r.status).toBe(200);
    const by = Object.fromEntries(r.body.conditions.map((c) => [c.condition, c]));
    expect(by.cooperating!.values).toHaveLength(top.episodes);
    expect(by.neutral!.values).toHaveLength(top.baseEpisodes);
    expect(by.cooperating!.mean!).toBeCloseTo(t.mean, 9);
    expect(by.neutral!.mean!).toBeCloseTo(t.baseMean, 9);
    const ex = by.cooperating!.examples;
    expect(ex.length).toBeGreaterThan(0);
    expect(ex[0]!.value).toBe(Math.max(...by.cooperating!.values));
    expect(ex[0]!.moves).toHaveLength(6);
    expect(ex[0]!.run).toMatch(new RegExp(`^${name}--cooperating--s[12]$`));
    expect(ex[0]!.episode % 5).toBe(4); // held out: id ≡ 4 (mod 5)
  });

  it('serves a report without dictionary or runs; its latents are refused with a reason', async () => {
    const r = await getJson<ExperimentView>(`${server.url}/api/experiments/report-only`);
    expect(r.status).toBe(200);
    expect(r.body.representation).toBeNull();
    expect(r.body.metrics.map((m) => m.key)).toEqual(['defection']);
    expect(r.body.conditions[1]).toMatchObject({ condition: 'b', runs: [], defectionByEpisode: null, metrics: { defection: { estimate: 0.5, lo: null, hi: 0.75 } } });
    const l = await getJson<{ error: { message: string } }>(`${server.url}/api/experiments/report-only/latents/0`);
    expect(l.status).toBe(404);
    expect(l.body.error.message).toMatch(/has no dictionary/);
  });

  it('answers bad input with one line and keeps serving', async () => {
    const cases: [string, number, RegExp][] = [
      ['broken', 422, /report\.json is not valid JSON/],
      ['wrong-shape', 422, /field 'conditions\[0\]\.metrics' must be an object/],
      ['unfinished', 404, /has no report\.json yet/],
      ['nothing-here', 404, /no experiment 'nothing-here'/],
      ['escape', 400, /outside the workspace/],
      ['a..b', 400, /not valid/],
      [`${name}/latents/99`, 400, /16 latents .* no latent 99/],
      [`${name}/latents/x1`, 400, /non-negative integer/],
      ['broken/latents/0', 422, /not valid JSON/],
    ];
    for (const [path, status, msg] of cases) {
      const r = await getJson<{ error: { message: string } }>(`${server.url}/api/experiments/${path}`);
      expect(r.status, path).toBe(status);
      expect(r.body.error.message, path).toMatch(msg);
      expect(r.body.error.message).not.toMatch(/\n/);
      expect(r.body.error.message).not.toContain(ws);
    }
    expect((await getJson(`${server.url}/api/health`)).status).toBe(200);
  });
});
