// Sparse against dense engine on the same backend, alternating in one process.
//   npx tsx bench/sae/engines.bench.ts [--size 512:4096] [--steps 4] [--rounds 3] [--backend wasm]
import { initParams, makeEngine, resolveSaeConfig, selectBackend, type BackendName } from '../../sae/index.js';
import { makeRng } from '../../util/random.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1]!);
const [d, m] = (args.get('size') ?? '512:4096').split(':').map(Number) as [number, number];
const steps = Number(args.get('steps') ?? 4);
const rounds = Number(args.get('rounds') ?? 3);
const backend = await selectBackend((args.get('backend') ?? 'wasm') as BackendName);
const B = 1024;
const rng = makeRng(1);
const xs = [0, 1].map(() => Float32Array.from({ length: B * d }, () => rng.normal()));
const rates: Record<string, number[]> = { sparse: [], dense: [] };
for (let r = 0; r < rounds; r++) {
  for (const engine of ['sparse', 'dense'] as const) {
    const cfg = resolveSaeConfig({ agents: [{ id: 'A', dim: d }, { id: 'B', dim: d }], latents: m, k: 32, engine });
    const eng = makeEngine(cfg, initParams(cfg), backend);
    eng.step(xs, B, 1e-3, null);
    const t = performance.now();
    for (let s = 0; s < steps; s++) eng.step(xs, B, 1e-3, null);
    rates[engine]!.push((steps * B) / ((performance.now() - t) / 1000));
    eng.dispose();
  }
}
const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
console.log(`2×${d}→${m} on ${backend.name}: sparse ${med(rates.sparse!).toFixed(0)} pairs/s, dense ${med(rates.dense!).toFixed(0)} pairs/s, ratio ${(med(rates.sparse!) / med(rates.dense!)).toFixed(2)} (medians of ${rounds} alternating rounds of ${steps} steps)`);
