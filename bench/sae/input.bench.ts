// Throughput of the training input path alone (Arrow record batches → join → shuffle
// buffer → fixed-size batches), to check that I/O cannot starve the trainer.
//   npx tsx bench/sae/input.bench.ts [--d 512] [--rows 65536] [--batch 1024]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRun } from '../../data/index.js';
import { ShuffledBatches } from '../../sae/index.js';
import { makeRng } from '../../util/random.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1]!);
const d = Number(args.get('d') ?? 512);
const rows = Number(args.get('rows') ?? 65536);
const B = Number(args.get('batch') ?? 1024);
const root = mkdtempSync(join(tmpdir(), 'tl-input-'));
try {
  const dir = join(root, 'run');
  const w = createRun(dir, { source: { kind: 'bench' }, agents: ['A', 'B'].map((id) => ({ id, hiddenSize: d, columns: [] })), flushIntervalMs: 0 });
  const rng = makeRng(1);
  const chunk = 1024;
  const h = new Float32Array(chunk * d);
  for (let r = 0; r < rows; r += chunk) {
    for (let i = 0; i < h.length; i++) h[i] = rng.next();
    const ep = Int32Array.from({ length: chunk }, (_, i) => Math.floor((r + i) / 256));
    const st = Int32Array.from({ length: chunk }, (_, i) => (r + i) % 256);
    for (const id of ['A', 'B']) w.append(id, { episode: ep, step: st, hidden: h });
  }
  w.close();
  const s = new ShuffledBatches({ runs: [dir], agents: ['A', 'B'], batchSize: B, seed: 1, bufferRows: 16384 });
  s.next();
  const t = performance.now();
  let n = 0;
  while (performance.now() - t < 5000) {
    s.next();
    n += B;
  }
  const secs = (performance.now() - t) / 1000;
  console.log(`input path: 2 agents × d=${d}, batch ${B}, shuffle buffer 16384: ${(n / secs).toFixed(0)} pairs/s (${((n * 2 * d * 4) / secs / 1e9).toFixed(2)} GB/s of hidden state)`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
