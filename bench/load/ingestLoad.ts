// Load on one workbench over loopback: many concurrent ingest streams (one per run and
// agent, each a sequence of POSTs of a record batch) and readers polling the API, for a
// fixed time. Afterwards every stream is checked on disk: row count and a checksum of
// (episode, step, hidden) against what the client sent, so a lost or duplicated step
// fails. The server runs as a child process (`thoughtlens serve`) so its memory (VmRSS)
// is sampled alone. Used by bench/load/ingest.bench.ts and test/robustness/ingestLoad.test.ts.
import { spawn } from 'node:child_process';
import { createHash, type Hash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { RecordBatchStreamWriter } from 'apache-arrow';
import { openRun } from '../../data/index.js';
import { schemaFor, stepsToBatch, type RecorderAgent } from '../../examples/node-recorder/workbenchRecorder.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface IngestLoadOptions {
  /** Runs recorded at once; each has `agentsPerRun` agents, one stream each. */
  runs: number;
  agentsPerRun: number;
  /** Readers polling GET /api/runs and /api/runs/:id. */
  readers: number;
  seconds: number;
  hiddenSize: number;
  /** Steps per POST. */
  batchRows: number;
  /** Pause of each reader between two GETs (ms, default 100: a browser tab polling at 10 Hz). */
  readEveryMs?: number;
  /** Sampling period of the server's memory (ms). */
  sampleMs?: number;
  log?: (line: string) => void;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface IngestLoadResult {
  streams: number;
  seconds: number;
  steps: number;
  stepsPerSec: number;
  megabytesPerSec: number;
  append: LatencySummary;
  read: LatencySummary;
  rssStartMb: number;
  rssPeakMb: number;
  rssEndMb: number;
  /** Server RSS at 25, 50, 75 and 100 % of the load time (MB): flat when memory is bounded. */
  rssQuartersMb: number[];
  /** Per stream: rows sent, rows on disk, checksums equal. */
  lost: number;
  duplicated: number;
  checksumMismatches: number;
  manifestMismatches: number;
  errors: string[];
  /** Requests answered 429 (rate limit) and retried after Retry-After. */
  throttled: number;
}

export function summarize(ms: number[]): LatencySummary {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN);
  return { count: s.length, p50: at(0.5), p99: at(0.99), max: s.length ? s[s.length - 1]! : NaN };
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

export function hiddenOf(stream: number, t: number, e: number): number {
  return Math.fround(Math.sin(stream * 0.71 + t * 0.013 + e * 0.37));
}

function hashRows(h: Hash, episode: ArrayLike<number>, step: ArrayLike<number>, hidden: Float32Array, d: number): void {
  for (let i = 0; i < episode.length; i++) {
    h.update(`${episode[i]},${step[i]};`);
    const row = hidden.subarray(i * d, (i + 1) * d);
    h.update(Buffer.from(row.buffer, row.byteOffset, row.byteLength));
  }
}

async function startServerChild(ws: string): Promise<{ pid: number; url: string; stop: () => Promise<void> }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'cli/main.ts'), '-w', ws, 'serve', '--port', '0'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const url = await new Promise<string>((res, rej) => {
    let out = '';
    const t = setTimeout(() => rej(new Error(`server did not start in 30 s: ${err}`)), 30_000);
    proc.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /thoughtlens workbench: (http:\/\/[^/\s]+)/.exec(out);
      if (m) {
        clearTimeout(t);
        res(m[1]!);
      }
    });
    proc.on('exit', () => rej(new Error(`server exited: ${err}`)));
  });
  const exited = new Promise<void>((r) => proc.on('exit', () => r()));
  return {
    pid: proc.pid!,
    url,
    stop: async () => {
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

export async function runIngestLoad(o: IngestLoadOptions): Promise<IngestLoadResult> {
  const log = o.log ?? (() => undefined);
  const ws = mkdtempSync(join(tmpdir(), 'tl-load-'));
  const server = await startServerChild(ws);
  const errors: string[] = [];
  let throttled = 0;
  const appendMs: number[] = [];
  const readMs: number[] = [];
  const rss: number[] = [rssMb(server.pid)];
  const sampler = setInterval(() => rss.push(rssMb(server.pid)), o.sampleMs ?? 100);
  const d = o.hiddenSize;
  try {
    const agentIds = Array.from({ length: o.agentsPerRun }, (_, a) => String.fromCharCode(65 + a));
    const agents: RecorderAgent[] = agentIds.map((id) => ({ id, hiddenSize: d, columns: [{ name: 'action', type: 'int32', role: 'action' }] }));
    const runIds = Array.from({ length: o.runs }, (_, r) => `load${r}`);
    for (const id of runIds) {
      const res = await fetch(`${server.url}/api/runs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id, agents }) });
      if (res.status !== 201) throw new Error(`creating ${id}: ${res.status} ${await res.text()}`);
    }
    const schemas = agents.map((a) => schemaFor(a));
    const streams = runIds.flatMap((run) => agents.map((agent, a) => ({ run, agent, schema: schemas[a]!, sent: 0, acked: 0, hash: createHash('sha256') })));
    const started = performance.now();
    const deadline = started + o.seconds * 1000;

    const produce = async (s: (typeof streams)[number], index: number) => {
      const hidden = new Float32Array(o.batchRows * d);
      while (performance.now() < deadline) {
        const n = o.batchRows;
        const episode = new Int32Array(n);
        const step = new Int32Array(n);
        const action = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          const t = s.sent + i;
          episode[i] = Math.floor(t / 1000);
          step[i] = t % 1000;
          action[i] = t % 4;
          for (let e = 0; e < d; e++) hidden[i * d + e] = hiddenOf(index, t, e);
        }
        const w = new RecordBatchStreamWriter();
        w.reset(undefined, s.schema);
        w.write(stepsToBatch(s.agent, s.schema, { episode, step, hidden, columns: { action } }));
        w.finish();
        const body = w.toUint8Array(true);
        let res: Response;
        let text: string;
        for (;;) {
          const t0 = performance.now();
          res = await fetch(`${server.url}/api/runs/${s.run}/agents/${s.agent.id}/steps`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/vnd.apache.arrow.stream' },
            body: body as BodyInit,
          });
          text = await res.text();
          appendMs.push(performance.now() - t0);
          if (res.status !== 429) break;
          // Over the server's per-client rate limit (all streams share 127.0.0.1): back off as told.
          throttled++;
          await sleep(1000 * Number(res.headers.get('retry-after') ?? 1));
        }
        if (res.status !== 200) {
          errors.push(`${s.run}/${s.agent.id}: ${res.status} ${text.slice(0, 200)}`);
          return;
        }
        hashRows(s.hash, episode, step, hidden, d);
        s.sent += n;
        s.acked = (JSON.parse(text) as { totalRows: number }).totalRows;
      }
    };
    const read = async () => {
      let k = 0;
      while (performance.now() < deadline) {
        const path = k++ % 2 === 0 ? '/api/runs' : `/api/runs/${runIds[k % runIds.length]}`;
        const t0 = performance.now();
        const res = await fetch(`${server.url}${path}`);
        await res.arrayBuffer();
        readMs.push(performance.now() - t0);
        if (res.status === 429) throttled++;
        else if (res.status !== 200) errors.push(`GET ${path}: ${res.status}`);
        await sleep(o.readEveryMs ?? 100);
      }
    };
    await Promise.all([...streams.map((s, i) => produce(s, i)), ...Array.from({ length: o.readers }, read)]);
    const elapsed = (performance.now() - started) / 1000;
    for (const id of runIds) {
      const res = await fetch(`${server.url}/api/runs/${id}/finish`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      if (res.status !== 200) errors.push(`finish ${id}: ${res.status} ${await res.text()}`);
    }
    clearInterval(sampler);
    const during = rss.filter(Number.isFinite);
    const rssQuartersMb = [0.25, 0.5, 0.75, 1].map((q) => during[Math.min(during.length - 1, Math.floor(q * (during.length - 1)))]!);
    rss.push(rssMb(server.pid));
    const rssEnd = rss[rss.length - 1]!;
    log(`streams done after ${elapsed.toFixed(1)} s; checking ${streams.length} streams on disk`);

    let lost = 0;
    let duplicated = 0;
    let checksumMismatches = 0;
    let manifestMismatches = 0;
    for (const run of runIds) {
      const reader = openRun(join(ws, 'runs', run));
      const scans = reader.scan();
      for (const s of streams.filter((x) => x.run === run)) {
        const h = createHash('sha256');
        let rows = 0;
        const ar = reader.openAgent(s.agent.id);
        for (const b of ar.batches()) {
          hashRows(h, b.episode, b.step, b.hidden, d);
          rows += b.length;
        }
        ar.close();
        if (rows < s.sent) lost += s.sent - rows;
        if (rows > s.sent) duplicated += rows - s.sent;
        if (h.digest('hex') !== s.hash.digest('hex')) checksumMismatches++;
        const scan = scans.find((x) => x.agent === s.agent.id)!;
        if (reader.manifest.counts[s.agent.id]!.rows !== scan.rows || scan.rows !== rows || s.acked !== s.sent) manifestMismatches++;
      }
    }
    const steps = streams.reduce((n, s) => n + s.sent, 0);
    return {
      streams: streams.length,
      seconds: elapsed,
      steps,
      stepsPerSec: steps / elapsed,
      megabytesPerSec: (steps * d * 4) / elapsed / 1e6,
      append: summarize(appendMs),
      read: summarize(readMs),
      rssStartMb: rss[0]!,
      rssPeakMb: Math.max(...rss.filter(Number.isFinite)),
      rssEndMb: rssEnd,
      rssQuartersMb,
      lost,
      duplicated,
      checksumMismatches,
      manifestMismatches,
      errors,
      throttled,
    };
  } finally {
    clearInterval(sampler);
    await server.stop();
    rmSync(ws, { recursive: true, force: true });
  }
}
