// Recovery of a known sharing structure on synthetic runs (agents/synthetic), thoughtlens'
// paired dictionary against the baselines that fail in the literature. Prints a Markdown
// table for docs/RESULTS.md.
//   npx tsx bench/sae/recovery.bench.ts [--dims 64,128,256] [--steps 1500] [--sweep 1] [--seed 1]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordSynthetic } from '../../agents/synthetic/index.js';
import { evaluateOnRun, releaseModel, trainDictionary, type SaeConfig } from '../../sae/index.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1]!);
const dims = (args.get('dims') ?? '64,128,256').split(',').map(Number);
const steps = Number(args.get('steps') ?? 1500);
const seed = Number(args.get('seed') ?? 1);
const sweep = args.get('sweep') !== '0';
const conflicts = Number(args.get('conflicts') ?? 0);
const latents = Number(args.get('latents') ?? 32);
const methods = (args.get('methods') ?? 'batchtopk,l1-group,no-penalty,jacobian-elementwise,plain-sae').split(',');

const METHODS: Record<string, Partial<SaeConfig>> = {
  batchtopk: { mode: 'batchtopk' },
  'l1-group': { mode: 'l1', penalty: 'group', l1Coef: 3e-3 },
  'no-penalty': { mode: 'l1', penalty: 'none' },
  'jacobian-elementwise': { mode: 'jacobian', penalty: 'elementwise', hidden: 32, jacCoef: 1e-3, jacSamples: 8 },
  'jacobian-group': { mode: 'jacobian', penalty: 'group', hidden: 32, jacCoef: 1e-3, jacSamples: 8 },
  'plain-sae': { mode: 'l1', penalty: 'joint', l1Coef: 3e-3 },
};

interface Case {
  d: number;
  sparsity: number;
  noise: number;
}
const cases: Case[] = dims.map((d) => ({ d, sparsity: 0.1, noise: 0.02 }));
if (sweep) cases.push({ d: 64, sparsity: 0.05, noise: 0.02 }, { d: 64, sparsity: 0.2, noise: 0.02 }, { d: 64, sparsity: 0.1, noise: 0.1 });

const root = mkdtempSync(join(tmpdir(), 'tl-recovery-'));
console.log('| d | sparsity | noise | method | structure F1 | MCC Pearson | MCC Spearman | R² diag (sh/pA/pB) | R² max off-diag | FVU A/B |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
try {
  for (const c of cases) {
    const run = join(root, `run-${c.d}-${c.sparsity}-${c.noise}`);
    const heldOut = join(root, `eval-${c.d}-${c.sparsity}-${c.noise}`);
    const synth = (episodes: number) => ({
      agents: [{ id: 'A', hiddenSize: c.d }, { id: 'B', hiddenSize: c.d }],
      shared: 8,
      private: 4,
      episodes,
      steps: 200,
      thoughts: { sparsity: c.sparsity },
      mixing: { depth: 2, noise: c.noise },
      conflicts: { fraction: conflicts },
      seed,
    });
    // Same seed, more episodes: episodes 60..79 are new draws of the same process and mixing.
    await recordSynthetic(run, synth(60));
    await recordSynthetic(heldOut, synth(80));
    for (const name of methods) {
      const ck = join(root, `ck-${c.d}-${name}`);
      const k = Math.max(1, Math.round(16 * c.sparsity * 1.25));
      const res = await trainDictionary({ runs: [run], out: ck, config: { latents, k, steps, batchSize: 512, lr: 3e-3, seed, deadAfter: 20_000, ...METHODS[name] } });
      const rep = evaluateOnRun(res.model, res.analysis!.split, heldOut, { maxRows: 3000, episodes: 'all' });
      releaseModel(res.model);
      const r2 = rep.blockR2.r2;
      const diag = r2.map((row, i) => row[i] ?? NaN);
      let off = -Infinity;
      r2.forEach((row, i) => row.forEach((v, j) => i !== j && (off = Math.max(off, v))));
      const fvu = res.analysis!.metrics.fvu;
      console.log(`| ${c.d} | ${c.sparsity} | ${c.noise} | ${name} | ${rep.structure.f1.toFixed(2)} | ${rep.mcc.pearson.toFixed(2)} | ${rep.mcc.spearman.toFixed(2)} | ${diag.map((v) => v.toFixed(2)).join('/')} | ${off.toFixed(2)} | ${fvu.A!.toFixed(3)}/${fvu.B!.toFixed(3)} |`);
    }
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
console.log(`\n${steps} steps, batch 512, ${latents} latents, planted-conflict fraction ${conflicts}, synthetic runs of 60×200 steps (8 shared + 4 private-A + 4 private-B thoughts, depth-2 leaky-tanh mixing), seed ${seed}; trained on episodes 0–59, scored on held-out episodes 60–79 (same seed, so same mixing; 3000 evenly spaced steps; block R²: kernel ridge fit on the first 2/3 of those steps, scored on the rest).`);
