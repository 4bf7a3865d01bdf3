// End to end in Chromium: the conditions view of an experiment the CLI ran into the workspace
// (`thoughtlens --json experiment`), its numbers read off the screen and compared with the
// report the CLI printed: behaviour metrics with intervals, per-episode defection, the shift
// ranked by |d| with intervals, p and q, the selected latent's per-episode activation per
// condition (its mean is the report's mean / baseMean), click-through to an example episode
// in the run view, and bad reports answered with one line. Screenshot:
// artifacts/screenshots/conditions-view.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../../server/index.js';
import { round } from '../../web/src/dom.js';
import { makeExperimentFixture, type CliExperimentReport } from '../helpers/experimentFixture.js';
import { startTestServer } from '../helpers/serverClient.js';
import { buildWeb, haveChromium, launchChromium, screenshotsDir } from '../helpers/webBrowser.js';

const ROOT = resolve(import.meta.dirname, '../..');
const chromium = haveChromium();

const iv = (v: { estimate: number; lo: number; hi: number }): string => `${round(v.estimate)} [${round(v.lo)}, ${round(v.hi)}]`;

describe.skipIf(!chromium)('conditions view in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let ws: string;
  let cli: CliExperimentReport;
  let name: string;

  const open = async (hash: string) => {
    await page.evaluate(() => document.body.removeAttribute('data-quiescent')).catch(() => undefined);
    await page.goto(`${server.url}/?static=1#${hash}`);
    await page.waitForFunction(() => document.body.getAttribute('data-quiescent') === 'conditions');
  };

  beforeAll(async () => {
    buildWeb(ROOT);
    ws = mkdtempSync(join(tmpdir(), 'tl-cond-'));
    ({ name, report: cli } = await makeExperimentFixture(ws));
    mkdirSync(join(ws, 'experiments', 'broken'), { recursive: true });
    writeFileSync(join(ws, 'experiments', 'broken', 'report.json'), '{"conditions": [1, 2');
    mkdirSync(join(ws, 'experiments', 'unfinished'), { recursive: true });
    server = await startTestServer({ workspace: ws });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    page.on('pageerror', (e) => console.error('pageerror:', e.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  it('shows the behaviour metrics per condition as the CLI reported them', async () => {
    await open(`/conditions?experiment=${name}`);
    for (const c of cli.conditions) {
      const row = page.locator(`#behaviour-table tr[data-condition="${c.condition}"]`);
      for (const [k, v] of Object.entries(c.metrics)) {
        const td = row.locator(`td[data-metric="${k}"]`);
        await expect(td.textContent()).resolves.toBe(iv(v));
        await expect(td.getAttribute('data-estimate')).resolves.toBe(String(v.estimate));
      }
      // the chart beside the table draws the same numbers, and one point per seed
      const g = page.locator(`.metric-chart[data-metric="defection"] g.interval-row[data-label="${c.condition}"]`);
      await expect(g.getAttribute('data-lo')).resolves.toBe(String(c.metrics.defection!.lo));
      await expect(g.locator('circle.point').count()).resolves.toBe(cli.seeds.length);
      // per-episode defection: its mean is the report's pooled defection rate
      const h = page.locator(`#defection-hists .multiple[data-group="${c.condition}"]`);
      expect(Number(await h.getAttribute('data-mean'))).toBeCloseTo(c.metrics.defection!.estimate, 12);
    }
    for (const s of cli.shifts) {
      const td = page.locator(`#behaviour-shifts tr[data-condition="${s.condition}"][data-metric="${s.metric}"] td.delta`);
      await expect(td.textContent()).resolves.toBe(iv(s.delta));
    }
  });

  it('ranks the shift by |d| with the intervals, p and q of the report', async () => {
    const all = cli.representation!.conditions.flatMap((c) => c.top.map((t) => ({ condition: c.condition, ...t })));
    const rows = await page.$$eval('#shift-table tr[data-latent]', (trs) =>
      trs.map((tr) => ({ condition: tr.getAttribute('data-condition')!, latent: Number(tr.getAttribute('data-latent')), d: Number(tr.getAttribute('data-d')), p: Number(tr.getAttribute('data-p')), q: Number(tr.getAttribute('data-q')), dText: tr.querySelector('td.d')!.textContent, pText: tr.querySelector('td.p')!.textContent })),
    );
    expect(rows).toHaveLength(all.length);
    const mags = rows.map((r) => Math.abs(r.d));
    expect(mags).toEqual([...mags].sort((a, b) => b - a));
    for (const r of rows) {
      const t = all.find((x) => x.condition === r.condition && x.latent === r.latent)!;
      expect(t, `${r.condition} latent ${r.latent}`).toBeDefined();
      expect(r.d).toBe(t.d.estimate);
      expect(r.p).toBe(t.p);
      expect(r.q).toBe(t.q);
      expect(r.dText).toBe(iv(t.d));
      expect(r.pText).toBe(round(t.p, 2));
    }
    await expect(page.locator('#shift-forest g.interval-row').count()).resolves.toBe(all.length);
  });

  it("draws the selected latent per condition on one scale; its means are the report's", async () => {
    const pick = async (rank: number) => {
      const tr = page.locator(`#shift-table tr[data-rank="${rank}"]`);
      const cond = (await tr.getAttribute('data-condition'))!;
      const latent = Number(await tr.getAttribute('data-latent'));
      await page.evaluate(() => document.body.removeAttribute('data-quiescent'));
      await tr.click();
      await page.waitForFunction((j) => document.body.getAttribute('data-quiescent') === 'conditions' && document.getElementById('latent-conditions')?.dataset.latent === String(j), latent);
      const rc = cli.representation!.conditions.find((c) => c.condition === cond)!;
      const t = rc.top.find((x) => x.latent === latent)!;
      const panel = (c: string) => page.locator(`#latent-hists .multiple[data-group="${c}"]`);
      expect(Number(await panel(cond).getAttribute('data-mean'))).toBeCloseTo(t.mean, 9);
      expect(Number(await panel(cli.baseline).getAttribute('data-mean'))).toBeCloseTo(t.baseMean, 9);
      await expect(panel(cond).getAttribute('data-n')).resolves.toBe(String(rc.episodes));
      await expect(panel(cli.baseline).getAttribute('data-n')).resolves.toBe(String(rc.baseEpisodes));
      await expect(panel(cond).locator('.multiple-title').textContent()).resolves.toBe(`${cond}: mean ${round(t.mean)} (${rc.episodes} episodes)`);
      // the same latent is selected in every condition it ranks in
      const selected = await page.$$eval('#shift-table tr.selected', (trs) => trs.map((tr) => tr.getAttribute('data-latent')));
      expect(selected.length).toBeGreaterThan(0);
      expect(new Set(selected)).toEqual(new Set([String(latent)]));
      expect(page.url()).toMatch(new RegExp(`latent=${latent}`));
      return latent;
    };
    const first = await pick(1);
    const other = await page.$$eval('#shift-table tr[data-latent]', (trs, j) => trs.findIndex((tr) => tr.getAttribute('data-latent') !== String(j)) + 1, first);
    if (other > 0) await pick(other);
    await page.screenshot({ path: join(screenshotsDir(ROOT), 'conditions-view.png'), fullPage: true });
  });

  it('opens an example episode of a condition in the run view', async () => {
    const row = page.locator('table.examples[data-condition="defecting"] tr[data-run]').first();
    const run = (await row.getAttribute('data-run'))!;
    expect(run).toMatch(new RegExp(`^${name}--defecting--s\\d+$`));
    await expect(row.locator('.moves').first().getAttribute('data-moves')).resolves.toMatch(/^[CD]{6}$/);
    await page.evaluate(() => document.body.removeAttribute('data-ready'));
    await row.locator('a.episode-link').click();
    await page.waitForFunction(() => document.body.getAttribute('data-ready') === 'run');
    await expect(page.locator('.toolbar h2').first().textContent()).resolves.toBe(`Run ${run}`);
    expect(decodeURIComponent(page.url())).toMatch(new RegExp(`#/run/${run}\\?from=\\d+&to=\\d+`));
  });

  it('says in one line what is wrong with a bad report, and the server keeps serving', async () => {
    await open('/conditions?experiment=broken');
    const msg = (await page.locator('#view-error').textContent())!;
    expect(msg).toMatch(/^experiment 'broken': report\.json is not valid JSON/);
    expect(msg).not.toMatch(/\n/);
    await open('/conditions?experiment=unfinished');
    await expect(page.locator('#view-error').textContent()).resolves.toMatch(/has no report\.json yet/);
    await open('/conditions?experiment=missing');
    await expect(page.locator('#view-error').textContent()).resolves.toMatch(/no experiment 'missing'/);
    await open(`/conditions?experiment=${name}`);
    await expect(page.locator('#shift-table tr[data-latent]').count()).resolves.toBeGreaterThan(0);
  });
});
