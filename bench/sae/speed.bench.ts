// Speed of the paired-dictionary training step, thoughtlens against two PyTorch references on
// the same data, same initialisation scheme and thread count, in alternating runs: a dense one
// as SAELens-style trainers are written (bench/sae/torch_ref.py) and a sparse one with
// sparsify's CPU tricks (bench/sae/torch_sparse_ref.py). Prints pairs/s, the ratios, executed
// GFLOP/s against the measured peaks (each side's own kernels and the machine's: the best of
// MKL and onnxruntime at the same thread count), the dense encoder product's own rate, and FVU
// reached after the same wall-clock budget.
//   npx tsx bench/sae/speed.bench.ts [--sizes 128:1024,512:4096] [--seconds 20] [--reps 2]
//       [--threads 2] [--backend wasm] [--engine auto] [--matmul auto] [--python python3]
//       [--block-penalty 0]
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
  selectMatmul,
  describeMatmul,
  type BackendName,
  type MatmulName,
  type SaeModel,
} from '../../sae/index.js';
import { loadNativeGemm } from '../../sae/kernels/nativeGemm.js';
import type { SparseEngine } from '../../sae/train/sparseEngine.js';
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
const matmulName = (args.get('matmul') ?? 'auto') as MatmulName | 'auto';
// The PyTorch references train a plain reconstruction objective; the decoder-block penalty of
// thoughtlens' default (docs/SPLIT.md) is off here unless asked for, so the FVU columns compare
// like with like.
const blockPenalty = Number(args.get('block-penalty') ?? 0);
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

/** Best of a few tfjs dense products in both orientations the engines use: [B×d]·[d×m] and [m×d]·[d×B]. */
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

/** Best of a few native products [m×d]·([B×d])ᵀ with `intra` onnxruntime threads (NaN when absent). */
async function nativePeak(d: number, m: number, intra: number): Promise<number> {
  const g = await loadNativeGemm(intra).catch(() => null);
  if (!g) return NaN;
  const rng = makeRng(1);
  const W = Float32Array.from({ length: m * d }, () => rng.normal());
  const x = Float32Array.from({ length: B * d }, () => rng.normal());
  const y = new Float32Array(m * B);
  g.run(W, x, y, m, B, d);
  let best = 0;
  for (let i = 0; i < (d >= 2048 ? 3 : 5); i++) {
    const t = performance.now();
    g.run(W, x, y, m, B, d);
    best = Math.max(best, (2 * B * d * m) / ((performance.now() - t) / 1000) / 1e9);
  }
  g.dispose();
  return best;
}

const matmul = await selectMatmul(matmulName);

function runThoughtlens(d: number, m: number, xs: Float32Array[], rows: number) {
  const cfg = resolveSaeConfig({ agents: [{ id: 'A', dim: d }, { id: 'B', dim: d }], latents: m, k, batchSize: B, lr: 1e-3, steps: 1e9, warmupSteps: 0, decayFraction: 0, clipNorm: 0, engine: engineKind, backend: backendName, auxK: 0, blockPenalty });
  const backend = { name: backendName, tfName: tf.getBackend(), skipped: [] };
  const engine = makeEngine(cfg, initParams(cfg), backend, { threads, matmul });
  const phases = engine.kind === 'sparse' ? (engine as SparseEngine).phaseMs : null;
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
  const phases0 = phases ? { ...phases } : null;
  const t0 = performance.now();
  let steps = 0;
  while ((performance.now() - t0) / 1000 < seconds) {
    fill();
    engine.step(batch, B, 1e-3, null);
    steps++;
  }
  const el = (performance.now() - t0) / 1000;
  if (phases && phases0) {
    // Where the calling thread's step time goes (the rest of the wall time is filling batches).
    const parts = Object.entries(phases).map(([name, ms]) => `${name} ${((100 * (ms - phases0[name as keyof typeof phases0])) / (el * 1000)).toFixed(0)}%`);
    console.error(`d=${d} m=${m} thoughtlens step time by phase (calling thread, share of wall time): ${parts.join(', ')}`);
  }
  // The calling thread's dense encoder products (its shard: m/threads latents), per second of them.
  const encodeGflops = phases && phases0 ? (steps * 2 * 2 * B * d * (m / threads)) / ((phases.encode - phases0.encode) / 1000) / 1e9 : NaN;
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
  return { pairsPerSec: (steps * B) / el, steps, seconds: el, fvu, engine: engine.kind, encodeGflops };
}

await selectBackend(backendName);
console.error(`${describeMatmul(matmul, backendName)}`);
const rowsLines: string[] = [];
const peakLines: string[] = [];
for (const [d, m] of sizes) {
  const rows = d >= 2048 ? 4096 : 16384;
  const xs = makeData(d, m, rows);
  const file = join(out, `data_${d}.f32`);
  const all = new Float32Array(2 * rows * d);
  all.set(xs[0]!, 0);
  all.set(xs[1]!, rows * d);
  writeFileSync(file, all);
  // The sparse engine runs one single-threaded product per shard: its own kernel's peak is the
  // one-thread peak × threads; the machine's is the best measured at `threads` threads.
  const wasmPeak1 = peakGflops(d, m);
  const ortPeak1 = await nativePeak(d, m, 1);
  const ortPeakT = threads === 1 ? ortPeak1 : await nativePeak(d, m, threads);
  const ownPeak = (matmul.gemm ? ortPeak1 : wasmPeak1) * threads;
  const flopsPerPair = 2 * 10 * d * m; // dense: encoder fwd + grad, decoder fwd + 2 grads, per agent
  const sparseFlopsPerPair = 2 * (2 * d * m + 8 * k * d); // sparse: encoder fwd dense, the rest over k active
  type PyResult = { pairsPerSec: number; fvu: number[]; peakGflops: number | null; steps: number };
  const js: ReturnType<typeof runThoughtlens>[] = [];
  const py: Record<'dense' | 'sparse', PyResult[]> = { dense: [], sparse: [] };
  const torchRun = (kind: 'dense' | 'sparse', r: number) => {
    const script = kind === 'dense' ? 'torch_ref.py' : 'torch_sparse_ref.py';
    try {
      const res = execFileSync(python, [join('bench', 'sae', script), JSON.stringify({ d, m, k, batch: B, rows, data: file, threads, lr: 1e-3, seconds, warmup: 1, peak: kind === 'dense' && r === 0 })], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) } });
      py[kind].push(JSON.parse(res.trim().split('\n').pop()!) as PyResult);
      console.error(`d=${d} m=${m} rep ${r} pytorch ${kind} ${py[kind].at(-1)!.pairsPerSec.toFixed(0)} pairs/s (${py[kind].at(-1)!.steps} steps)`);
    } catch (err) {
      console.error(`pytorch ${kind} reference failed: ${(err as Error).message.split('\n')[0]}`);
    }
  };
  for (let r = 0; r < reps; r++) {
    js.push(runThoughtlens(d, m, xs, rows));
    console.error(`d=${d} m=${m} rep ${r} thoughtlens ${js.at(-1)!.pairsPerSec.toFixed(0)} pairs/s (${js.at(-1)!.steps} steps, encoder product ${js.at(-1)!.encodeGflops.toFixed(1)} GFLOP/s per thread)`);
    torchRun('dense', r);
    torchRun('sparse', r);
  }
  const med = (v: number[]) => (v.length ? [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]! : NaN);
  const jsP = med(js.map((x) => x.pairsPerSec));
  const denseP = med(py.dense.map((x) => x.pairsPerSec));
  const sparseP = med(py.sparse.map((x) => x.pairsPerSec));
  const mklPeak = py.dense.find((x) => x.peakGflops)?.peakGflops ?? NaN;
  const machinePeak = Math.max(...[mklPeak, ortPeakT].filter(Number.isFinite));
  const f = (x: number[] | undefined) => (x ? x.map((v) => v.toFixed(3)).join('/') : '-');
  const jsFlops = js[0]!.engine === 'sparse' ? sparseFlopsPerPair : flopsPerPair;
  const g = (pairs: number, flops: number) => (pairs * flops) / 1e9;
  const pct = (x: number, of: number) => `${((100 * x) / of).toFixed(0)}%`;
  const encPerThread = med(js.map((x) => x.encodeGflops));
  const side = js[0]!.engine === 'sparse' ? `sparse, ${matmul.name}` : `${js[0]!.engine} on ${backendName}`;
  rowsLines.push(
    `| 2×${d}→${m} | ${side}, ${threads} thread${threads > 1 ? 's' : ''} | ${jsP.toFixed(0)} | ${denseP.toFixed(0)} | ${sparseP.toFixed(0)} | **${(jsP / denseP).toFixed(2)}** | **${(jsP / sparseP).toFixed(2)}** | ${g(jsP, jsFlops).toFixed(1)} / ${machinePeak.toFixed(1)} (${pct(g(jsP, jsFlops), machinePeak)}) | ${encPerThread.toFixed(1)} / ${(ownPeak / threads).toFixed(1)} (${pct(encPerThread, ownPeak / threads)}) | ${g(denseP, flopsPerPair).toFixed(1)} (${pct(g(denseP, flopsPerPair), machinePeak)}) | ${g(sparseP, sparseFlopsPerPair).toFixed(1)} (${pct(g(sparseP, sparseFlopsPerPair), machinePeak)}) | ${f(js.at(-1)!.fvu)} | ${f(py.dense.at(-1)?.fvu)} | ${f(py.sparse.at(-1)?.fvu)} |`,
  );
  peakLines.push(`| 2×${d}→${m} | ${threads} | ${wasmPeak1.toFixed(1)} | ${ortPeak1.toFixed(1)} | ${ortPeakT.toFixed(1)} | ${mklPeak.toFixed(1)} |`);
}
console.log(`| size | thoughtlens | thoughtlens pairs/s | PyTorch dense pairs/s | PyTorch sparse pairs/s | × dense | × sparse | thoughtlens executed GFLOP/s / machine peak | encoder product GFLOP/s per thread / its kernel's peak | PyTorch dense GFLOP/s (of peak) | PyTorch sparse GFLOP/s (of peak) | FVU A/B thoughtlens | FVU A/B dense | FVU A/B sparse |`);
console.log(`|---|---|---|---|---|---|---|---|---|---|---|---|---|---|`);
for (const l of rowsLines) console.log(l);
console.log(`\nPeaks measured in the same run (GFLOP/s, one [m×d]·[d×B] product; machine peak = the best of onnxruntime and MKL at the same thread count):\n`);
console.log(`| size | threads | tfjs ${backendName}, 1 thread | onnxruntime, 1 thread | onnxruntime, ${threads} threads | MKL (torch), ${threads} threads |`);
console.log(`|---|---|---|---|---|---|`);
for (const l of peakLines) console.log(l);
console.log(`\n${seconds} s per run, ${reps} alternating runs each, batch ${B}, k ${k}, ${threads} threads (all sides), block penalty ${blockPenalty}; FVU after one ${seconds}-s run on 2048 (thoughtlens) / 4096 (PyTorch) rows; load average at the end ${loadavg().map((x) => x.toFixed(2)).join(' ')}.`);
