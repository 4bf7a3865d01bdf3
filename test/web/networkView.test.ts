// End to end in Chromium: the graph view of a network run (record network): nodes coloured by
// belief, edges by representational alignment, the round scrubber, a node's timeline on click,
// the link from the runs list, and the JSON route behind it. Screenshot: artifacts/screenshots/network-view.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../../server/index.js';
import type { NetworkView } from '../../server/protocol.js';
import { generateGraph, makeNetworkAgent, recordNetwork } from '../../agents/network/index.js';
import { makeWebWorkspace } from '../helpers/serverFixtures.js';
import { getJson, startTestServer } from '../helpers/serverClient.js';
import { buildWeb, haveChromium, launchChromium, screenshotsDir } from '../helpers/webBrowser.js';

const ROOT = resolve(import.meta.dirname, '../..');
const chromium = haveChromium();

describe.skipIf(!chromium)('network graph view in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let ws: string;

  beforeAll(async () => {
    buildWeb(ROOT);
    ws = mkdtempSync(join(tmpdir(), 'tl-net-'));
    makeWebWorkspace(ws, { episodes: 4, steps: 50, numLatents: 32, k: 4 });
    const a = makeNetworkAgent('scripted', 'leader-election');
    recordNetwork(join(ws, 'runs', 'net'), {
      graph: generateGraph('small-world', 10, 2), graphInfo: { family: 'small-world', n: 10, seed: 2 }, task: 'leader-election',
      protocol: a.protocol, model: a.model, hiddenDescription: a.hiddenDescription, episodes: 16, seed: 1,
      fault: { kind: 'wrong-belief', node: 3, round: 1, share: 0.5 },
    });
    server = await startTestServer({ workspace: ws });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 1100 } });
    page.on('pageerror', (e) => console.error('pageerror:', e.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (ws) rmSync(ws, { recursive: true, force: true });
  });

  it('serves one episode: beliefs per step, the fault, and per-edge alignment scores', async () => {
    const r = await getJson<NetworkView>(`${server.url}/api/runs/net/network?episode=1`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ task: 'leader-election', nodes: 10, episode: 1, fault: { node: 3, kind: 'wrong-belief', step: 1 } });
    expect(r.body.beliefs).toHaveLength(r.body.steps);
    expect(r.body.alignment).toHaveLength(r.body.edges.length);
    // The false claim (uid 10 + 7) is held by node 3 from step 1.
    expect(r.body.beliefs[1]![3]).toBe(17);
    const bad = await getJson(`${server.url}/api/runs/demo-run/network`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/not a network run/);
  });

  it('links network runs from the runs list and draws the graph', async () => {
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => document.body.getAttribute('data-ready') === 'runs');
    await page.locator('tr[data-run="net"] a.graph-link').click();
    await page.waitForFunction(() => document.body.getAttribute('data-ready') === 'network');
    await expect(page.locator('#network-graph .net-node').count()).resolves.toBe(10);
    const edges = await page.locator('#network-graph .net-edge').count();
    expect(edges).toBeGreaterThan(9);
  });

  it('the scrubber recolours nodes as the false claim spreads, and edges by alignment', async () => {
    await page.goto(`${server.url}/#/network/net?episode=1&step=0`);
    await page.waitForFunction(() => document.body.getAttribute('data-ready') === 'network');
    const beliefs = () => page.$$eval('#network-graph .net-node', (ns) => ns.map((n) => Number(n.getAttribute('data-belief'))));
    const before = await beliefs();
    expect(before.filter((b) => b === 17)).toHaveLength(0);
    const last = await page.locator('#network-step').getAttribute('max');
    await page.locator('#network-step').fill(last!);
    const after = await beliefs();
    expect(after.every((b) => b === 17)).toBe(true);
    await expect(page.locator('#network-caption').textContent()).resolves.toMatch(/fault: wrong-belief at n3 from round 1/);
    // Some edge of the faulty node is past the flag threshold at the fault's step (red).
    await page.locator('#network-step').fill('1');
    const zs = await page.$$eval('#network-graph .net-edge', (es) => es.map((e) => Number(e.getAttribute('data-z'))));
    expect(Math.max(...zs.filter(Number.isFinite))).toBeGreaterThan(0);
    expect(page.url()).toMatch(/step=1/);
  });

  it('a click on a node opens its timeline', async () => {
    await page.locator('#network-graph .net-node[data-node="3"]').click();
    await expect(page.locator('#network-timeline h3').textContent()).resolves.toBe('n3 (faulty): timeline');
    const rows = await page.locator('#network-timeline tr[data-step]').count();
    const steps = Number(await page.locator('#network-step').getAttribute('max')) + 1;
    expect(rows).toBe(steps);
    await expect(page.locator('#network-timeline tr[data-step="1"] td').nth(1).textContent()).resolves.toBe('17');
    expect(page.url()).toMatch(/node=3/);
    await page.screenshot({ path: join(screenshotsDir(ROOT), 'network-view.png') });
  });
});
