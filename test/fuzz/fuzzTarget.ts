// The fuzz-target contract and runner shared by test/fuzz/*.test.ts and
// bench/fuzz/parsers.bench.ts. A case passes when the parser accepts the input or rejects
// it with a ThoughtlensError carrying a message (over HTTP: a 4xx JSON body
// {error:{code,message}}). Anything else (a plain Error, a 5xx, a body that is not JSON, a
// timeout) is a crash; a case slower than hangMs is a hang.
import { ThoughtlensError } from '../../data/index.js';
import type { Rng } from '../../util/random.js';
import { mutateBytes, mutateJson } from '../helpers/fuzz.js';

export type Outcome = { kind: 'accepted'; body?: unknown } | { kind: 'rejected'; code: string; message: string } | { kind: 'crash'; error: string };

export interface OpenTarget {
  /** Runs one seeded case. */
  runCase(rng: Rng, index: number): Promise<Outcome>;
  /** Checked after the cases (e.g. the server still answers); throws when not. */
  check?(): Promise<void>;
  close(): Promise<void>;
}

export interface FuzzTarget {
  name: string;
  /** Builds the seed input under `root` (a fresh temporary folder). */
  open(root: string): Promise<OpenTarget>;
}

/** Classifies what a synchronous parser did with one input. */
export function outcomeOf(parse: () => void): Outcome {
  try {
    parse();
    return { kind: 'accepted' };
  } catch (err) {
    return classify(err);
  }
}

export function classify(err: unknown): Outcome {
  if (err instanceof ThoughtlensError && err.message.length > 10) return { kind: 'rejected', code: err.code, message: err.message };
  return { kind: 'crash', error: String((err as Error)?.stack ?? err).slice(0, 600) };
}

export const sync = (open: (root: string) => (rng: Rng, i: number) => Outcome) => async (root: string): Promise<OpenTarget> => {
  const run = open(root);
  return { runCase: async (rng, i) => run(rng, i), close: async () => undefined };
};

/** Half the cases mutate the JSON value, half the bytes of its text. */
export function jsonOrBytes(rng: Rng, value: unknown): string | Uint8Array {
  if (rng.next() < 0.5) return JSON.stringify(mutateJson(rng, value));
  return mutateBytes(rng, Buffer.from(JSON.stringify(value, null, 1)));
}

export interface TargetStats {
  name: string;
  cases: number;
  accepted: number;
  rejected: number;
  crashes: { case: number; error: string }[];
  hangs: number;
  slowestMs: number;
  /** Distinct error codes of the rejections with one example message each. */
  codes: Record<string, string>;
}

/** Runs `cases` seeded cases of a target; a case slower than `hangMs` counts as a hang. */
export async function runTarget(t: FuzzTarget, root: string, o: { seed: number; cases: number; hangMs?: number; onCase?: (i: number) => void }, rngOf: (seed: number) => Rng): Promise<TargetStats> {
  const open = await t.open(root);
  const rng = rngOf(o.seed);
  const stats: TargetStats = { name: t.name, cases: 0, accepted: 0, rejected: 0, crashes: [], hangs: 0, slowestMs: 0, codes: {} };
  const hangMs = o.hangMs ?? 5000;
  try {
    for (let i = 0; i < o.cases; i++) {
      o.onCase?.(i);
      const t0 = performance.now();
      let out: Outcome;
      try {
        out = await open.runCase(rng, i);
      } catch (err) {
        out = (err as Error)?.name === 'TimeoutError' ? { kind: 'crash', error: 'hang: no answer within the case timeout' } : classify(err);
      }
      const ms = performance.now() - t0;
      stats.slowestMs = Math.max(stats.slowestMs, ms);
      stats.cases++;
      if (ms > hangMs || (out.kind === 'crash' && out.error.startsWith('hang'))) stats.hangs++;
      else if (out.kind === 'accepted') stats.accepted++;
      else if (out.kind === 'rejected') {
        stats.rejected++;
        stats.codes[out.code] ??= out.message;
      } else stats.crashes.push({ case: i, error: out.error });
    }
    await open.check?.();
  } finally {
    await open.close();
  }
  return stats;
}

