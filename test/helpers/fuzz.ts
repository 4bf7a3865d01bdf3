// Seeded mutation fuzzing for input parsers: bit flips, byte overwrites with "interesting"
// values (huge lengths, -1, NaN/Inf float patterns), truncations, duplicated or removed
// slices. A parser passes a case if it either accepts the input or rejects it with a
// ThoughtlensError whose message is non-empty; any other exception is a crash.
import { ThoughtlensError } from '../../data/index.js';
import { makeRng, type Rng } from '../../util/random.js';

const INTERESTING_32 = [0, 1, -1, 0x7fffffff, -0x80000000, 0xffff, 0x10000, 0x7fc00000 /* NaN */, 0x7f800000 /* +Inf */, 0xff800000 /* -Inf */];

export function mutateBytes(rng: Rng, input: Uint8Array): Uint8Array {
  const out = new Uint8Array(input);
  const kind = rng.int(6);
  if (out.length === 0) return new Uint8Array([rng.int(256)]);
  switch (kind) {
    case 0: {
      const flips = 1 + rng.int(8);
      for (let i = 0; i < flips; i++) out[rng.int(out.length)]! ^= 1 << rng.int(8);
      return out;
    }
    case 1: {
      if (out.length < 4) return out;
      const at = rng.int(out.length - 3);
      new DataView(out.buffer).setInt32(at, INTERESTING_32[rng.int(INTERESTING_32.length)]! | 0, true);
      return out;
    }
    case 2:
      return out.slice(0, rng.int(out.length));
    case 3: {
      const a = rng.int(out.length);
      const b = Math.min(out.length, a + 1 + rng.int(64));
      const merged = new Uint8Array(out.length + (b - a));
      merged.set(out.subarray(0, b));
      merged.set(out.subarray(a), b);
      return merged;
    }
    case 4: {
      const a = rng.int(out.length);
      const b = Math.min(out.length, a + 1 + rng.int(64));
      const cut = new Uint8Array(out.length - (b - a));
      cut.set(out.subarray(0, a));
      cut.set(out.subarray(b), a);
      return cut;
    }
    default: {
      const at = rng.int(out.length);
      const n = Math.min(out.length - at, 1 + rng.int(16));
      for (let i = 0; i < n; i++) out[at + i] = rng.int(256);
      return out;
    }
  }
}

/** Replaces a random leaf of a JSON value with a value of a wrong type or an extreme one. */
export function mutateJson(rng: Rng, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(value)) as unknown;
  const weird: unknown[] = [null, -1, 0, 1e308, -1e308, 'NaN', 'x'.repeat(1000), [], {}, true, '../../etc/passwd', 2 ** 53, 0.5];
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    paths.push(path);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(copy, []);
  const path = paths[rng.int(paths.length)]!;
  if (path.length === 0) return weird[rng.int(weird.length)];
  let parent = copy as Record<string | number, unknown>;
  for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (rng.next() < 0.2 && !Array.isArray(parent)) delete parent[last];
  else parent[last] = weird[rng.int(weird.length)];
  return copy;
}

export interface FuzzStats {
  cases: number;
  accepted: number;
  rejected: number;
  crashes: { case: number; error: string }[];
  slowest: number;
}

/** Runs `cases` seeded mutations of `seedInput` through `parse`. */
export function fuzz<T>(opts: {
  seed: number;
  cases: number;
  seedInput: T;
  mutate: (rng: Rng, input: T) => T;
  parse: (input: T) => void;
}): FuzzStats {
  const rng = makeRng(opts.seed);
  const stats: FuzzStats = { cases: 0, accepted: 0, rejected: 0, crashes: [], slowest: 0 };
  for (let i = 0; i < opts.cases; i++) {
    const input = opts.mutate(rng, opts.seedInput);
    const t0 = performance.now();
    try {
      opts.parse(input);
      stats.accepted++;
    } catch (err) {
      if (err instanceof ThoughtlensError && err.message.length > 10) stats.rejected++;
      else stats.crashes.push({ case: i, error: String((err as Error)?.stack ?? err).slice(0, 400) });
    }
    stats.slowest = Math.max(stats.slowest, performance.now() - t0);
    stats.cases++;
  }
  return stats;
}
