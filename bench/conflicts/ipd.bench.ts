// Conflict detection on the built-in IPD agents (the shipped stage-3 GRU pair playing each
// other): behavioural conflicts are the run's own events (defect_after_coop: a defection
// after ≥ 5 rounds of mutual cooperation; exploited). The paired dictionary is trained on
// the first `--train` episodes, detectors are fitted on them and score the rest; compared
// with the behaviour-history baseline and raw-state canonical correlation.
//   npx tsx bench/conflicts/ipd.bench.ts [--episodes 256] [--rounds 100] [--train 160]
//     [--horizon 10] [--far 0.001] [--latents 32] [--k 4] [--train-steps 1500] [--seed 1]
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRun } from '../../data/index.js';
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
  type DetectorConfig,
  type EpisodeOutcome,
  type ViewSource,
} from '../../conflicts/index.js';
import { copyEpisodes } from './runSubset.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1]!);
const num = (k: string, d: number) => Number(args.get(k) ?? d);
const E = num('episodes', 256);
const R = num('rounds', 100);
const TRAIN = num('train', 160);
const H = num('horizon', 10);
const FAR = num('far', 0.001);
const M = num('latents', 32);
const K = num('k', 4);
const STEPS = num('train-steps', 1500);
const SEED = num('seed', 1);
const root = join(process.cwd(), 'artifacts', 'conflicts', 'ipd');
mkdirSync(root, { recursive: true });
const dir = join(root, `run-s${SEED}`);
rmSync(dir, { recursive: true, force: true });
rmSync(dir + '-train', { recursive: true, force: true });
const t0 = Date.now();
execFileSync(process.execPath, ['--import', 'tsx', join(process.cwd(), 'cli', 'main.ts'), '-q', 'record', 'ipd', '--agents', 'gru-stage3-a', 'gru-stage3-b', '-n', String(E), '--rounds', String(R), '--out', dir, '--seed', String(SEED)], { stdio: 'inherit' });
copyEpisodes(dir, dir + '-train', (e) => e < TRAIN);
const tr = await trainDictionary({ runs: [dir + '-train'], out: join(root, `ckpt-s${SEED}`), config: { latents: M, k: K, steps: STEPS, batchSize: 512, lr: 3e-3, seed: SEED, deadAfter: 20_000 } });
const split = tr.analysis!.split;
const coder = coderFromModel(tr.model, split);
const all = loadEpisodes(openRun(dir));
const ref = selectEpisodes(all, (e) => e.episode < TRAIN);
const held = selectEpisodes(all, (e) => e.episode >= TRAIN);
const events = resolveEventSpec(all.agents, all.columnSpecs);
const variants: [string, ViewSource, DetectorConfig['mode']][] = [
  ['dictionary (shared views), combined', dictionaryViews(coder, 'shared'), 'combined'],
  ['dictionary (shared views), disagreement only', dictionaryViews(coder, 'shared'), 'disagreement'],
  ['baseline: raw states, canonical correlation, combined', ccaViews(8), 'combined'],
  ['baseline: behaviour history alone', behaviourOnly, 'combined'],
];
const outcomes = new Map<string, EpisodeOutcome[]>();
const fitted: Record<string, unknown> = {};
for (const [name, views, mode] of variants) {
  const det = fitDetector(ref, { events, views, config: { horizon: H, far: FAR, lambda: 0.35, mode, seed: SEED } });
  const { episodes } = scoreEpisodes(det, held);
  outcomes.set(name, episodes.map((e) => episodeOutcome(e, H)));
  fitted[name] = { threshold: det.calibration.threshold, calibration: det.calibration, notes: det.provenance.notes, precursors: det.precursors };
}
const main = variants[0]![0];
const pooled = Object.fromEntries(
  variants.map(([name]) => [
    name,
    { ...evaluateOutcomes(outcomes.get(name)!, H, { resamples: 1000 }), ...(name !== main ? { aurocMainMinusThis: aurocDifference(outcomes.get(main)!, outcomes.get(name)!, { resamples: 1000 }) } : {}) },
  ]),
);
const result = {
  command: `npx tsx bench/conflicts/ipd.bench.ts ${process.argv.slice(2).join(' ')}`.trim(),
  params: { episodes: E, rounds: R, train: TRAIN, horizon: H, far: FAR, latents: M, k: K, trainSteps: STEPS, seed: SEED },
  events: { definition: events, train: ref.episodes.length, heldOut: held.episodes.length },
  classes: split.counts,
  pooled,
  fitted,
  seconds: (Date.now() - t0) / 1000,
};
writeFileSync(join(root, `ipd-s${SEED}.json`), JSON.stringify(result, null, 1));
const ci = (i: { estimate: number; lo: number; hi: number }, d = 3) => `${i.estimate.toFixed(d)} [${i.lo.toFixed(d)}, ${i.hi.toFixed(d)}]`;
console.log('| detector | AUROC (conflict within H) | flagged before the event | median lead | false alarms / 1000 steps | AUROC main − this |');
console.log('|---|---|---|---|---|---|');
for (const [name] of variants) {
  const e = pooled[name]! as ReturnType<typeof evaluateOutcomes> & { aurocMainMinusThis?: { estimate: number; lo: number; hi: number } };
  console.log(`| ${name} | ${ci(e.ci.auroc)} | ${e.flaggedBefore}/${e.conflicts} = ${ci(e.ci.detectionRate, 2)} | ${Number.isFinite(e.medianLead) ? e.medianLead : '—'} | ${ci(e.ci.falseAlarmsPer1000, 2)} | ${e.aurocMainMinusThis ? ci(e.aurocMainMinusThis) : '—'} |`);
}
console.log(`\nclasses ${JSON.stringify(split.counts)}; ${result.seconds.toFixed(0)} s`);
