// Server memory for one large Arrow POST (issue 17): a `thoughtlens serve` child receives
// one steps POST of about <MB> MB, sent as one record batch, as batches of about 48 MB or
// of about 4 MB; its VmRSS is read from /proc before, at the peak (VmHWM) and 2 s after the answer.
//
//   npx tsx bench/server/bigIngest.bench.ts [MB = 200] [shape = both|one|many] [hidden = 512]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { RecordBatchStreamWriter } from 'apache-arrow';
import { schemaFor, stepsToBatch, type RecorderAgent } from '../../examples/node-recorder/workbenchRecorder.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const mb = Number(process.argv[2] ?? 200);
const shape = process.argv[3] ?? 'both';
const d = Number(process.argv[4] ?? 512);

function status(pid: number, key: string): number {
  const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function serve(ws: string): Promise<{ pid: number; url: string; stop: () => void }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(root, 'cli/main.ts'), '-w', ws, 'serve', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((res, rej) => {
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /thoughtlens workbench: (http:\/\/[^/\s]+)/.exec(out);
      if (m) res(m[1]!);
    });
    proc.on('exit', () => rej(new Error('server exited')));
  });
  return { pid: proc.pid!, url, stop: () => proc.kill('SIGTERM') };
}

/** An Arrow stream of ≈ mb MB of hidden states in batches of `rowsPerBatch` rows. */
function body(agent: RecorderAgent, rows: number, rowsPerBatch: number): Uint8Array {
  const schema = schemaFor(agent);
  const w = new RecordBatchStreamWriter();
  w.reset(undefined, schema);
  for (let r0 = 0; r0 < rows; r0 += rowsPerBatch) {
    const n = Math.min(rowsPerBatch, rows - r0);
    const hidden = new Float32Array(n * d);
    for (let i = 0; i < hidden.length; i++) hidden[i] = Math.sin(r0 * d + i);
    w.write(stepsToBatch(agent, schema, { episode: Array.from({ length: n }, (_, i) => Math.floor((r0 + i) / 1000)), step: Array.from({ length: n }, (_, i) => (r0 + i) % 1000), hidden, columns: {} as never }));
  }
  w.finish();
  return w.toUint8Array(true);
}

const agent: RecorderAgent = { id: 'A', hiddenSize: d, columns: [] };
const rows = Math.round((mb * 1e6) / (d * 4));
console.log(`| body | MB | rows | batches | status | server RSS before / peak / after MB | s |`);
console.log(`|---|---:|---:|---:|---|---|---:|`);
const shapes: [string, number][] = [
  ['one batch', rows],
  ['48 MB batches', Math.max(1, Math.round(48e6 / (d * 4)))],
  ['4 MB batches', Math.max(1, Math.round(4e6 / (d * 4)))],
];
for (const [name, per] of shapes) {
  if (shape === 'one' && per !== rows) continue;
  if (shape === 'many' && per === rows) continue;
  const ws = mkdtempSync(join(tmpdir(), 'tl-bigingest-'));
  const s = await serve(ws);
  try {
    const bytes = body(agent, rows, per);
    await fetch(`${s.url}/api/runs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: 'big', agents: [agent] }) });
    await sleep(1000);
    const before = status(s.pid, 'VmRSS');
    const t0 = performance.now();
    const res = await fetch(`${s.url}/api/runs/big/agents/A/steps`, { method: 'POST', headers: { 'Content-Type': 'application/vnd.apache.arrow.stream' }, body: bytes as BodyInit });
    const text = await res.text();
    const secs = (performance.now() - t0) / 1000;
    await sleep(2000);
    const after = status(s.pid, 'VmRSS');
    const peak = status(s.pid, 'VmHWM');
    console.log(`| ${name} | ${(bytes.byteLength / 1e6).toFixed(0)} | ${rows} | ${Math.ceil(rows / per)} | ${res.status}${res.ok ? '' : ' ' + text.slice(0, 120)} | ${before.toFixed(0)} / ${peak.toFixed(0)} / ${after.toFixed(0)} | ${secs.toFixed(1)} |`);
  } finally {
    s.stop();
    await sleep(300);
    rmSync(ws, { recursive: true, force: true });
  }
}
