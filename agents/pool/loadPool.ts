// Loads a co-player pool: the shipped default (defaultPool.json next to this module, or
// its copy in the source tree when running from dist/) or a user's JSON file.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileStyle, type CompiledStyle } from './compileStyle.js';
import { parsePool } from './parsePool.js';
import { PoolError } from './poolError.js';
import type { PoolSpec } from './styleSpec.js';

export interface Pool {
  spec: PoolSpec;
  styles: CompiledStyle[];
  /** Where it came from ('default' or a file path). */
  source: string;
}

export function defaultPoolFile(): string {
  for (const rel of ['./defaultPool.json', '../../../agents/pool/defaultPool.json']) {
    const f = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(f)) return f;
  }
  throw new PoolError('the default pool file defaultPool.json is missing from the installation');
}

export function poolFromJson(json: unknown, source = '(inline)'): Pool {
  const spec = parsePool(json, source);
  return { spec, styles: spec.styles.map(compileStyle), source };
}

export function loadPool(file?: string): Pool {
  const path = file ?? defaultPoolFile();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new PoolError(`cannot read pool file: ${(err as Error).message}`, path);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new PoolError(`pool file is not valid JSON: ${(err as Error).message}`, path);
  }
  const pool = poolFromJson(json, path);
  return file === undefined ? { ...pool, source: 'default' } : pool;
}

/**
 * The styles training deals, in order (not held out): each index repeated `weight` times, so
 * dealing episodes round-robin over this list draws every style in proportion to its weight.
 */
export function trainingStyles(pool: Pool): number[] {
  return pool.styles.flatMap((s, i) => (s.heldOut ? [] : Array<number>(s.weight).fill(i)));
}

export function styleWeight(pool: Pool, i: number): number {
  return pool.styles[i]!.weight;
}

export function heldOutStyles(pool: Pool): number[] {
  return pool.styles.flatMap((s, i) => (s.heldOut ? [i] : []));
}

export function styleIndex(pool: Pool, name: string): number {
  const i = pool.styles.findIndex((s) => s.name === name);
  if (i < 0) throw new PoolError(`no style named '${name}' in the pool (${pool.styles.map((s) => s.name).join(', ')})`, pool.source);
  return i;
}

/** Training styles marked for the warm-up curriculum (empty: no warm-up). */
export function warmupStyles(pool: Pool): number[] {
  return pool.styles.flatMap((s, i) => (s.warmup && !s.heldOut ? Array<number>(s.weight).fill(i) : []));
}
