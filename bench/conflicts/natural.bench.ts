// Natural conflicts in learned agents (issue 15, item 5): two shipped GRU learners watch the
// same switching co-player (record ipd-delayed: tit-for-tat → always-defect at a seeded
// random round by default), B's view `--delay` rounds late, optionally both through private
// noisy channels. Nothing is planted in any hidden state; truth/conflicts.json has per
// episode the step A's input first carries the switched move (onset) and the first step the
// learners' moves differ (divergence). Per seed: record, train the paired dictionary on the
// first half at its defaults (config: { seed } only), then detectRun with no detector
// options — horizon, views and threshold from the reference half — with its raw-state CCA
// and behaviour-only baselines on the same held-out episodes. Pooled over seeds with 95 %
// bootstrap intervals over episodes: detection (a flag after onset, before divergence),
// median lead, false alarms per 1000 steps, AUROC (onset ≤ t < divergence vs null steps;
// mean of per-seed AUROCs), and the distribution of the true lead (divergence − onset) of
// the held-out conflicts: the ceiling any detector's lead has.
// Writes artifacts/conflicts/natural-<tag>.json and prints a Markdown table.
//   npx tsx bench/conflicts/natural.bench.ts [--seeds 1,2,3] [--episodes 200] [--rounds 160]
//     [--agents gru-stage1,gru-stage1] [--from tit-for-tat] [--to always-defect] [--delay 3]
//     [--noise 0] [--resamples 500] [--tag default]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findCheckpoint, recordIpdDelayed } from '../../agents/ipd/index.js';
import { openRun } from '../../data/index.js';
import { trainDictionary } from '../../sae/index.js';
import { behaviourOnly, ccaViews, coderFromModel, detectRun, dictionaryViews, evaluateOutcomes, stat, type EpisodeOutcome } from '../../conflicts/index.js';
import { bootstrapGroups, type Interval } from '../../util/bootstrap.js';
import { quantile } from '../../util/quantile.js';
import { copyEpisodes } from './runSubset.js';
import { dictionaryViewsArg } from './viewsArg.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1]!);
const num = (k: string, d: number) => Number(args.get(k) ?? d);
const seeds = (args.get('seeds') ?? '1,2,3').split(',').map(Number);
const E = num('episodes', 200);
const T = num('rounds', 160);
const [refA, refB] = (args.get('agents') ?? 'gru-stage1,gru-stage1').split(',');
const from = args.get('from') ?? 'tit-for-tat';
const to = args.get('to') ?? 'always-defect';
const DELAY = num('delay', 3);
const NOISE = num('noise', 0);
const RESAMPLES = num('resamples', 500);
const tag = args.get('tag') ?? 'default';
const agentA = findCheckpoint(refA!)!;
const agentB = findCheckpoint(refB ?? refA!)!;
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
const trueLeads: number[] = [];
let beforeOnset = 0;
let neverDiverged = 0;
let unseen = 0;
/** Held-out steps before A saw the switch (or all, where it never did), and those whose inputs to A and B showed different co-player moves. */
let preOnsetSteps = 0;
let preOnsetInputsDiffer = 0;
/** Per detector and seed: best detection rate at ≤ budget false alarms per 1000 on the threshold sweep. */
const BUDGETS = [1, 5, 20] as const;
const atBudget = new Map<string, number[][]>(NAMES.map((n) => [n, BUDGETS.map(() => [])]));

for (const seed of seeds) {
  const dir = join(root, `natural-${tag}-s${seed}`);
  rmSync(dir, { recursive: true, force: true });
  rmSync(dir + '-train', { recursive: true, force: true });
  const rec = recordIpdDelayed(dir, { agentA, agentB, from, to, switchAt: 'random', delay: DELAY, noise: NOISE, episodes: E, episodeLength: T, seed });
  const half = Math.round(E / 2);
  for (const c of rec.conflicts) {
    if (c.episode < half) continue;
    if (c.beforeOnset) beforeOnset++;
    else if (c.divergenceStep >= T) neverDiverged++;
    else trueLeads.push(c.divergenceStep - c.onsetStep);
  }
  unseen += rec.episodes.filter((e) => e.episode >= half && e.onsetStep === null).length;
  const onsetOf = new Map(rec.episodes.map((e) => [e.episode, e.onsetStep ?? T]));
  for (const b of openRun(dir).joined()) {
    const [ca, cb] = [b.columns[0]!, b.columns[1]!];
    for (let i = 0; i < b.length; i++) {
      if (b.episode[i]! < half || b.step[i]! >= onsetOf.get(b.episode[i]!)!) continue;
      preOnsetSteps++;
      if (Number(ca.co_player_seen![i]) !== Number(cb.co_player_seen![i])) preOnsetInputsDiffer++;
    }
  }
  copyEpisodes(dir, dir + '-train', (e) => e < half);
  const tr = await trainDictionary({ runs: [dir + '-train'], out: join(root, `natural-${tag}-ckpt-s${seed}`), config: { seed } });
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
    BUDGETS.forEach((budget, j) => atBudget.get(n)![j]!.push(Math.max(0, ...ev.curve.filter((p) => p.falseAlarmsPer1000 <= budget).map((p) => p.detectionRate))));
    row[n] = { auroc: ev.auroc, detected: `${ev.flaggedBefore}/${ev.conflicts}`, medianLead: ev.medianLead, falseAlarmsPer1000: ev.falseAlarmsPer1000, curveArea: ev.curveArea };
    log(`  ${n}: detected ${ev.flaggedBefore}/${ev.conflicts}, lead ${ev.medianLead}, FA/1000 ${ev.falseAlarmsPer1000.toFixed(2)}, AUROC ${ev.auroc.toFixed(3)}, sweep ${ev.curveArea?.toFixed(3)}`);
  }
  log(`  horizon ${res.detector.config.horizon}, reference AUROC ${JSON.stringify(res.detector.provenance.referenceAuroc)}, notes ${JSON.stringify(res.detector.provenance.notes)}`);
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
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
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
    detectionAtBudget: BUDGETS.map((b, j) => `${b}: ${mean(atBudget.get(n)![j]!).toFixed(2)}`).join(', '),
  };
}
const sorted = [...trueLeads].sort((a, b) => a - b);
const hist: Record<string, number> = {};
for (const l of sorted) hist[l >= 10 ? '≥10' : String(l)] = (hist[l >= 10 ? '≥10' : String(l)] ?? 0) + 1;
const lead = {
  conflicts: sorted.length,
  zero: sorted.filter((l) => l === 0).length,
  p10: quantile(sorted, 0.1),
  p25: quantile(sorted, 0.25),
  median: quantile(sorted, 0.5),
  p75: quantile(sorted, 0.75),
  p90: quantile(sorted, 0.9),
  histogram: hist,
  beforeOnset,
  neverDiverged,
  unseen,
  preOnsetSteps,
  preOnsetInputsDiffer,
};
const command = `npx tsx bench/conflicts/natural.bench.ts ${process.argv.slice(2).join(' ')}`.trim();
const params = { seeds, episodes: E, rounds: T, agents: [agentA.info.name, agentB.info.name], from, to, delay: DELAY, noise: NOISE, switchAt: 'random' };
writeFileSync(join(root, `natural-${tag}.json`), JSON.stringify({ command, params, table, trueLead: lead, perSeed, seconds: (Date.now() - t0) / 1000 }, null, 1));
const ci = (i: Interval | string | number, d = 2) => (typeof i === 'object' ? `${Number.isFinite(i.estimate) ? i.estimate.toFixed(d) : 'n/a'} [${i.lo.toFixed(d)}, ${i.hi.toFixed(d)}]` : String(i));
const lines = [
  '| detector | flagged after onset, before divergence | median lead (steps) | false alarms / 1000 | AUROC (onset ≤ t < divergence) | mean detection over 0–1 FA/1000 (sweep) | best detection at ≤ 1 / 5 / 20 FA per 1000 (sweep, mean over seeds) |',
  '|---|---|---|---|---|---|---|',
];
for (const n of NAMES) {
  const r = table[n]!;
  lines.push(`| ${n} | ${r.detected} = ${ci(r.detectionRate!)} | ${ci(r.medianLead!, 1)} | ${ci(r.falseAlarmsPer1000!)} | ${ci(r.auroc!, 3)} | ${ci(r.sweep!)} | ${String(r.detectionAtBudget)} |`);
}
lines.push(
  '',
  `true lead (divergence − onset) of the ${lead.conflicts} held-out conflicts that diverged after onset: ${lead.zero} at 0 (undetectable), p10 ${lead.p10}, p25 ${lead.p25}, median ${lead.median}, p75 ${lead.p75}, p90 ${lead.p90}; histogram ${JSON.stringify(hist)}; ${beforeOnset} diverged before onset, ${neverDiverged} never diverged, ${unseen} episodes where A never saw the switch; before onset the two learners' inputs showed different co-player moves at ${preOnsetInputsDiffer} of ${preOnsetSteps} held-out steps`,
);
process.stdout.write(lines.join('\n') + `\n\n${command}; ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
