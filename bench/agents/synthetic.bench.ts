// Synthetic source speed: steps per second generating paired hidden states in memory
// (generator only) and recording them into the run store with ground truth.
//
//   npx tsx bench/agents/synthetic.bench.ts [--steps 100000] [--dims 256] [--agents 2]
//                                           [--depth 2] [--dir /tmp] [--out artifacts/bench/synthetic.json]
//
// Episodes of 1000 steps; default structure (shared 8, private 4 per agent), noise 0.02.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { recordSynthetic, SyntheticGenerator, type SyntheticConfig } from '../../agents/index.js';

interface Args {
  steps: number;
  dims: number;
  agents: number;
  depth: number;
  dir: string;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { steps: 100_000, dims: 256, agents: 2, depth: 2, dir: tmpdir(), out: 'artifacts/bench/synthetic.json' };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i]!.replace(/^--/, '') as keyof Args;
    const v = argv[i + 1];
    if (!(k in a) || v === undefined) throw new Error(`unknown or incomplete argument ${argv[i]}`);
    (a as unknown as Record<string, unknown>)[k] = k === 'dir' || k === 'out' ? v : Number(v);
  }
  return a;
}

const args = parseArgs(process.argv.slice(2));
const perEpisode = Math.min(1000, args.steps);
const config: SyntheticConfig = {
  agents: Array.from({ length: args.agents }, (_, i) => String.fromCharCode(65 + i)),
  hiddenSize: args.dims,
  episodes: Math.ceil(args.steps / perEpisode),
  steps: perEpisode,
  mixing: { depth: args.depth },
  seed: 1,
};
const steps = (config.episodes ?? 0) * perEpisode;

let t = performance.now();
const gen = new SyntheticGenerator(config);
const buildMs = performance.now() - t;
t = performance.now();
let rows = 0;
for (const c of gen.chunks(1024)) rows += c.rows;
const generateS = (performance.now() - t) / 1000;

const root = mkdtempSync(join(args.dir, 'tl-synthetic-bench-'));
t = performance.now();
const rec = await recordSynthetic(join(root, 'run'), config);
const recordS = (performance.now() - t) / 1000;
const bytes = Object.values(rec.manifest.counts).reduce((s, c) => s + c.bytes, 0);
rmSync(root, { recursive: true, force: true });

const result = {
  command: `npx tsx bench/agents/synthetic.bench.ts ${process.argv.slice(2).join(' ')}`.trim(),
  steps,
  agents: args.agents,
  hiddenSize: args.dims,
  depth: args.depth,
  widths: gen.structure.agents.map((a) => a.width),
  buildNetworksMs: Math.round(buildMs),
  generateSeconds: +generateS.toFixed(2),
  generateStepsPerSecond: Math.round(rows / generateS),
  recordSeconds: +recordS.toFixed(2),
  recordStepsPerSecond: Math.round(steps / recordS),
  recordedMB: +(bytes / 1e6).toFixed(1),
  machine: { cpus: cpus().length, loadavg1: +loadavg()[0]!.toFixed(2) },
};
console.log(JSON.stringify(result, null, 2));
mkdirSync(dirname(args.out), { recursive: true });
writeFileSync(args.out, JSON.stringify(result, null, 2) + '\n');
