// Render performance of the web view in Chromium, measured in the page with the
// Performance API, and live latency (batch POSTed → rows visible in the browser).
//   npx tsx bench/web/render.bench.ts [--steps 100000] [--latents 1024] [--k 32] [--frames 180] [--batches 60]
// Writes artifacts/bench/web-render.json and prints a Markdown table.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRun } from '../../data/index.js';
import { startServer } from '../../server/index.js';
import { WorkbenchRecorder } from '../../examples/node-recorder/workbenchRecorder.js';
import { writeCodesFixture, writeReportFixture } from '../../test/helpers/serverFixtures.js';
import { buildWeb, haveChromium, launchChromium } from '../../test/helpers/webBrowser.js';

const ROOT = resolve(import.meta.dirname, '../..');
function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
const STEPS = arg('steps', 100_000);
const LATENTS = arg('latents', 1024);
const K = arg('k', 32);
const FRAMES = arg('frames', 180);
const BATCHES = arg('batches', 60);

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))] ?? NaN;
}

if (!haveChromium()) {
  console.error('bench/web/render: /usr/bin/chromium is missing (apt-get install chromium)');
  process.exit(2);
}
buildWeb(ROOT);
const ws = mkdtempSync(join(tmpdir(), 'tl-bench-web-'));
const t0 = Date.now();
// A run of STEPS steps (two agents, small hidden states: the heatmap is about latents).
const stepsPerEp = 1000;
const agents = ['A', 'B'].map((id) => ({
  id,
  hiddenSize: 8,
  columns: [
    { name: 'action', type: 'int32' as const, role: 'action' as const },
    { name: 'reward', type: 'float32' as const, role: 'reward' as const },
    { name: 'defected', type: 'bool' as const, role: 'event' as const },
  ],
}));
const runDir = join(ws, 'runs', 'bench');
const w = createRun(runDir, { id: 'bench', source: { kind: 'bench' }, agents, flushIntervalMs: 0 });
const chunk = 4096;
for (let r0 = 0; r0 < STEPS; r0 += chunk) {
  const n = Math.min(chunk, STEPS - r0);
  const episode = Int32Array.from({ length: n }, (_, i) => Math.floor((r0 + i) / stepsPerEp));
  const step = Int32Array.from({ length: n }, (_, i) => (r0 + i) % stepsPerEp);
  agents.forEach((a, ai) => {
    w.append(a.id, {
      episode,
      step,
      hidden: Float32Array.from({ length: n * 8 }, (_, i) => Math.sin(i * 0.01 + ai)),
      columns: {
        action: Array.from({ length: n }, (_, i) => ((r0 + i) >> (4 + ai)) & 1),
        reward: Array.from({ length: n }, (_, i) => Math.sin((r0 + i) / 300)),
        defected: Array.from({ length: n }, (_, i) => (r0 + i) % 997 === 0),
      },
    });
  });
}
w.close();
const episode = Int32Array.from({ length: STEPS }, (_, r) => Math.floor(r / stepsPerEp));
const step = Int32Array.from({ length: STEPS }, (_, r) => r % stepsPerEp);
writeCodesFixture(runDir, 'ck', { rows: STEPS, numLatents: LATENTS, k: K, keys: { episode, step }, batchRows: 8192 });
writeReportFixture(runDir, 'conflicts', {
  threshold: 2,
  flags: Array.from({ length: 40 }, (_, i) => ({ row: Math.floor(((i + 0.5) * STEPS) / 40), score: 3, latents: [i, i + 1] })),
  scores: Array.from({ length: STEPS }, (_, r) => 1 + Math.sin(r / 500)),
});
const fixtureS = (Date.now() - t0) / 1000;

const server = await startServer({ workspace: ws, port: 0 });
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
const result: Record<string, unknown> = { steps: STEPS, latents: LATENTS, k: K, fixtureSeconds: fixtureS };

async function firstRender(hash: string): Promise<{ firstRenderMs: number; sinceNavigationMs: number }> {
  await page.goto('about:blank');
  await page.goto(`${server.url}/${hash}`);
  await page.waitForFunction(() => document.body.getAttribute('data-ready') === 'run', undefined, { timeout: 60_000 });
  return page.evaluate(`(() => {
    const t = (n) => (performance.getEntriesByName(n)[0] || { startTime: NaN }).startTime;
    const s = t('tl-run-start');
    return {
      firstRenderMs: window.__tl.firstRenderMs,
      sinceNavigationMs: t('tl-first-render'),
      stages: { detail: t('tl-run-detail') - s, behaviour: t('tl-run-behaviour') - s, codes: t('tl-run-codes') - s, report: t('tl-run-report') - s, layout: t('tl-run-layout') - s, overview: t('tl-run-overview') - s },
    };
  })()`) as Promise<{ firstRenderMs: number; sinceNavigationMs: number }>;
}

const cold = await firstRender('#/run/bench');
// A second server on the same workspace, opened the way a person does: the runs list
// first (the server reads the newest runs into memory meanwhile), then the run.
const server2 = await startServer({ workspace: ws, port: 0 });
await page.goto(`${server2.url}/`);
await page.waitForFunction(() => document.body.getAttribute('data-ready') === 'runs', undefined, { timeout: 60_000 });
await page.waitForTimeout(3000);
await page.locator('tr[data-run="bench"]').click();
await page.waitForFunction(() => document.body.getAttribute('data-ready') === 'run', undefined, { timeout: 60_000 });
const viaList = (await page.evaluate('window.__tl.firstRenderMs')) as number;
await server2.close();
const warm: { firstRenderMs: number; sinceNavigationMs: number }[] = [];
for (let i = 0; i < 5; i++) warm.push(await firstRender('#/run/bench'));
result.firstRender = {
  coldServerMs: cold.firstRenderMs,
  freshServerViaRunsListMs: viaList,
  coldSinceNavigationMs: cold.sinceNavigationMs,
  warmMedianMs: quantile(warm.map((x) => x.firstRenderMs), 0.5),
  warmMaxMs: Math.max(...warm.map((x) => x.firstRenderMs)),
  warmSinceNavigationMedianMs: quantile(warm.map((x) => x.sinceNavigationMs), 0.5),
  stagesCold: (cold as unknown as { stages: unknown }).stages,
  stagesWarmLast: (warm[warm.length - 1] as unknown as { stages: unknown }).stages,
};
if (process.argv.includes('--first-render-only')) {
  console.log(JSON.stringify(result, null, 2));
  await browser.close();
  await server.close();
  process.exit(0);
}

async function pan(windowRows: number): Promise<Record<string, number>> {
  const from = Math.floor(STEPS / 2 - windowRows / 2);
  await page.goto('about:blank');
  await page.goto(`${server.url}/#/run/bench?from=${from}&to=${from + windowRows}`);
  await page.waitForFunction(() => document.body.getAttribute('data-ready') === 'run', undefined, { timeout: 60_000 });
  await page.waitForTimeout(500);
  // A string, not a function: tsx would inject helpers the page does not have.
  return page.evaluate(PAN_SCRIPT.replace('FRAMES', String(FRAMES))) as Promise<Record<string, number>>;
}

const PAN_SCRIPT = `(async () => {
  const frames = FRAMES;
  const tl = window.__tl;
  tl.frames.length = 0;
  const stamps = [];
  await new Promise((resolve) => {
    let n = 0;
    function tick(ts) {
      stamps.push(ts);
      if (n++ >= frames) return resolve();
      tl.pan(n % 120 < 60 ? 6 : -6);
      requestAnimationFrame(tick);
    }
    requestAnimationFrame(tick);
  });
  const gaps = stamps.slice(1).map((t, i) => t - stamps[i]).sort((a, b) => a - b);
  const render = [...tl.frames].sort((a, b) => a - b);
  function q(xs, p) { return xs[Math.min(xs.length - 1, Math.floor(p * (xs.length - 1) + 0.5))]; }
  const total = stamps[stamps.length - 1] - stamps[0];
  return { fps: (1000 * (stamps.length - 1)) / total, frameGapMedianMs: q(gaps, 0.5), frameGapP95Ms: q(gaps, 0.95), renderMedianMs: q(render, 0.5), renderP95Ms: q(render, 0.95), renderMaxMs: render[render.length - 1], frames: render.length };
})()`;
result.panning = { window10k: await pan(Math.min(10_000, STEPS / 2)), window1k: await pan(Math.min(1000, STEPS / 4)), windowHalf: await pan(Math.floor(STEPS / 2)) };

// Live latency: batches POSTed by a client → rows visible in the page.
const columns = [{ name: 'action', type: 'int32' as const, role: 'action' as const }];
const rec = await WorkbenchRecorder.create(server.url, { id: 'live', agents: [{ id: 'A', hiddenSize: 16, columns }, { id: 'B', hiddenSize: 16, columns }] });
const mk = (t: number, n: number) => ({ episode: new Array(n).fill(0), step: Array.from({ length: n }, (_, i) => t + i), hidden: new Float32Array(n * 16).fill(0.5), columns: { action: new Array(n).fill(1) } });
await Promise.all([rec.send('A', mk(0, 10)), rec.send('B', mk(0, 10))]);
await page.goto('about:blank');
await page.goto(`${server.url}/#/run/live`);
await page.waitForFunction(() => document.body.getAttribute('data-ready') === 'run', undefined, { timeout: 30_000 });
const sa = rec.stream('A');
const sb = rec.stream('B');
const latencies: number[] = [];
for (let b = 1; b <= BATCHES; b++) {
  const sent = Date.now();
  sa.write(mk(10 * b, 10));
  sb.write(mk(10 * b, 10));
  const rows = 10 * (b + 1);
  await page.waitForFunction((r) => Number(document.getElementById('rows-count')!.getAttribute('data-rows')) >= r, rows, { timeout: 10_000, polling: 'raf' });
  const at = (await page.evaluate(`window.__tl.grewAt.find((g) => g.rows >= ${rows}).at`)) as number;
  latencies.push(at - sent);
  await new Promise((r) => setTimeout(r, 50 + (b % 7) * 15));
}
await Promise.all([sa.close(), sb.close()]);
await rec.finish();
result.liveLatencyMs = { batches: BATCHES, median: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), max: Math.max(...latencies), min: Math.min(...latencies) };

await browser.close();
await server.close();
rmSync(ws, { recursive: true, force: true });
const out = join(ROOT, 'artifacts', 'bench');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'web-render.json'), JSON.stringify(result, null, 2));
console.log(JSON.stringify(result, null, 2));
