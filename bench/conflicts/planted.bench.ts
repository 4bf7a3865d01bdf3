// Conflict detection on synthetic runs with planted conflicts (agents/synthetic), against
// baselines. Per generator seed: record a run, train the paired dictionary on the first
// `--train` episodes only, fit every detector on those same reference episodes, and score
// the remaining (held-out) episodes. Metrics with 95% bootstrap intervals over held-out
// episodes (seeded), pooled over seeds, plus paired AUROC differences against the main
// detector. Writes artifacts/conflicts/planted-<tag>.json and prints a Markdown table.
//   npx tsx bench/conflicts/planted.bench.ts [--seeds 1,2,3] [--episodes 100] [--train 60]
//     [--steps 200] [--dims 64] [--latents 32] [--k 2] [--train-steps 1500] [--horizon 15]
//     [--far 0.001] [--lambda 0.35] [--lag 10] [--resamples 1000] [--tag default] [--variants 0,5,6]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordSynthetic } from '../../agents/index.js';
import { openRun, readTruthJson } from '../../data/index.js';
import { trainDictionary } from '../../sae/index.js';
import {
  aurocDifference,
  behaviourOnly,
  ccaViews,
  coderFromModel,
  dictionaryViews,
  episodeOutcome,
  evaluateOutcomes,
  fitDetector,
  loadEpisodes,
  resolveEventSpec,
  scoreEpisodes,
  selectEpisodes,
  stat,
  type DetectorConfig,
  type EpisodeOutcome,
  type Evaluation,
  type ViewSource,
} from '../../conflicts/index.js';
import { bootstrapGroups } from '../../util/bootstrap.js';
import { copyEpisodes } from './runSubset.js';

/** AUROC per generator seed, averaged: each seed has its own detector, so scores are not on one scale across seeds. */
function seedAuroc(o: readonly EpisodeOutcome[]): number {
  const bySeed = new Map<number, EpisodeOutcome[]>();
  for (const e of o) {
    const s = Math.floor(e.episode / 1e6);
    bySeed.set(s, [...(bySeed.get(s) ?? []), e]);
  }
  const a = [...bySeed.values()].map((g) => stat.auroc(g)).filter(Number.isFinite);
  return a.length ? a.reduce((x, y) => x + y, 0) / a.length : NaN;
}

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1]!);
const num = (k: string, d: number) => Number(args.get(k) ?? d);
const seeds = (args.get('seeds') ?? '1,2,3').split(',').map(Number);
const E = num('episodes', 100);
const TRAIN = num('train', 60);
const T = num('steps', 200);
const D = num('dims', 64);
const M = num('latents', 32);
const K = num('k', 2);
const TRAIN_STEPS = num('train-steps', 1500);
const H = num('horizon', 15);
const FAR = num('far', 0.001);
const LAMBDA = num('lambda', 0.35);
const LAG = num('lag', 10);
const RESAMPLES = num('resamples', 1000);
const tag = args.get('tag') ?? 'default';
const root = join(process.cwd(), 'artifacts', 'conflicts');
mkdirSync(root, { recursive: true });

interface Variant {
  name: string;
  views: (coder: ReturnType<typeof coderFromModel>) => ViewSource;
  mode: DetectorConfig['mode'];
  statistic?: DetectorConfig['statistic'];
  levelBins?: number;
}
// The main detector and its view defaults (sae/conflicts DICTIONARY_VIEW_DEFAULTS) were chosen
// on development seeds 101–102 (bench/conflicts/develop.bench.ts), never on these seeds.
const LAST: Pick<DetectorConfig, 'statistic' | 'levelBins'> = { statistic: 'mewma', levelBins: 1 };
const VARIANTS: Variant[] = [
  { name: 'dictionary (shared views), combined', views: (c) => dictionaryViews(c, 'shared'), mode: 'combined' },
  {
    name: 'ablation: last version (all split-shared latents, ridge 1e-2, no consensus; MEWMA, one spread per latent), combined',
    views: (c) => dictionaryViews(c, 'shared', { ridge: 1e-2, consensus: 0, minReliability: 0 }),
    mode: 'combined',
    ...LAST,
  },
  { name: 'baseline: dictionary without the split (all live latents), combined', views: (c) => dictionaryViews(c, 'all'), mode: 'combined' },
  { name: 'baseline: raw states, canonical correlation (MEWMA, one spread per latent), combined', views: () => ccaViews(8), mode: 'combined', ...LAST },
  { name: 'baseline: raw states, canonical correlation (same score as main), combined', views: () => ccaViews(8), mode: 'combined' },
  { name: 'baseline: behaviour history alone', views: () => behaviourOnly, mode: 'combined' },
];
const only = args.get('variants')?.split(',').map(Number);
if (only) VARIANTS.splice(0, VARIANTS.length, ...VARIANTS.filter((_, i) => only.includes(i)));

const outcomes = new Map<string, EpisodeOutcome[]>(VARIANTS.map((v) => [v.name, []]));
const perSeed: Record<string, unknown>[] = [];
const plantedAll: { seed: number; episode: number; lag: number; onsetStep: number; divergenceStep: number }[] = [];
const log = (s: string) => process.stderr.write(s + '\n');
const t0 = Date.now();

for (const seed of seeds) {
  const dir = join(root, `run-${tag}-s${seed}`);
  rmSync(dir, { recursive: true, force: true });
  rmSync(dir + '-train', { recursive: true, force: true });
  await recordSynthetic(dir, { episodes: E, steps: T, hiddenSize: D, seed, conflicts: { fraction: 0.5, lag: LAG } });
  copyEpisodes(dir, dir + '-train', (e) => e < TRAIN);
  const truth = readTruthJson<{ conflicts: { episode: number; lag: number; onsetStep: number; divergenceStep: number }[] }>(dir, 'conflicts.json');
  const planted = truth.conflicts.filter((c) => c.episode >= TRAIN);
  plantedAll.push(...planted.map((c) => ({ seed, ...c })));
  log(`seed ${seed}: recorded ${E}×${T} steps, ${truth.conflicts.length} planted conflicts (${planted.length} held out) [${((Date.now() - t0) / 1000).toFixed(0)} s]`);
  const tr = await trainDictionary({
    runs: [dir + '-train'],
    out: join(root, `ckpt-${tag}-s${seed}`),
    config: { latents: M, k: K, steps: TRAIN_STEPS, seed, batchSize: 512, lr: 3e-3, deadAfter: 20_000 },
  });
  const split = tr.analysis!.split;
  const coder = coderFromModel(tr.model, split);
  log(`seed ${seed}: dictionary ${tr.backend.name}/${tr.engine}, ${tr.steps} steps, classes ${JSON.stringify(split.counts)} [${((Date.now() - t0) / 1000).toFixed(0)} s]`);
  const all = loadEpisodes(openRun(dir));
  const ref = selectEpisodes(all, (e) => e.episode < TRAIN);
  const held = selectEpisodes(all, (e) => e.episode >= TRAIN);
  const events = resolveEventSpec(all.agents, all.columnSpecs);
  const seedRow: Record<string, unknown> = { seed, classes: split.counts, planted: planted.length };
  for (const v of VARIANTS) {
    const det = fitDetector(ref, { events, views: v.views(coder), config: { horizon: H, far: FAR, lambda: LAMBDA, mode: v.mode, seed, ...(v.statistic ? { statistic: v.statistic } : {}), ...(v.levelBins ? { levelBins: v.levelBins } : {}) } });
    const { episodes } = scoreEpisodes(det, held);
    const o = episodes.map((e) => episodeOutcome(e, H));
    // Episode ids are made unique across seeds for pooling.
    outcomes.get(v.name)!.push(...o.map((x) => ({ ...x, episode: seed * 1e6 + x.episode })));
    const ev = evaluateOutcomes(o, H, { resamples: 200, seed });
    seedRow[v.name] = {
      auroc: ev.auroc,
      detectionRate: ev.detectionRate,
      medianLead: ev.medianLead,
      falseAlarmsPer1000: ev.falseAlarmsPer1000,
      threshold: det.calibration.threshold,
      calibration: det.calibration,
      views: det.channels[0] && 'viewModel' in det.channels[0] ? (det.channels[0] as unknown as { viewModel: { latents: unknown[]; quality?: unknown } }).viewModel.quality : null,
      nViews: det.channels[0] && 'K' in det.channels[0] ? (det.channels[0] as unknown as { K: number }).K : null,
      viewLatents: det.channels[0] && 'viewModel' in det.channels[0] ? (det.channels[0] as unknown as { viewModel: { latents: { id: number }[] } }).viewModel.latents.map((l) => l.id) : null,
      precursors: det.precursors,
      notes: det.provenance.notes,
    };
    log(`  ${v.name}: AUROC ${ev.auroc.toFixed(3)}, flagged before ${ev.flaggedBefore}/${ev.conflicts}, median lead ${ev.medianLead}, FA/1000 ${ev.falseAlarmsPer1000.toFixed(2)}`);
  }
  perSeed.push(seedRow);
}

const main = VARIANTS[0]!.name;
const pooled: Record<string, Evaluation & Record<string, unknown>> = {};
for (const v of VARIANTS) {
  const o = outcomes.get(v.name)!;
  const ev = evaluateOutcomes(o, H, { resamples: RESAMPLES, seed: 0 });
  // AUROC: mean over seeds of the per-seed AUROC, bootstrapped over episodes (same resamples for the paired difference).
  const m = outcomes.get(main)!;
  const idx = o.map((_, i) => i);
  const bo = { resamples: RESAMPLES, seed: 0 };
  const auroc = seedAuroc(o);
  pooled[v.name] = {
    ...ev,
    auroc,
    pooledAurocAcrossSeeds: ev.auroc,
    ci: { ...ev.ci, auroc: bootstrapGroups(o, seedAuroc, bo) },
    ...(v.name !== main
      ? {
          aurocMainMinusThis: bootstrapGroups(idx, (s) => seedAuroc(s.map((i) => m[i]!)) - seedAuroc(s.map((i) => o[i]!)), bo),
          pooledAurocDifference: aurocDifference(m, o, bo),
        }
      : {}),
  };
}
const lags = plantedAll.map((c) => c.lag).sort((a, b) => a - b);
const medianLag = lags[Math.floor(lags.length / 2)]!;
const result = {
  command: `npx tsx bench/conflicts/planted.bench.ts ${process.argv.slice(2).join(' ')}`.trim(),
  params: { seeds, episodes: E, train: TRAIN, steps: T, dims: D, latents: M, k: K, trainSteps: TRAIN_STEPS, horizon: H, far: FAR, lambda: LAMBDA, lag: LAG, resamples: RESAMPLES },
  planted: { heldOut: plantedAll.length, medianLag },
  pooled,
  perSeed,
  seconds: (Date.now() - t0) / 1000,
};
writeFileSync(join(root, `planted-${tag}.json`), JSON.stringify(result, null, 1));
const ci = (i: { estimate: number; lo: number; hi: number }, d = 3) => `${i.estimate.toFixed(d)} [${i.lo.toFixed(d)}, ${i.hi.toFixed(d)}]`;
const lines = [
  `| detector | AUROC (conflict within H) | flagged before divergence | median lead (steps) | lead p10–p90 | false alarms / 1000 steps | AUROC main − this |`,
  `|---|---|---|---|---|---|---|`,
];
for (const v of VARIANTS) {
  const e = pooled[v.name]! as Evaluation & { aurocMainMinusThis?: { estimate: number; lo: number; hi: number } };
  lines.push(
    `| ${v.name} | ${ci(e.ci.auroc)} | ${e.flaggedBefore}/${e.conflicts} = ${ci(e.ci.detectionRate, 2)} | ${ci(e.ci.medianLead, 1)} | ${e.leadQuantiles.p10}–${e.leadQuantiles.p90} | ${ci(e.ci.falseAlarmsPer1000, 2)} | ${e.aurocMainMinusThis ? ci(e.aurocMainMinusThis) : '—'} |`,
  );
}
process.stdout.write(lines.join('\n') + `\n\nheld-out planted conflicts: ${plantedAll.length}, median planted lag ${medianLag}; ${result.seconds.toFixed(0)} s\n`);
