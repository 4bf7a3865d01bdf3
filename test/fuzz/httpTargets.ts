// Fuzz targets of HTTP ingestion: a real workbench on 127.0.0.1:0 fed mutated Arrow IPC
// step streams and mutated create-run JSON.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RecordBatchStreamWriter } from 'apache-arrow';
import { openRun } from '../../data/index.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { schemaFor, stepsToBatch, type RecorderAgent } from '../../examples/node-recorder/workbenchRecorder.js';
import { mutateBytes, mutateJson } from '../helpers/fuzz.js';
import { outcomeOf, type FuzzTarget, type Outcome } from './fuzzTarget.js';


export const INGEST_AGENTS: RecorderAgent[] = [
  { id: 'A', hiddenSize: 6, columns: [{ name: 'action', type: 'int32', role: 'action' }, { name: 'note', type: 'utf8', role: 'text' }] },
  { id: 'B', hiddenSize: 4, columns: [{ name: 'reward', type: 'float32', role: 'reward' }] },
];

/** Hidden element e of global step t in the streams ingestStream builds (episode t/50, step t%50). */
export function ingestHidden(t: number, e: number): number {
  return Math.fround(Math.sin(t * 0.37 + e * 1.1));
}

/** A valid Arrow IPC stream of `rows` steps for agent A, in `batches` record batches. */
export function ingestStream(agent: RecorderAgent, rows: number, batches: number, t0 = 0): Uint8Array {
  const schema = schemaFor(agent);
  const w = new RecordBatchStreamWriter();
  w.reset(undefined, schema);
  const per = Math.ceil(rows / batches);
  for (let r0 = 0; r0 < rows; r0 += per) {
    const n = Math.min(per, rows - r0);
    const idx = Array.from({ length: n }, (_, i) => t0 + r0 + i);
    const columns: Record<string, unknown[]> = {};
    for (const c of agent.columns ?? []) columns[c.name] = idx.map((t) => (c.type === 'utf8' ? `say ${t}` : t % 3));
    w.write(
      stepsToBatch(agent, schema, {
        episode: idx.map((t) => Math.floor(t / 50)),
        step: idx.map((t) => t % 50),
        hidden: Float32Array.from({ length: n * agent.hiddenSize }, (_, k) => ingestHidden(t0 + r0 + Math.floor(k / agent.hiddenSize), k % agent.hiddenSize)),
        columns: columns as never,
      }),
    );
  }
  w.finish();
  return w.toUint8Array(true);
}

/** Answer of one HTTP case: 2xx accepted, 4xx JSON with a message rejected, else crash. */
export async function httpOutcome(res: Response): Promise<Outcome> {
  const text = await res.text();
  if (res.status >= 200 && res.status < 300) {
    try {
      return { kind: 'accepted', body: JSON.parse(text) as unknown };
    } catch {
      return { kind: 'accepted' };
    }
  }
  let body = null as { error?: { code?: unknown; message?: unknown } } | null;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    /* not JSON */
  }
  const code = body?.error?.code;
  const message = body?.error?.message;
  if (res.status >= 400 && res.status < 500 && typeof code === 'string' && typeof message === 'string' && message.length > 10) {
    if (/\n\s+at /.test(message)) return { kind: 'crash', error: `${res.status} with a stack trace: ${message.slice(0, 300)}` };
    return { kind: 'rejected', code, message };
  }
  return { kind: 'crash', error: `HTTP ${res.status}: ${text.slice(0, 300)}` };
}

/** Starts a real workbench on 127.0.0.1:0 over a fresh workspace. */
async function serverFor(root: string): Promise<{ server: RunningServer; logs: string[] }> {
  const ws = join(root, 'ws');
  mkdirSync(ws, { recursive: true });
  const logs: string[] = [];
  const server = await startServer({ workspace: ws, host: '127.0.0.1', port: 0, watchMs: 1000, rateLimit: { max: 1e9, windowMs: 1000 }, log: (l) => logs.push(l) });
  return { server, logs };
}

async function stillServes(server: RunningServer): Promise<void> {
  const res = await fetch(`${server.url}/api/runs`, { signal: AbortSignal.timeout(10_000) });
  if (res.status !== 200) throw new Error(`after the fuzz cases GET /api/runs answered ${res.status}`);
  await res.json();
}

const CASE_TIMEOUT_MS = 10_000;

export const httpSteps: FuzzTarget = {
  name: 'HTTP ingestion: Arrow IPC stream POST',
  async open(root) {
    const { server, logs } = await serverFor(root);
    const seed = ingestStream(INGEST_AGENTS[0]!, 24, 3);
    return {
      async runCase(rng, i) {
        const id = `fz${i}`;
        const created = await fetch(`${server.url}/api/runs`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ id, agents: INGEST_AGENTS }),
        });
        if (created.status !== 201) return { kind: 'crash', error: `could not create run ${id}: ${created.status} ${await created.text()}` };
        const body = mutateBytes(rng, seed);
        const res = await fetch(`${server.url}/api/runs/${id}/agents/A/steps`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/vnd.apache.arrow.stream' },
          body: body as BodyInit,
          signal: AbortSignal.timeout(CASE_TIMEOUT_MS),
        });
        const out = await httpOutcome(res);
        // Whatever was accepted must read back: finish the run and scan it.
        const fin = await fetch(`${server.url}/api/runs/${id}/finish`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
        await fin.text();
        if (fin.status !== 200) return { kind: 'crash', error: `finish after the case answered ${fin.status}` };
        if (out.kind !== 'crash') {
          const run = openRun(join(server.workbench.config.workspace, 'runs', id));
          const scan = run.scan();
          for (const s of scan) if (s.rows !== run.manifest.counts[s.agent]!.rows) return { kind: 'crash', error: `run ${id}: manifest says ${run.manifest.counts[s.agent]!.rows} rows of ${s.agent}, disk has ${s.rows}` };
          let n = 0;
          for (const b of run.openAgent('A').batches()) n += b.length;
          if (n !== scan[0]!.rows) return { kind: 'crash', error: `run ${id}: ${n} rows read back, scan says ${scan[0]!.rows}` };
        }
        if (out.kind === 'crash' && logs.length) out.error += `\nserver log: ${logs.slice(-1)[0]!.slice(0, 400)}`;
        rmSync(join(server.workbench.config.workspace, 'runs', id), { recursive: true, force: true });
        return out;
      },
      check: () => stillServes(server),
      close: () => server.close(),
    };
  },
};

export const httpCreate: FuzzTarget = {
  name: 'HTTP ingestion: create-run JSON (run.json fields)',
  async open(root) {
    const { server, logs } = await serverFor(root);
    const seed = { id: 'seed', source: { kind: 'external', params: { model: 'gpt' } }, agents: INGEST_AGENTS };
    return {
      async runCase(rng, i) {
        let text: string | Uint8Array;
        if (rng.next() < 0.7) {
          const m = mutateJson(rng, seed) as { id?: unknown } | null;
          // Keep ids unique so most cases reach the manifest checks instead of a 409.
          if (m && typeof m === 'object' && m.id === 'seed') m.id = `c${i}`;
          text = JSON.stringify(m);
        } else text = mutateBytes(rng, Buffer.from(JSON.stringify({ ...seed, id: `c${i}` })));
        const res = await fetch(`${server.url}/api/runs`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: text as BodyInit,
          signal: AbortSignal.timeout(CASE_TIMEOUT_MS),
        });
        const out = await httpOutcome(res);
        if (out.kind === 'accepted') {
          // An accepted run is a valid run on disk, and finishes cleanly.
          const id = out.body && typeof out.body === 'object' ? (out.body as { id?: unknown }).id : undefined;
          if (typeof id !== 'string') return { kind: 'crash', error: `201 without a run id: ${JSON.stringify(out.body)}` };
          const fin = await fetch(`${server.url}/api/runs/${encodeURIComponent(id)}/finish`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
          if (fin.status !== 200) return { kind: 'crash', error: `finish of accepted run '${id}' answered ${fin.status}: ${await fin.text()}` };
          await fin.text();
          const o = outcomeOf(() => void openRun(join(server.workbench.config.workspace, 'runs', id)).scan());
          if (o.kind !== 'accepted') return { kind: 'crash', error: `accepted run '${id}' does not open: ${JSON.stringify(o)}` };
        }
        if (out.kind === 'crash' && logs.length) out.error += `\nserver log: ${logs.slice(-1)[0]!.slice(0, 400)}`;
        return out;
      },
      check: () => stillServes(server),
      close: () => server.close(),
    };
  },
};

