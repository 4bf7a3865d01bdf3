// Regenerates docs/img/web-*.png, a screenshot of every view, from a fresh demo workspace
// (thoughtlens demo --no-serve: a synthetic run with planted conflicts, two dictionaries,
// codes and a conflict report; plus the tiny experiment of experimentFixture.ts for the
// conditions view). Each page is opened with ?static=1 (no live updates) and
// shot once body[data-quiescent] says everything is drawn (docs/VIEWS.md).
//   npm run docs:img            (needs /usr/bin/chromium; about a minute)
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../cli/program.js';
import { startServer } from '../../server/index.js';
import { makeExperimentFixture, TINY_CONDITIONS_SPEC } from './experimentFixture.js';
import { buildWeb, haveChromium, launchChromium } from './webBrowser.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The views shot, as [file under docs/img, URL path + hash, view that must be quiescent]. */
export const DOC_SHOTS: [string, string, string][] = [
  ['web-runs.png', '/?static=1#/', 'runs'],
  ['web-view.png', '/?static=1#/run/demo-synthetic', 'run'],
  ['web-latent.png', '/runs/demo-synthetic/latents/LATENT?static=1', 'run'],
  ['web-structure.png', '/?static=1#/run/demo-synthetic?tab=structure', 'structure'],
  ['web-compare.png', '/?static=1#/compare?a=demo-dictionary&b=demo-dictionary-seed1', 'compare'],
  ['web-conditions.png', `/?static=1#/conditions?experiment=${TINY_CONDITIONS_SPEC.name}`, 'conditions'],
];

async function main(): Promise<void> {
  if (!haveChromium()) throw new Error('needs /usr/bin/chromium (apt-get install chromium)');
  buildWeb(ROOT);
  const ws = mkdtempSync(join(tmpdir(), 'tl-docs-img-'));
  mkdirSync(join(ws, 'checkpoints'));
  const io = { stdout: process.stdout, stderr: process.stderr };
  const code = await runCli(['--workspace', ws, 'demo', '--no-serve', '--ipd-episodes', '0'], io as never, {});
  if (code !== 0) throw new Error(`thoughtlens demo exited ${code}`);
  for (const d of ['demo-dictionary', 'demo-dictionary-seed1']) {
    if (!existsSync(join(ws, 'checkpoints', d))) throw new Error(`the demo wrote no checkpoint ${d} (see its output above)`);
  }
  await makeExperimentFixture(ws);
  const server = await startServer({ workspace: ws, host: '127.0.0.1', port: 0, watchMs: 50 });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => console.error('pageerror:', e.message));
    // The latent shot opens the latent that drove the first flag (or 0).
    const rep = (await (await fetch(`${server.url}/api/runs/demo-synthetic/reports/demo-dictionary`)).json()) as { flags?: { latents: { latent: number }[] }[] };
    const latent = rep.flags?.[0]?.latents[0]?.latent ?? 0;
    for (const [file, path, view] of DOC_SHOTS) {
      await page.goto(`${server.url}${path.replace('LATENT', String(latent))}`);
      await page.waitForFunction((v) => document.body.getAttribute('data-quiescent') === v, view, { timeout: 60_000 });
      // the conditions page is long (behaviour, ranked shift, latent per condition, examples): shot whole
      await page.screenshot({ path: join(ROOT, 'docs', 'img', file), fullPage: view === 'conditions' });
      console.log(`wrote docs/img/${file}`);
    }
  } finally {
    await browser.close();
    await server.close();
    rmSync(ws, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
