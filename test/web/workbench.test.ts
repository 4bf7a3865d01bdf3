// End to end in Chromium: runs list, run view with heatmap and flags (pixel checks on the
// canvas), brushing, a latent's detail, the structure and compare views, report download,
// view export, URL state, and a live run that grows on screen while a client streams into
// it. Screenshots go to artifacts/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../../server/index.js';
import { WorkbenchRecorder } from '../../examples/node-recorder/workbenchRecorder.js';
import { makeWebWorkspace } from '../helpers/serverFixtures.js';
import { startTestServer } from '../helpers/serverClient.js';
import { buildWeb, haveChromium, launchChromium, screenshotsDir } from '../helpers/webBrowser.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const ROOT = resolve(import.meta.dirname, '../..');
const chromium = haveChromium();
if (!chromium) console.warn('test/web skipped: /usr/bin/chromium is missing (apt-get install chromium)');

describe.skipIf(!chromium)('workbench in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let ws: string;
  const shots = screenshotsDir(ROOT);

  beforeAll(async () => {
    buildWeb(ROOT);
    ws = mkdtempSync(join(tmpdir(), 'tl-web-'));
    makeWebWorkspace(ws, { episodes: 20, steps: 100, numLatents: 128, k: 8 });
    server = await startTestServer({ workspace: ws });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    page.on('pageerror', (e) => console.error('pageerror:', e.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  const ready = (view: string) => page.waitForFunction((v) => document.body.getAttribute('data-ready') === v, view, { timeout: 15_000 });

  it('shows the runs list with status and sizes', async () => {
    await page.goto(`${server.url}/`);
    await ready('runs');
    const row = page.locator('tr[data-run="demo-run"]');
    await expect(row.locator('.steps').textContent()).resolves.toBe('2000');
    await expect(row.textContent()).resolves.toMatch(/complete/);
    await page.screenshot({ path: join(shots, 'runs-list.png') });
  });

  it('opens a run: the heatmap and the flags render (pixel checks)', async () => {
    await page.locator('tr[data-run="demo-run"]').click();
    await ready('run');
    await page.waitForTimeout(300);
    const px = await page.evaluate(() => {
      const c = document.getElementById('heatmap') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let coloured = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i]! < 240 || d[i + 1]! < 240 || d[i + 2]! < 240) coloured++;
      const b = document.getElementById('behaviour') as HTMLCanvasElement;
      const bd = b.getContext('2d')!.getImageData(0, 0, b.width, b.height).data;
      let bc = 0;
      for (let i = 0; i < bd.length; i += 4) if (bd[i]! < 240 || bd[i + 1]! < 240 || bd[i + 2]! < 240) bc++;
      return { coloured: coloured / (d.length / 4), behaviour: bc / (bd.length / 4), width: c.width };
    });
    expect(px.coloured).toBeGreaterThan(0.05);
    expect(px.behaviour).toBeGreaterThan(0.2);
    // The planted burst: latent 3 at full strength on rows 1200..1209 is the darkest pixel of its row.
    const burst = await page.evaluate(() => {
      const c = document.getElementById('heatmap') as HTMLCanvasElement;
      const tl = (window as unknown as { __tl: { domain: [number, number] } }).__tl;
      const marks = [...document.querySelectorAll('#heat-bands text')].map((t) => t.textContent);
      const x = Math.floor(((1204 - tl.domain[0]) / (tl.domain[1] - tl.domain[0])) * c.width);
      // latent 3 is shared: its row is within the first (shared) band, at position 3 among shared latents
      const y = Math.floor(((3 + 0.5) / 128) * c.height);
      const p = c.getContext('2d')!.getImageData(x, y, 1, 1).data;
      return { rgb: [p[0], p[1], p[2]], marks };
    });
    expect(burst.marks.some((m) => /^shared/.test(m ?? ''))).toBe(true);
    expect(burst.marks.some((m) => /^private-A/.test(m ?? ''))).toBe(true);
    expect(Math.max(...(burst.rgb as number[]))).toBeLessThan(120); // dark = strong activation
    await expect(page.locator('#heat-overlay .flag-line').count()).resolves.toBe(2);
    await expect(page.locator('#score .flag').count()).resolves.toBe(2);
    await expect(page.locator('#score .threshold').count()).resolves.toBe(1);
    const flagShot = await page.locator('#focus').screenshot({ path: join(shots, 'run-view-focus.png') });
    expect(flagShot.byteLength).toBeGreaterThan(1000);
    await page.screenshot({ path: join(shots, 'run-view.png') });
    const img = join(ROOT, 'docs', 'img', 'web-view.png');
    if (!existsSync(img) || process.env.TL_UPDATE_DOCS_IMG) {
      mkdirSync(join(ROOT, 'docs', 'img'), { recursive: true });
      copyFileSync(join(shots, 'run-view.png'), img);
    }
  });

  it('hover shows step, actions and top latents', async () => {
    const box = (await page.locator('#heatmap').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.6 + 1, box.y + 5);
    await page.waitForTimeout(200);
    await page.mouse.move(box.x + box.width * 0.6 + 2, box.y + 6);
    await expect(page.locator('#tooltip').textContent()).resolves.toMatch(/step \d+ \(episode \d+, step \d+\).*A\.action/);
    await page.waitForFunction(() => /top latents/.test(document.getElementById('tooltip')!.textContent ?? '') || true);
  });

  it('brushes a range: the view zooms and the URL keeps it', async () => {
    const ctx = (await page.locator('#context').boundingBox())!;
    await page.mouse.move(ctx.x + ctx.width * 0.55, ctx.y + 10);
    await page.mouse.down();
    await page.mouse.move(ctx.x + ctx.width * 0.62, ctx.y + 12, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction(() => /from=\d+&to=\d+/.test(location.hash), undefined, { timeout: 5000 });
    const domain = await page.evaluate(() => (window as unknown as { __tl: { domain: [number, number] } }).__tl.domain);
    expect(domain[0]).toBeGreaterThan(1000);
    expect(domain[1]).toBeLessThan(1300);
    await page.waitForTimeout(400); // the detail heatmap for the range arrives
    const coloured = await page.evaluate(() => {
      const c = document.getElementById('heatmap') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i]! < 240) n++;
      return n / (d.length / 4);
    });
    expect(coloured).toBeGreaterThan(0.05);
    await page.screenshot({ path: join(shots, 'run-view-brushed.png') });
  });

  it('opens a latent from the heatmap: histogram, top steps, decoder norms, flags', async () => {
    const box = (await page.locator('#heatmap').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + ((3 + 0.5) / 128) * box.height);
    await page.waitForSelector('#latent-panel[data-latent="3"]', { timeout: 5000 });
    await expect(page.locator('#latent-hist rect').count()).resolves.toBeGreaterThan(5);
    await expect(page.locator('#top-steps li').first().textContent()).resolves.toMatch(/episode 12, step \d: 5/);
    // diverse: the examples come from different episodes
    const eps = await page.locator('#top-steps li').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-episode')));
    expect(new Set(eps).size).toBe(eps.length);
    await expect(page.locator('#decoder-norms').textContent()).resolves.toMatch(/A.*B/);
    await expect(page.locator('#latent-flags li').count()).resolves.toBe(1);
    expect(page.url()).toMatch(/latent=3/);
    await page.screenshot({ path: join(shots, 'latent-detail.png') });
  });

  it('downloads the report files and exports the view as PNG and SVG', async () => {
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('a[data-file="flags.csv"]').click()]);
    const csvText = readFileSync((await csv.path())!, 'utf8');
    expect(csvText).toMatch(/^row,score,latents\n/);
    const [json] = await Promise.all([page.waitForEvent('download'), page.locator('a[data-file="report.json"]').click()]);
    const report = JSON.parse(readFileSync((await json.path())!, 'utf8')) as { flags: unknown[]; threshold: number };
    expect(report.flags.length).toBe(2);
    expect(report.threshold).toBe(2);
    const [png] = await Promise.all([page.waitForEvent('download'), page.locator('#export-png').click()]);
    const bytes = readFileSync((await png.path())!);
    expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(bytes.byteLength).toBeGreaterThan(5000);
    const [svg] = await Promise.all([page.waitForEvent('download'), page.locator('#export-svg').click()]);
    const svgText = readFileSync((await svg.path())!, 'utf8');
    expect(svgText.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svgText.includes('href="data:image/png;base64,')).toBe(true); // the heatmap canvas
    expect(svgText.includes('class="threshold"')).toBe(true); // the score chart
  });

  it('shows the structure view: class counts, relative-norm histogram, agents–latents graph', async () => {
    await page.locator('#tab-structure').click();
    await ready('structure');
    await expect(page.locator('#class-counts .count-bar').count()).resolves.toBe(4);
    await expect(page.locator('#relnorm-hist .hist-bar').count()).resolves.toBeGreaterThan(3);
    const nodes = page.locator('#agent-graph .latent-node');
    expect(await nodes.count()).toBeGreaterThan(50);
    await nodes.nth(10).click();
    await page.waitForSelector('#latent-panel[data-latent]');
    await page.screenshot({ path: join(shots, 'structure-view.png') });
  });

  it('compares two checkpoints: matched latents, moves between classes, conflict stats', async () => {
    await page.goto(`${server.url}/#/compare?a=ck1&b=ck2`);
    await ready('compare');
    await expect(page.locator('#transitions').textContent()).resolves.toMatch(/shared/);
    await expect(page.locator('#moved tr').count()).resolves.toBeGreaterThan(1);
    await expect(page.locator('#compare-sides .flags-count').allTextContents()).resolves.toEqual(['2']);
    await page.screenshot({ path: join(shots, 'compare-view.png') });
  });

  it('restores a shared view from its URL', async () => {
    await page.goto(`${server.url}/#/run/demo-run?from=100&to=500&latent=7`);
    await ready('run');
    await page.waitForSelector('#latent-panel[data-latent="7"]');
    const domain = await page.evaluate(() => (window as unknown as { __tl: { domain: [number, number] } }).__tl.domain);
    expect(domain[0]).toBeCloseTo(100, 0);
    expect(domain[1]).toBeCloseTo(500, 0);
  });

  it('grows a live run on screen while a client streams steps into it', async () => {
    const columns = [
      { name: 'action', type: 'int32' as const, role: 'action' as const },
      { name: 'reward', type: 'float32' as const, role: 'reward' as const },
    ];
    const rec = await WorkbenchRecorder.create(server.url, { id: 'live-e2e', agents: [{ id: 'A', hiddenSize: 8, columns }, { id: 'B', hiddenSize: 8, columns }] });
    const batch = (t0: number, n: number) => ({
      episode: new Array(n).fill(0),
      step: Array.from({ length: n }, (_, i) => t0 + i),
      hidden: Float32Array.from({ length: n * 8 }, (_, i) => Math.sin(i + t0)),
      columns: { action: Array.from({ length: n }, (_, i) => (t0 + i) % 2), reward: Array.from({ length: n }, (_, i) => ((t0 + i) % 5) / 5) },
    });
    await Promise.all([rec.send('A', batch(0, 50)), rec.send('B', batch(0, 50))]);
    await page.goto(`${server.url}/#/run/live-e2e`);
    await ready('run');
    // A hash change keeps the document: data-ready may still describe the previous run for a moment.
    await page.waitForFunction(() => document.getElementById('run-status')?.textContent === 'recording', undefined, { timeout: 15_000 });
    await expect(page.locator('#rows-count').getAttribute('data-rows')).resolves.toBe('50');
    await expect(page.locator('#run-status').textContent()).resolves.toBe('recording');
    const a = rec.stream('A');
    const b = rec.stream('B');
    const latencies: number[] = [];
    for (let k = 1; k <= 5; k++) {
      const t0 = Date.now();
      a.write(batch(50 * k, 50));
      b.write(batch(50 * k, 50));
      await page.waitForFunction((rows) => Number(document.getElementById('rows-count')!.getAttribute('data-rows')) >= rows, 50 * (k + 1), { timeout: 10_000 });
      latencies.push(Date.now() - t0);
    }
    await Promise.all([a.close(), b.close()]);
    await rec.finish();
    await page.waitForFunction(() => document.getElementById('run-status')!.textContent === 'complete', undefined, { timeout: 5000 });
    await expect(page.locator('#rows-count').getAttribute('data-rows')).resolves.toBe('300');
    await page.screenshot({ path: join(shots, 'live-run.png') });
    expect(Math.max(...latencies)).toBeLessThan(5000);
    console.log(`live latency (batch written → rows on screen), ms: ${latencies.join(', ')}`);
  });

  it('shows strings that came from a run as text, never as markup', async () => {
    const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    const columns = [
      { name: 'action', type: 'int32' as const, role: 'action' as const },
      { name: 'note', type: 'utf8' as const, role: 'text' as const },
    ];
    const rec = await WorkbenchRecorder.create(server.url, {
      id: 'xss',
      agents: [{ id: 'A', hiddenSize: 4, model: evil, columns }, { id: 'B', hiddenSize: 4, columns }],
      source: { kind: evil },
    });
    const steps = (id: string) => rec.send(id, { episode: [0, 0, 0], step: [0, 1, 2], hidden: new Float32Array(12), columns: { action: [0, 1, 0], note: [evil, evil, evil] } });
    await Promise.all([steps('A'), steps('B')]);
    await rec.finish();
    await page.goto(`${server.url}/`);
    await ready('runs');
    await page.goto(`${server.url}/#/run/xss`);
    await ready('run');
    const box = (await page.locator('#behaviour').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 10);
    await expect(page.locator('#tooltip').textContent()).resolves.toContain('<img src=x');
    await expect(page.locator('#side').textContent()).resolves.toContain('<img src=x');
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.locator('#tooltip img, #side img, #tooltip script').count()).toBe(0);
  });
});

describe.skipIf(!chromium)('workbench in Chromium behind an access token', () => {
  it('opens with ?token=, loads its assets and live updates, and shows nothing without it', async () => {
    const token = 'browser-test-token-0123456789';
    const ws = mkdtempSync(join(tmpdir(), 'tl-web-token-'));
    makeWebWorkspace(ws, { episodes: 2, steps: 50, numLatents: 16, k: 3 });
    const server = await startTestServer({ workspace: ws, token });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const denied = await page.goto(`${server.url}/`);
      expect(denied!.status()).toBe(401);
      await expect(page.textContent('body')).resolves.toMatch(/needs an access token/);
      await page.goto(`${server.url}/?token=${token}#/run/demo-run`);
      await page.waitForFunction(() => document.body.getAttribute('data-ready') === 'run', undefined, { timeout: 15_000 });
      await page.waitForFunction(() => document.getElementById('live-status')!.classList.contains('on'), undefined, { timeout: 5000 });
      await expect(page.locator('#rows-count').getAttribute('data-rows')).resolves.toBe('100');
    } finally {
      await browser.close();
      await server.close();
      rmSync(ws, { recursive: true, force: true });
    }
  });
});
