// Every number a view shows equals the CLI's --json for the same workspace. The workspace is
// made by the CLI itself (record synthetic → train two dictionaries → encode → detect):
// 'few' has fewer latents (8) than the hidden size (16), 'many' more (48). Each view is
// opened with ?static=1 and read once body[data-quiescent] says it has drawn everything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../../server/index.js';
import { runCliCapture } from '../helpers/runCliCapture.js';
import { startTestServer } from '../helpers/serverClient.js';
import { buildWeb, haveChromium, launchChromium, screenshotsDir } from '../helpers/webBrowser.js';

const ROOT = resolve(import.meta.dirname, '../..');
const chromium = haveChromium();

interface CkJson {
  numLatents: number;
  counts: Record<string, number>;
  classes: string[];
}
interface DetectJson {
  flags: number;
  scored: { episodes: number; steps: number };
  evaluation: { conflicts: number; flaggedBefore: number; detectionRate: number } | null;
}
interface CompareJson {
  numLatentsA: number;
  numLatentsB: number;
  matched: number;
  countsA: Record<string, number>;
  countsB: Record<string, number>;
}

async function cli<T>(ws: string, ...argv: string[]): Promise<T> {
  const r = await runCliCapture(['--workspace', ws, '--json', '--quiet', ...argv]);
  if (r.code !== 0) throw new Error(`thoughtlens ${argv.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

describe.skipIf(!chromium)('views show the numbers the CLI prints', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let ws: string;
  const shots = screenshotsDir(ROOT);
  const ck: Record<string, CkJson> = {};
  const det: Record<string, DetectJson> = {};
  let cmp: CompareJson;

  beforeAll(async () => {
    buildWeb(ROOT);
    ws = mkdtempSync(join(tmpdir(), 'tl-truth-')); // kept for the whole file (tempDir() is removed after each test)
    await cli(ws, 'record', 'synthetic', '-o', 'run1', '--dims', '16', '--episodes', '24', '--steps', '100', '--conflicts', '0.5', '--seed', '1');
    for (const [name, latents, k] of [['few', 8, 2], ['many', 48, 4]] as const) {
      await cli(ws, 'train', 'run1', '--out', join(ws, 'checkpoints', name), '--latents', String(latents), '--k', String(k), '--steps', '150', '--batch', '256', '--backend', 'cpu');
      await cli(ws, 'encode', name, 'run1', '--backend', 'cpu');
      // dictionary-all: every latent (the split of a short training may call none shared)
      det[name] = await cli<DetectJson>(ws, 'detect', 'run1', '--sae', name, '--views', 'dictionary-all', '--name', name, '--resamples', '50', '--backend', 'cpu');
      ck[name] = await cli<CkJson>(ws, 'checkpoint', name);
    }
    cmp = await cli<CompareJson>(ws, 'compare', 'few', 'many');
    server = await startTestServer({ workspace: ws });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (e) => console.error('pageerror:', e.message));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  const open = async (hash: string, view: string) => {
    await page.goto(`${server.url}/?static=1#${hash}`);
    try {
      await page.waitForFunction((v) => document.body.getAttribute('data-quiescent') === v, view, { timeout: 30_000 });
    } catch (err) {
      const state = await page.evaluate(() => [document.body.getAttribute('data-ready'), document.body.getAttribute('data-quiescent'), document.getElementById('app')?.textContent?.slice(0, 400)]);
      throw new Error(`${view} never became quiescent: ${JSON.stringify(state)} (${(err as Error).message.split('\n')[0]})`);
    }
  };

  it('the CLI sees 8 latents for hidden size 16 in one dictionary and 48 in the other', () => {
    expect(ck.few!.numLatents).toBe(8);
    expect(ck.many!.numLatents).toBe(48);
  });

  it.each(['few', 'many'])('structure view of %s: latent count and latents per class equal `thoughtlens checkpoint --json`', async (name) => {
    await open(`/run/run1?codes=${name}&report=${name}&tab=structure`, 'structure');
    await expect(page.locator('#latent-count').getAttribute('data-n')).resolves.toBe(String(ck[name]!.numLatents));
    const shown = await page.locator('#class-counts .count-label').evaluateAll((ts) => Object.fromEntries(ts.map((t) => [t.getAttribute('data-class'), Number(t.textContent)])));
    expect(shown).toEqual(ck[name]!.counts);
    expect(Object.keys(shown)).not.toContain('unknown');
    await page.screenshot({ path: join(shots, `truth-structure-${name}.png`) });
  });

  it.each(['few', 'many'])('run view of %s: flags and class bands equal the CLI; the score curve covers every scored episode', async (name) => {
    await open(`/run/run1?codes=${name}&report=${name}`, 'run');
    await expect(page.locator('#side-report').textContent()).resolves.toMatch(new RegExp(`^${det[name]!.flags} flags`));
    const bands = await page.locator('#heat-bands text').evaluateAll((ts) => ts.map((t) => t.textContent));
    for (const [c, n] of Object.entries(ck[name]!.counts)) if (n > 1) expect(bands).toContain(`${c} (${n})`);
    const report = JSON.parse(readFileSync(join(ws, 'runs', 'run1', 'reports', name, 'report.json'), 'utf8')) as { series: { step: number[] }[]; scored: { episodes: number; steps: number } };
    expect(report.series.length).toBe(det[name]!.scored.episodes);
    expect(report.series.reduce((s, e) => s + e.step.length, 0)).toBe(det[name]!.scored.steps);
    // On screen: the curve reaches the last flag and the end of the run; reference data is labelled.
    const geo = await page.evaluate(() => {
      const line = document.querySelector('#score path:not(.flag)') as SVGPathElement;
      const box = line.getBBox();
      const flags = [...document.querySelectorAll('#score path.flag')].map((p) => (p as SVGPathElement).getBBox().x);
      const svg = document.getElementById('score')!;
      return { right: box.x + box.width, lastFlag: Math.max(0, ...flags), width: Number(svg.getAttribute('width')), reference: document.querySelectorAll('#score rect.reference').length, label: document.querySelector('#score .reference-label')?.textContent ?? '' };
    });
    expect(geo.right).toBeGreaterThanOrEqual(geo.lastFlag);
    expect(geo.right).toBeGreaterThan(geo.width - 4);
    expect(geo.reference).toBeGreaterThan(0);
    expect(geo.label).toMatch(/reference data/);
    await page.screenshot({ path: join(shots, `truth-run-${name}.png`) });
  });

  it('compare view: latent counts, class counts, matched latents and each report\'s flags and detection rate equal the CLI', async () => {
    await open('/compare?a=few&b=many', 'compare');
    for (const [side, name] of [['a', 'few'], ['b', 'many']] as const) {
      const panel = page.locator(`#compare-sides .panel[data-side="${side}"]`);
      await expect(panel.locator('.latent-count').textContent()).resolves.toBe(String(ck[name]!.numLatents));
      const counts = await panel.locator('tr[data-class]').evaluateAll((rs) => Object.fromEntries(rs.map((r) => [r.getAttribute('data-class'), Number(r.querySelector('.class-count')!.textContent)])));
      const expected = side === 'a' ? cmp.countsA : cmp.countsB;
      for (const [c, n] of Object.entries(counts)) expect([c, n]).toEqual([c, expected[c] ?? 0]);
      await expect(panel.locator('tr[data-metric="flags"] .num').textContent()).resolves.toBe(String(det[name]!.flags));
      const ev = det[name]!.evaluation;
      const rate = await panel.locator('tr[data-metric="detectionRate"] .num').textContent();
      expect(rate).toBe(ev ? `${(ev.detectionRate * 100).toFixed(1)}%` : '–');
      await expect(panel.locator('tr[data-metric="conflicts"] .num').textContent()).resolves.toBe(String(ev ? ev.conflicts : 0));
    }
    await expect(page.locator('#matched-summary').getAttribute('data-matched')).resolves.toBe(String(cmp.matched));
    expect(cmp.matched).toBe(8);
    await page.screenshot({ path: join(shots, 'truth-compare.png') });
  });

  it('a latent has its own address, /runs/<id>/latents/<n>, shown beside the heatmap', async () => {
    await page.goto(`${server.url}/runs/run1/latents/3?static=1&codes=many`);
    await page.waitForFunction(() => document.body.getAttribute('data-quiescent') === 'run', undefined, { timeout: 30_000 });
    await page.waitForSelector('#latent-panel[data-latent="3"]');
    const [panel, heat] = await Promise.all([page.locator('#latent-panel').boundingBox(), page.locator('#heatmap').boundingBox()]);
    expect(panel!.x).toBeGreaterThan(heat!.x + heat!.width - 1); // to its right
    expect(panel!.y).toBeLessThan(heat!.y + heat!.height); // not below the fold
    await expect(page.locator('#decoder-norms [data-agent]').count()).resolves.toBe(2);
    // the split's evidence for the class, one row per agent, whatever fields split.json carries
    await expect(page.locator('#split-evidence tr[data-agent]').count()).resolves.toBe(2);
    // the synthetic run has ground truth: the panel says which true thoughts the latent follows (or none)
    await expect(page.locator('#matched-thoughts').count()).resolves.toBe(1);
    await page.screenshot({ path: join(shots, 'truth-latent.png') });
  });
});
