// `detect` at its defaults on synthetic runs with planted conflicts (agents/synthetic), with
// truth: per generator seed, record a run, train the paired dictionary on the first half of
// the episodes (--size auto: `train`'s defaults, size and k chosen from the data; --size 2x:
// latents = 2 × the true thought count, k chosen from the data; or explicit --latents/--k), then
// detectRun with no detector options at all — horizon, views and threshold come from the
// reference half — and its two baselines (raw-state CCA, behaviour-only) fitted on the same
// reference episodes and scored on the same held-out episodes. Metrics pooled over seeds
// with 95% bootstrap intervals over held-out episodes:
//  - detection: a flag after the conflict's true onset and before behaviour diverges;
//  - false alarms per 1000 steps (a flag before onset is one);
//  - AUROC for "onset ≤ t < divergence" vs null steps (mean of per-seed AUROCs: each seed
//    has its own detector and score scale);
//  - attribution: detections whose top latent reads a drifting thought / whose named agent
//    drifted;
//  - mean detection over 0–1 false alarms per 1000 steps of the threshold sweep (per seed,
//    averaged), which compares detectors at equal false alarms.
// Writes artifacts/conflicts/defaults-<tag>.json and prints a Markdown table.
//   npx tsx bench/conflicts/defaults.bench.ts [--seeds 1,2,3,4,5] [--episodes 60] [--steps 200]
//     [--dims 32] [--size auto|<n>x] [--latents 64] [--k 4] [--train-steps 600] [--family mixing] [--lag 10] [--resamples 500] [--views read-alike|shared|all] [--tag default]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordSynthetic } from '../../agents/index.js';
import { readRunTruth, trainDictionary, type SaeConfig } from '../../sae/index.js';
import {
  behaviourOnly,
  ccaViews,
  coderFromModel,
  detectRun,
  dictionaryViews,
  evaluateOutcomes,
  stat,
  type EpisodeOutcome,
} from '../../conflicts/index.js';
import { bootstrapGroups, type Interval } from '../../util/bootstrap.js';
import { copyEpisodes } from './runSubset.js';
import { dictionaryViewsArg } from './viewsArg.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1]!);
const num = (k: string, d: number) => Number(args.get(k) ?? d);
const seeds = (args.get('seeds') ?? '1,2,3,4,5').split(',').map(Number);
const E = num('episodes', 60);
const T = num('steps', 200);
const D = num('dims', 32);
const M = num('latents', 64);
const K = num('k', 4);
const SIZE = args.get('size');
const TRAIN_STEPS = num('train-steps', 600);
const RESAMPLES = num('resamples', 500);
const family = args.get('family');
const lag = args.get('lag') === undefined ? undefined : Number(args.get('lag'));
const tag = args.get('tag') ?? 'default';
const root = join(process.cwd(), 'artifacts', 'conflicts');
mkdirSync(root, { recursive: true });
const log = (s: string) => process.stderr.write(s + '\n');
const t0 = Date.now();
const secs = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;

// which dictionary latents the views compare: `detect`'s default unless --views shared|all
const { views: VIEWS, name: DICT } = dictionaryViewsArg(args.get('views'));
const NAMES = [DICT, 'cca-raw', 'behaviour'] as const;
const pooled = new Map<string, EpisodeOutcome[]>(NAMES.map((n) => [n, []]));
const perSeed: Record<string, unknown>[] = [];

for (const seed of seeds) {
  const dir = join(root, `defaults-${tag}-s${seed}`);
  rmSync(dir, { recursive: true, force: true });
  rmSync(dir + '-train', { recursive: true, force: true });
  await recordSynthetic(dir, { episodes: E, steps: T, hiddenSize: D, seed, conflicts: { fraction: 0.5, ...(lag !== undefined ? { lag } : {}) }, ...(family ? { family } : {}) });
  const half = Math.round(E / 2);
  copyEpisodes(dir, dir + '-train', (e) => e < half);
  const config: Partial<SaeConfig> =
    SIZE === 'auto'
      ? { seed }
      : SIZE?.endsWith('x')
        ? { seed, latents: Number(SIZE.slice(0, -1)) * readRunTruth(dir).n }
        : { latents: M, k: K, steps: TRAIN_STEPS, seed, batchSize: 512, lr: 3e-3 };
  const tr = await trainDictionary({ runs: [dir + '-train'], out: join(root, `defaults-${tag}-ckpt-s${seed}`), config });
  const split = tr.analysis!.split;
  log(`seed ${seed}: recorded ${E}×${T}, dictionary ${tr.model.cfg.latents}/${'k' in tr.model.cfg ? tr.model.cfg.k : '–'} ${tr.steps} steps, classes ${JSON.stringify(split.counts)} [${secs()}]`);
  const res = detectRun({
    runDir: dir,
    views: dictionaryViews(coderFromModel(tr.model, split), VIEWS),
    trainFraction: half / E,
    baselines: [ccaViews(8), behaviourOnly],
    resamples: 200,
    seed,
  });
  const all: Record<string, EpisodeOutcome[]> = { [DICT]: res.outcomes, ...res.baselineOutcomes };
  const row: Record<string, unknown> = {
    seed,
    classes: split.counts,
    horizon: res.detector.config.horizon,
    threshold: res.detector.calibration.threshold,
    calibration: res.detector.calibration,
    referenceAuroc: res.detector.provenance.referenceAuroc,
    notes: res.detector.provenance.notes,
  };
  for (const n of NAMES) {
    const o = all[n] ?? [];
    pooled.get(n)!.push(...o.map((x) => ({ ...x, episode: seed * 1e6 + x.episode })));
    const ev = evaluateOutcomes(o, res.detector.config.horizon, { resamples: 100, seed, rearm: res.detector.config.rearm });
    row[n] = {
      auroc: ev.auroc,
      detected: `${ev.flaggedBefore}/${ev.conflicts}`,
      medianLead: ev.medianLead,
      falseAlarmsPer1000: ev.falseAlarmsPer1000,
      curveArea: ev.curveArea,
      attribution: ev.attribution && { latents: ev.attribution.latents?.estimate ?? null, agent: ev.attribution.agent?.estimate ?? null },
    };
    log(
      `  ${n}: detected ${ev.flaggedBefore}/${ev.conflicts}, lead ${ev.medianLead}, FA/1000 ${ev.falseAlarmsPer1000.toFixed(2)}, AUROC ${ev.auroc.toFixed(3)}, sweep ${ev.curveArea?.toFixed(3)}, attribution ${ev.attribution?.latents?.estimate.toFixed(2) ?? '—'} / agent ${ev.attribution?.agent?.estimate.toFixed(2) ?? '—'}`,
    );
  }
  perSeed.push(row);
}

/** Mean over seeds of a per-seed statistic (each seed has its own detector). */
const bySeed = (f: (o: readonly EpisodeOutcome[]) => number) => (o: readonly EpisodeOutcome[]) => {
  const g = new Map<number, EpisodeOutcome[]>();
  for (const e of o) {
    const s = Math.floor(e.episode / 1e6);
    g.set(s, [...(g.get(s) ?? []), e]);
  }
  const v = [...g.values()].map(f).filter(Number.isFinite);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
};
const sweep = (o: readonly EpisodeOutcome[]) => evaluateOutcomes(o, 1, { resamples: 0, rearm: 10 }).curveArea ?? NaN;
const bo = { resamples: RESAMPLES, seed: 0 };
const table: Record<string, Record<string, Interval | string | number>> = {};
for (const n of NAMES) {
  const o = pooled.get(n)!;
  const ev = evaluateOutcomes(o, 1, bo);
  table[n] = {
    detected: `${ev.flaggedBefore}/${ev.conflicts}`,
    detectionRate: ev.ci.detectionRate,
    medianLead: ev.ci.medianLead,
    falseAlarmsPer1000: ev.ci.falseAlarmsPer1000,
    auroc: bootstrapGroups(o, bySeed(stat.auroc), bo),
    sweep: bootstrapGroups(o, bySeed(sweep), { ...bo, resamples: Math.min(RESAMPLES, 100) }),
    attributionLatents: ev.attribution?.latents ?? 'n/a',
    attributionAgent: ev.attribution?.agent ?? 'n/a',
  };
}
const command = `npx tsx bench/conflicts/defaults.bench.ts ${process.argv.slice(2).join(' ')}`.trim();
writeFileSync(join(root, `defaults-${tag}.json`), JSON.stringify({ command, params: { seeds, episodes: E, steps: T, dims: D, size: SIZE ?? 'given', latents: M, k: K, trainSteps: TRAIN_STEPS, family: family ?? 'default', lag: lag ?? 'default' }, table, perSeed, seconds: (Date.now() - t0) / 1000 }, null, 1));
const ci = (i: Interval | string | number, d = 2) => (typeof i === 'object' ? `${Number.isFinite(i.estimate) ? i.estimate.toFixed(d) : 'n/a'} [${i.lo.toFixed(d)}, ${i.hi.toFixed(d)}]` : String(i));
const lines = [
  '| detector | flagged after onset, before divergence | median lead (steps) | false alarms / 1000 | AUROC (onset ≤ t < divergence) | mean detection over 0–1 FA/1000 (sweep) | attribution: thought | attribution: agent |',
  '|---|---|---|---|---|---|---|---|',
];
for (const n of NAMES) {
  const r = table[n]!;
  lines.push(`| ${n} | ${r.detected} = ${ci(r.detectionRate!)} | ${ci(r.medianLead!, 1)} | ${ci(r.falseAlarmsPer1000!)} | ${ci(r.auroc!, 3)} | ${ci(r.sweep!)} | ${ci(r.attributionLatents!)} | ${ci(r.attributionAgent!)} |`);
}
process.stdout.write(lines.join('\n') + `\n\n${command}; ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
