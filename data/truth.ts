// Ground-truth files of synthetic runs (truth/…): JSON for structure and planted events,
// Arrow streams for per-step true latents. Plain formats so other tools can score too.
import { mkdirSync, readFileSync } from 'node:fs';
import { confinedPath } from './confinedPath.js';
import { dirname, join } from 'node:path';
import { tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import './ipcCompression.js'; // registers the LZ4 / Zstandard decoders with apache-arrow's readers
import { writeFileAtomic } from './atomicFile.js';
import { FormatError, NotFoundError } from './errors.js';
import { TRUTH_DIR } from './format.js';
import { scanStream } from './runReader.js';

export function truthPath(runDir: string, name: string): string {
  if (name.includes('..') || name.startsWith('/'))
    throw new FormatError(`truth name '${name}' must be a plain relative name`);
  return join(runDir, TRUTH_DIR, name);
}

/** Writes truth/<name> atomically; returns its run-relative path for the manifest. */
export function writeTruthJson(runDir: string, name: string, value: unknown): string {
  const file = truthPath(runDir, name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify(value, null, 1) + '\n');
  return `${TRUTH_DIR}/${name}`;
}

export function readTruthJson<T>(runDir: string, name: string): T {
  const file = truthPath(runDir, name);
  try {
    return JSON.parse(readFileSync(confinedPath(runDir, file, `truth file '${name}'`), 'utf8')) as T;
  } catch (err) {
    if (err instanceof FormatError) throw err; // a link out of the run: never read
    if (err instanceof NotFoundError || (err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new NotFoundError(`this run has no truth file '${name}'`, { file });
    throw new FormatError(`truth file is not valid JSON: ${(err as Error).message}`, { file });
  }
}

export function writeTruthTable(runDir: string, name: string, table: Table): string {
  const file = truthPath(runDir, name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, tableToIPC(table, 'stream'));
  return `${TRUTH_DIR}/${name}`;
}

export function readTruthTable(runDir: string, name: string): Table {
  const file = truthPath(runDir, name);
  let bytes: Buffer;
  let real: string;
  try {
    real = confinedPath(runDir, file, `truth file '${name}'`);
  } catch (err) {
    if (err instanceof FormatError) throw err; // a link out of the run: never read
    throw new NotFoundError(`this run has no truth file '${name}'`, { file });
  }
  try {
    bytes = readFileSync(real);
  } catch {
    throw new NotFoundError(`this run has no truth file '${name}'`, { file });
  }
  scanStream(file, name); // metadata bounds first: a corrupt length must not reach the decoder
  try {
    const table = tableFromIPC(bytes);
    for (const f of table.schema.fields) table.getChild(f.name); // a batch without a column throws here, not in a caller
    return table;
  } catch (err) {
    throw new FormatError(`truth table is not a readable Arrow stream: ${(err as Error).message}`, {
      file,
    });
  }
}
