// Per-phase time of the sparse engine's step (its `phaseMs`), for profiling.
//   npx tsx bench/sae/phases.bench.ts [--size 512:4096] [--steps 5] [--threads 1] [--backend wasm]
import { initParams, makeEngine, resolveSaeConfig, selectBackend, type BackendName } from '../../sae/index.js';
import { makeRng } from '../../util/random.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1]!);
const [d, m] = (args.get('size') ?? '512:4096').split(':').map(Number) as [number, number];
const steps = Number(args.get('steps') ?? 5);
const threads = Number(args.get('threads') ?? 1);
const backend = await selectBackend((args.get('backend') ?? 'wasm') as BackendName);
const B = 1024;
const rng = makeRng(1);
const xs = [0, 1].map(() => Float32Array.from({ length: B * d }, () => rng.normal()));
const cfg = resolveSaeConfig({ agents: [{ id: 'A', dim: d }, { id: 'B', dim: d }], latents: m, k: 32, engine: 'sparse' });
const eng = makeEngine(cfg, initParams(cfg), backend, { threads }) as unknown as { phaseMs: Record<string, number>; step: (x: Float32Array[], r: number, lr: number, dead: null) => unknown; dispose(): void };
eng.step(xs, B, 1e-3, null);
for (const k of Object.keys(eng.phaseMs)) eng.phaseMs[k] = 0;
const t = performance.now();
for (let s = 0; s < steps; s++) eng.step(xs, B, 1e-3, null);
const ms = (performance.now() - t) / steps;
console.log(`2×${d}→${m}: ${ms.toFixed(1)} ms/step, ${((B * 1000) / ms).toFixed(0)} pairs/s; per step: ${Object.entries(eng.phaseMs).map(([k, v]) => `${k} ${(v / steps).toFixed(1)}`).join(' · ')}`);
eng.dispose();
