// Speed of the paired-dictionary training step, thoughtlens against a PyTorch reference
// (bench/sae/torch_ref.py), same data, same thread count, alternating runs. Prints pairs/s,
// the ratio, achieved GFLOP/s against each side's measured matmul peak, and FVU reached
// after the same wall-clock budget.
//   npx tsx bench/sae/speed.bench.ts [--sizes 128:1024,512:4096] [--seconds 20] [--reps 2]
//       [--threads 2] [--backend wasm] [--engine auto] [--python python3]
// --threads sets both PyTorch's threads and the sparse engine's (worker threads over the latents).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  decodeAgent,
  encodeJoint,
  initParams,
  makeCheckpointCfg,
  makeEngine,
  releaseModel,
  resolveSaeConfig,
  selectBackend,
  type BackendName,
  type SaeModel,
} from '../../sae/index.js';
import { makeRng } from '../../util/random.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1]!);
const sizes = (args.get('sizes') ?? '128:1024,512:4096').split(',').map((s) => s.split(':').map(Number) as [number, number]);
const seconds = Number(args.get('seconds') ?? 20);
const reps = Number(args.get('reps') ?? 2);
const threads = Number(args.get('threads') ?? 2);
const backendName = (args.get('backend') ?? 'wasm') as BackendName;
const engineKind = (args.get('engine') ?? 'auto') as 'auto' | 'dense' | 'sparse';
const python = args.get('python') ?? 'python3';
const k = 32;
const B = 1024;
const out = join(process.cwd(), 'artifacts', 'bench-sae');
mkdirSync(out, { recursive: true });

/** Sparse ground truth: n sources (1/4 shared, 3/8 private each), 16 active per row, random unit directions. */
function makeData(d: number, m: number, rows: number): Float32Array[] {
  const rng = makeRng(42);
  const n = Math.max(16, m / 4);
  const dirs = [0, 1].map(() => {
    const F = new Float32Array(n * d);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += (F[j * d + i] = rng.normal()) ** 2;
      for (let i = 0; i < d; i++) F[j * d + i]! /= Math.sqrt(s / d);
    }
    return F;
  });
  const owner = (j: number) => (j < n / 4 ? 2 : j < (5 * n) / 8 ? 0 : 1); // 2 = shared
  const xs = [new Float32Array(rows * d), new Float32Array(rows * d)];
  for (let r = 0; r < rows; r++) {
    for (let t = 0; t < 16; t++) {
      const j = rng.int(n);
      const v = 0.5 + rng.next();
      for (const a of [0, 1]) {
        if (owner(j) !== 2 && owner(j) !== a) continue;
        const F = dirs[a]!;
        const x = xs[a]!;
        for (let i = 0; i < d; i++) x[r * d + i]! += (v * F[j * d + i]!) / 4;
      }
    }
    for (const a of [0, 1]) for (let i = 0; i < d; i++) xs[a]![r * d + i]! += 0.05 * rng.normal();
  }
  return xs;
}

/** Best of a few dense products in both orientations the engines use: [B×d]·[d×m] and [m×d]·[d×B]. */
function peakGflops(d: number, m: number): number {
  let g = 0;
  for (const [r, c] of [[B, m], [m, B]] as const) {
    const x = tf.randomNormal([r, d]) as tf.Tensor2D;
    const w = tf.randomNormal([d, c]) as tf.Tensor2D;
    for (let i = 0; i < (d >= 2048 ? 3 : 5); i++) {
      const t = performance.now();
      tf.tidy(() => {
        tf.matMul(x, w).dataSync();
      });
      g = Math.max(g, (2 * B * d * m) / ((performance.now() - t) / 1000) / 1e9);
    }
    x.dispose();
    w.dispose();
  }
  return g;
}

function runThoughtlens(d: number, m: number, xs: Float32Array[], rows: number) {
  const cfg = resolveSaeConfig({ agents: [{ id: 'A', dim: d }, { id: 'B', dim: d }], latents: m, k, batchSize: B, lr: 1e-3, steps: 1e9, warmupSteps: 0, decayFraction: 0, clipNorm: 0, engine: engineKind, backend: backendName, auxK: 0 });
  const backend = { name: backendName, tfName: tf.getBackend(), skipped: [] };
  const engine = makeEngine(cfg, initParams(cfg), backend, { threads });
  const rng = makeRng(7);
  const batch = [new Float32Array(B * d), new Float32Array(B * d)];
  const fill = () => {
    for (let r = 0; r < B; r++) {
      const src = rng.int(rows);
      for (const a of [0, 1]) batch[a]!.set(xs[a]!.subarray(src * d, (src + 1) * d), r * d);
    }
  };
  fill();
  engine.step(batch, B, 1e-3, null);
  const t0 = performance.now();
  let steps = 0;
  while ((performance.now() - t0) / 1000 < seconds) {
    fill();
    engine.step(batch, B, 1e-3, null);
    steps++;
  }
  const el = (performance.now() - t0) / 1000;
  const norms = [0, 1].map(() => ({ mean: new Float32Array(d), scale: 1 }));
  const base = { cfg, params: engine.params(), norms, threshold: NaN };
  const model: SaeModel = { ...base, meta: makeCheckpointCfg(base, backendName, engine.kind, { step: steps, pairsSeen: 0, threshold: NaN, runs: [], finished: false }) };
  engine.dispose();
  const n = Math.min(rows, 2048);
  const sub = xs.map((x) => x.subarray(0, n * d));
  const z = encodeJoint(model, sub, n, { select: 'batchtopk' });
  const fvu = [0, 1].map((a) => {
    const xh = decodeAgent(model, a, z, n);
    let e = 0;
    let tot = 0;
    const mean = new Float64Array(d);
    for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) mean[i]! += sub[a]![r * d + i]! / n;
    for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) {
      e += (sub[a]![r * d + i]! - xh[r * d + i]!) ** 2;
      tot += (sub[a]![r * d + i]! - mean[i]!) ** 2;
    }
    return e / tot;
  });
  releaseModel(model);
  return { pairsPerSec: (steps * B) / el, steps, seconds: el, fvu, engine: engine.kind };
}

await selectBackend(backendName);
const rowsLines: string[] = [];
for (const [d, m] of sizes) {
  const rows = d >= 2048 ? 4096 : 16384;
  const xs = makeData(d, m, rows);
  const file = join(out, `data_${d}.f32`);
  const all = new Float32Array(2 * rows * d);
  all.set(xs[0]!, 0);
  all.set(xs[1]!, rows * d);
  writeFileSync(file, all);
  // The sparse engine runs one wasm matmul per thread: its peak is the measured one-thread peak × threads.
  const jsPeak = peakGflops(d, m) * threads;
  const flopsPerPair = 2 * 10 * d * m; // dense: encoder fwd + grad, decoder fwd + 2 grads, per agent
  const sparseFlopsPerPair = 2 * (2 * d * m + 8 * k * d); // sparse engine: encoder fwd dense, the rest over k active
  const js: ReturnType<typeof runThoughtlens>[] = [];
  const py: { pairsPerSec: number; fvu: number[]; peakGflops: number | null; steps: number }[] = [];
  for (let r = 0; r < reps; r++) {
    js.push(runThoughtlens(d, m, xs, rows));
    console.error(`d=${d} m=${m} rep ${r} thoughtlens ${js.at(-1)!.pairsPerSec.toFixed(0)} pairs/s (${js.at(-1)!.steps} steps)`);
    try {
      const res = execFileSync(python, [join('bench', 'sae', 'torch_ref.py'), JSON.stringify({ d, m, k, batch: B, rows, data: file, threads, lr: 1e-3, seconds, warmup: 1, peak: r === 0 })], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) } });
      py.push(JSON.parse(res.trim().split('\n').pop()!));
      console.error(`d=${d} m=${m} rep ${r} pytorch ${py.at(-1)!.pairsPerSec.toFixed(0)} pairs/s (${py.at(-1)!.steps} steps)`);
    } catch (err) {
      console.error(`pytorch reference failed: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  const jsP = med(js.map((x) => x.pairsPerSec));
  const pyP = py.length ? med(py.map((x) => x.pairsPerSec)) : NaN;
  const pyPeak = py.find((x) => x.peakGflops)?.peakGflops ?? NaN;
  const f = (x: number[]) => x.map((v) => v.toFixed(3)).join('/');
  const jsFlops = js[0]!.engine === 'sparse' ? sparseFlopsPerPair : flopsPerPair;
  rowsLines.push(
    `| 2×${d}→${m} | ${js[0]!.engine} on ${backendName}, ${threads} thread${threads > 1 ? 's' : ''} | ${jsP.toFixed(0)} | ${pyP.toFixed(0)} | ${(jsP / pyP).toFixed(2)} | ${((jsP * jsFlops) / 1e9).toFixed(1)} / ${jsPeak.toFixed(1)} (${((100 * jsP * jsFlops) / 1e9 / jsPeak).toFixed(0)}%) | ${((pyP * flopsPerPair) / 1e9).toFixed(1)} / ${pyPeak.toFixed(1)} (${((100 * pyP * flopsPerPair) / 1e9 / pyPeak).toFixed(0)}%) | ${f(js.at(-1)!.fvu)} | ${py.length ? f(py.at(-1)!.fvu) : '-'} |`,
  );
}
console.log(`| size | thoughtlens | thoughtlens pairs/s | PyTorch pairs/s | ratio | thoughtlens executed GFLOP/s / peak | PyTorch GFLOP/s / peak | FVU A/B thoughtlens | FVU A/B PyTorch |`);
console.log(`|---|---|---|---|---|---|---|---|---|`);
for (const l of rowsLines) console.log(l);
console.log(`\n${seconds} s per run, ${reps} alternating runs each, batch ${B}, k ${k}, ${threads} threads (both); FVU after one ${seconds}-s run on 2048 rows; load average at the end ${loadavg().map((x) => x.toFixed(2)).join(' ')}.`);
