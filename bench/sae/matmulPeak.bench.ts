// Dense-product peak of each candidate for the sparse engine's encoder product, at the step's
// shapes: Wᵀ [m, d] · (x [B, d])ᵀ → [m, B], B = 1024, float32, best of `--reps` runs after one
// warm-up. Candidates: the tfjs wasm matmul (XNNPACK SIMD128, one thread under Node),
// onnxruntime-node (MLAS) at 1 and 2 intra-op threads, and PyTorch's MKL at 1 and 2 threads
// as the machine's reference peak.
//   npx tsx bench/sae/matmulPeak.bench.ts [--sizes 128:1024,512:4096,2048:16384] [--reps 5] [--python python3]
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../sae/index.js';
import { loadNativeGemm } from '../../sae/kernels/nativeGemm.js';
import { makeRng } from '../../util/random.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1]!);
const sizes = (args.get('sizes') ?? '128:1024,512:4096,2048:16384').split(',').map((s) => s.split(':').map(Number) as [number, number]);
const reps = Number(args.get('reps') ?? 5);
const python = args.get('python') ?? 'python3';
const B = 1024;

function best(flops: number, run: () => void): number {
  run();
  let g = 0;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    run();
    g = Math.max(g, flops / ((performance.now() - t) / 1000) / 1e9);
  }
  return g;
}

const TORCH = `
import json, sys, time, torch
d, m, B, threads, reps = map(int, sys.argv[1:6])
torch.set_num_threads(threads)
w = torch.randn(m, d); x = torch.randn(B, d)
w @ x.t()
g = 0
for _ in range(reps):
    t = time.perf_counter(); w @ x.t(); g = max(g, 2 * B * d * m / (time.perf_counter() - t) / 1e9)
print(json.dumps({'gflops': g, 'torch': torch.__version__}))
`;

function torchPeak(d: number, m: number, threads: number): number {
  try {
    const env = { ...process.env, OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
    const out = execFileSync(python, ['-c', TORCH, String(d), String(m), String(B), String(threads), String(reps)], { encoding: 'utf8', env });
    return (JSON.parse(out.trim().split('\n').pop()!) as { gflops: number }).gflops;
  } catch (err) {
    console.error(`torch failed: ${(err as Error).message.split('\n')[0]}`);
    return NaN;
  }
}

await selectBackend('wasm');
const ort = await Promise.all([1, 2].map((t) => loadNativeGemm(t).catch((e: Error) => (console.error(`onnxruntime-node (${t} threads): ${e.message}`), null))));
console.log('| size (m×d · (B×d)ᵀ, B 1024) | tfjs wasm, 1 thread | onnxruntime-node, 1 thread | onnxruntime-node, 2 threads | PyTorch MKL, 1 thread | PyTorch MKL, 2 threads |');
console.log('|---|---|---|---|---|---|');
for (const [d, m] of sizes) {
  const rng = makeRng(1);
  const W = Float32Array.from({ length: m * d }, () => rng.normal());
  const x = Float32Array.from({ length: B * d }, () => rng.normal());
  const flops = 2 * B * d * m;
  const wt = tf.tensor2d(W, [m, d]);
  const xt = tf.tensor2d(x, [d, B]); // the tfjs path gets xᵀ (the engine transposes x itself)
  const wasm = best(flops, () => tf.tidy(() => void tf.matMul(wt, xt).dataSync()));
  wt.dispose();
  xt.dispose();
  const y = new Float32Array(m * B);
  const native = ort.map((g) => (g ? best(flops, () => g.run(W, x, y, m, B, d)) : NaN));
  const torch = [1, 2].map((t) => torchPeak(d, m, t));
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');
  console.log(`| ${m}×${d} · (${B}×${d})ᵀ | ${f(wasm)} | ${f(native[0]!)} | ${f(native[1]!)} | ${f(torch[0]!)} | ${f(torch[1]!)} |`);
}
console.log(`\nGFLOP/s, best of ${reps} after a warm-up; load average at the end ${loadavg().map((v) => v.toFixed(2)).join(' ')}.`);
