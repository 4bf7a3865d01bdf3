// Launching Debian's Chromium through playwright-core for the browser tests and benches,
// and building the web app they load.
import { ciRequires } from './ciRequires.js';
import { existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Whether Chromium is installed; under THOUGHTLENS_CI=1 (.ci/run installs it) its absence throws (ciRequires.ts). */
export function haveChromium(): boolean {
  return !ciRequires(!existsSync(CHROMIUM), `Chromium at ${CHROMIUM}`);
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Builds web/ into web/dist (vite), so the server serves the current source. */
export function buildWeb(root: string): void {
  execFileSync(join(root, 'node_modules', '.bin', 'vite'), ['build', '--config', 'web/vite.config.ts'], { cwd: root, stdio: 'pipe' });
}

export function screenshotsDir(root: string): string {
  const d = join(root, 'artifacts', 'screenshots');
  mkdirSync(d, { recursive: true });
  return d;
}
