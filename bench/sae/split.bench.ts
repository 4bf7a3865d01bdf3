// The split against ground truth, over generator families × dictionary sizes × seeds, scored on
// held-out episodes (eval-truth's defaults). Prints one JSON line per cell and a Markdown
// table with means and 95% t-intervals over seeds.
//   npx tsx bench/sae/split.bench.ts [--families mixing] [--over 1,2,4,8,auto] [--seeds 1,2,3]
//     [--episodes 64] [--config '{"blockPenalty":0.3}'] [--out artifacts/split]
// `--over n` trains with latents = n × the true thought count and no other flag (k, penalty
// and the rest at their defaults); `auto` trains with no size flag at all.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordSynthetic, type SyntheticConfig } from '../../agents/synthetic/index.js';
import { evaluateOnRun, readRunTruth, releaseModel, trainDictionary, type SaeConfig } from '../../sae/index.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1]!);
const families = (args.get('families') ?? 'mixing').split(',');
const overs = (args.get('over') ?? '1,2,4,8,auto').split(',');
const seeds = (args.get('seeds') ?? '1,2,3').split(',').map(Number);
const episodes = Number(args.get('episodes') ?? 64);
const extra = JSON.parse(args.get('config') ?? '{}') as Partial<SaeConfig>;
const synthExtra = JSON.parse(args.get('synth') ?? '{}') as Partial<SyntheticConfig>;
const outDir = args.get('out');
const agentsN = Number(args.get('agents') ?? 2);

function synthConfig(family: string, seed: number): SyntheticConfig {
  const base: Record<string, unknown> = { episodes, steps: 200, seed, ...synthExtra };
  if (family !== 'mixing') base.family = family;
  if (agentsN === 3) {
    base.agents = ['A', 'B', 'C'];
    base.groups = [
      { name: 'all', agents: ['A', 'B', 'C'], size: 6 },
      { name: 'ab', agents: ['A', 'B'], size: 3 },
      { name: 'pA', agents: ['A'], size: 3 },
      { name: 'pB', agents: ['B'], size: 3 },
      { name: 'pC', agents: ['C'], size: 3 },
    ];
  }
  return base as SyntheticConfig;
}

interface Row {
  family: string;
  over: string;
  seed: number;
  latents: number;
  k: number;
  counts: Record<string, { labelled: number; truth: number }>;
  precision: Record<string, number>;
  precisionWithDrift: Record<string, number | null>;
  recall: Record<string, number>;
  classPrecision: number;
  classRecall: number;
  f1: number;
  mcc: number;
  /** F1 and MCC with every latent scored on its own (each half of a signed pair matched separately). */
  f1PerLatent: number;
  mccPerLatent: number;
  signedPairs: number;
  fvu: number;
  minPrecision: number;
  minPrecisionWithDrift: number;
  minPrecisionByRank: number;
  seedAgreement: number | null;
  seedAgreementAll: number | null;
  seconds: number;
}

const root = mkdtempSync(join(tmpdir(), 'tl-split-'));
const rows: Row[] = [];
try {
  for (const family of families) {
    for (const seed of seeds) {
      const run = join(root, `run-${family}-${seed}`);
      await recordSynthetic(run, synthConfig(family, seed));
      const nTrue = readRunTruth(run).n;
      for (const over of overs) {
        const t0 = performance.now();
        const ck = join(root, `ck-${family}-${seed}-${over}`);
        const count = nTrue;
        const config: Partial<SaeConfig> = { ...extra, seed };
        if (over !== 'auto') config.latents = Number(over) * count;
        const res = await trainDictionary({ runs: [run], out: ck, config });
        const split = res.analysis!.split;
        const rep = evaluateOnRun(res.model, split, run, {});
        releaseModel(res.model);
        const precision: Record<string, number> = {};
        const precisionWithDrift: Record<string, number | null> = {};
        const recall: Record<string, number> = {};
        const byRank: number[] = [];
        for (const [c, e] of Object.entries(rep.classes)) {
          byRank.push(e.labelled === 0 && e.truth > 0 ? 0 : e.precisionByRank);
          precision[c] = e.labelled === 0 && e.truth > 0 ? 0 : e.precision;
          precisionWithDrift[c] = e.labelled === 0 && e.truth > 0 ? 0 : e.precisionWithDrift;
          recall[c] = e.recall;
        }
        const fvus = Object.values(res.analysis!.metrics.fvu);
        const row: Row = {
          family,
          over,
          seed,
          latents: res.model.cfg.latents,
          k: (res.model.cfg as { k?: number }).k ?? NaN,
          counts: rep.countsVsTruth,
          precision,
          precisionWithDrift,
          seedAgreement: split.seedAgreement?.fraction ?? null,
          seedAgreementAll: split.seedAgreement?.allMatched?.fraction ?? null,
          recall,
          classPrecision: rep.classPrecision,
          classRecall: rep.classRecall,
          f1: rep.structure.f1,
          mcc: rep.mcc.pearson,
          f1PerLatent: rep.perLatent?.structureF1 ?? rep.structure.f1,
          mccPerLatent: rep.perLatent?.mcc.pearson ?? rep.mcc.pearson,
          signedPairs: rep.signedPairs,
          fvu: fvus.reduce((s, x) => s + x, 0) / fvus.length,
          minPrecision: Math.min(...Object.values(precision).filter(Number.isFinite)),
          minPrecisionWithDrift: Math.min(...Object.values(precisionWithDrift).filter((x): x is number => x !== null && Number.isFinite(x))),
          minPrecisionByRank: Math.min(...byRank.filter(Number.isFinite)),
          seconds: (performance.now() - t0) / 1000,
        };
        rows.push(row);
        console.log(JSON.stringify(row));
      }
      rmSync(run, { recursive: true, force: true });
    }
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

const T975: Record<number, number> = { 1: 12.71, 2: 4.3, 3: 3.18, 4: 2.78, 5: 2.57, 6: 2.45, 7: 2.36, 8: 2.31, 9: 2.26 };
function meanCi(xs: number[]): string {
  const f = xs.filter(Number.isFinite);
  if (!f.length) return '–';
  const m = f.reduce((s, x) => s + x, 0) / f.length;
  if (f.length < 2) return m.toFixed(2);
  const sd = Math.sqrt(f.reduce((s, x) => s + (x - m) ** 2, 0) / (f.length - 1));
  const h = (T975[f.length - 1] ?? 1.96) * (sd / Math.sqrt(f.length));
  return `${m.toFixed(2)} ± ${h.toFixed(2)}`;
}
const lines: string[] = [];
const classes = [...new Set(rows.flatMap((r) => Object.keys(r.precision)))].sort();
lines.push(`| family | size | latents / k | labelled (${classes.join(' / ')}, rare, dead) vs truth | ${classes.map((c) => `prec ${c}`).join(' | ')} | ${classes.map((c) => `rec ${c}`).join(' | ')} | min prec | min prec (drift counted) | min prec (rank ρ) | F1 | MCC | signed pairs | F1 / MCC per latent (pairs unmerged) | FVU | seed agreement (reproduced / all matches) | cells meeting target (strict / drift counted) |`);
lines.push(`|${'---|'.repeat(14 + 2 * classes.length)}`);
for (const family of families) {
  for (const over of overs) {
    const g = rows.filter((r) => r.family === family && r.over === over);
    if (!g.length) continue;
    const lab = (r: Row) => [...classes.map((c) => r.counts[c]?.labelled ?? 0), r.counts.rare?.labelled ?? 0, r.counts.dead?.labelled ?? 0].join('/');
    const tru = classes.map((c) => g[0]!.counts[c]?.truth ?? 0).join('/');
    const ok = g.filter((r) => r.minPrecision >= 0.9 && r.f1 >= 0.95 && r.mcc >= 0.85).length;
    const okD = g.filter((r) => r.minPrecisionWithDrift >= 0.9 && r.f1 >= 0.95 && r.mcc >= 0.85).length;
    lines.push(
      `| ${family} | ${over === 'auto' ? 'auto' : `${over}×`} | ${[...new Set(g.map((r) => `${r.latents}/${r.k}`))].join(', ')} | ${g.map(lab).join('; ')} vs ${tru} | ${classes.map((c) => meanCi(g.map((r) => r.precision[c]!))).join(' | ')} | ${classes.map((c) => meanCi(g.map((r) => r.recall[c]!))).join(' | ')} | ${meanCi(g.map((r) => r.minPrecision))} | ${meanCi(g.map((r) => r.minPrecisionWithDrift))} | ${meanCi(g.map((r) => r.minPrecisionByRank))} | ${meanCi(g.map((r) => r.f1))} | ${meanCi(g.map((r) => r.mcc))} | ${g.map((r) => r.signedPairs).join(', ')} | ${meanCi(g.map((r) => r.f1PerLatent))} / ${meanCi(g.map((r) => r.mccPerLatent))} | ${meanCi(g.map((r) => r.fvu))} | ${meanCi(g.map((r) => r.seedAgreement ?? NaN))} / ${meanCi(g.map((r) => r.seedAgreementAll ?? NaN))} | ${ok}/${g.length} · ${okD}/${g.length} |`,
    );
  }
}
console.log('\n' + lines.join('\n'));
if (outDir) {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'rows.json'), JSON.stringify(rows, null, 1));
  writeFileSync(join(outDir, 'table.md'), lines.join('\n') + '\n');
}
