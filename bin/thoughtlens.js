#!/usr/bin/env node
// Entry point: runs the compiled CLI (npm install builds it via `prepare`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write('thoughtlens: not built yet. Run `npm install` (or `npm run build`) in the thoughtlens folder.\n');
  process.exit(2);
}
await import(pathToFileURL(main).href);
