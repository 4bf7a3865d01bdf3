// Play-time settings of a trained planner, with no retraining: each candidate (search depth,
// discount, planning to the episode's end, cooperation margin) plays the same predictor
// weights against a generated split, scored as a fraction of the exact optimum (one
// evaluateOptimum call per candidate with the same seed, so every candidate meets the same
// co-player random streams; the paired difference from the first candidate is bootstrapped
// over strategies), and against the in-context threshold styles of the shipped pool and a
// copy of itself (`agents eval` defaults: 200 episodes, seeds 12345 and 999).
//   npx tsx bench/agents/plannerSettings.bench.ts [--checkpoint gru-planner] [--split validation] [--count 200]
//     [--episodes 10] [--seed 12345] [--candidates 'shipped:;end:toEnd=1;d3:depth=3'] [--no-checks]
//     [--out artifacts/agents/planner-settings]
// A candidate is name:key=value,… over depth, gamma, toEnd (0/1) and coopMargin; the keys it
// leaves out keep the checkpoint's settings.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  evaluatePair,
  evaluateVsStyles,
  findCheckpoint,
  isPlanner,
  Planner,
  type PlannerConfig,
} from '../../agents/ipd/index.js';
import {
  evaluateOptimum,
  FAMILIES,
  populationPool,
  TFT_NAME,
  type Split,
} from '../../agents/population/index.js';
import { loadPool, styleIndex } from '../../agents/pool/index.js';
import { bootstrapGroups } from '../../util/bootstrap.js';
import { benchArgs } from './benchArgs.js';
import { IN_CONTEXT_THRESHOLDS } from './inContextThresholds.js';

const args = benchArgs();
const ref = args.checkpoint ?? 'gru-planner';
const split = (args.split ?? 'validation') as Split;
const count = Number(args.count ?? 200);
const episodes = Number(args.episodes ?? 10);
const seed = Number(args.seed ?? 12345);
const tolerance = Number(args.tolerance ?? 0.01);
const checks = args['no-checks'] === undefined;
const out = resolve(args.out ?? 'artifacts/agents/planner-settings');
const spec =
  args.candidates ??
  'shipped:;end:toEnd=1;d3:depth=3;d3end:depth=3,toEnd=1;g90:gamma=0.9;g98:gamma=0.98';

// in-context thresholds on the shipped pool (bench/agents/summarize.ts, fixed in issue 4)
const THRESHOLDS = IN_CONTEXT_THRESHOLDS;

interface Candidate {
  name: string;
  plan: Partial<PlannerConfig>;
}

function parseCandidates(s: string): Candidate[] {
  return s
    .split(';')
    .filter(Boolean)
    .map((c) => {
      const [name, kv = ''] = c.split(':') as [string, string?];
      const plan: Partial<PlannerConfig> = {};
      for (const pair of kv.split(',').filter(Boolean)) {
        const [k, v] = pair.split('=') as [string, string];
        if (k === 'depth') plan.depth = Number(v);
        else if (k === 'gamma') plan.gamma = Number(v);
        else if (k === 'toEnd') plan.toEnd = v === '1' || v === 'true';
        else if (k === 'coopMargin') plan.coopMargin = Number(v);
        else throw new Error(`unknown planner setting '${k}' in candidate '${name}'`);
      }
      return { name, plan };
    });
}

const ck = findCheckpoint(ref);
if (!ck || !isPlanner(ck.model)) throw new Error(`${ref} is not a planner checkpoint`);
const base = ck.model;
const candidates = parseCandidates(spec);
const styles = populationPool(split, count).styles;
const pool = loadPool(args.pool);
const checkStyles = [...Object.keys(THRESHOLDS), 'always-cooperate'].map((s) =>
  styleIndex(pool, s),
);
const ci = (x: { estimate: number; lo: number; hi: number }, d = 3, k = 1): string =>
  `${(k * x.estimate).toFixed(d)} [${(k * x.lo).toFixed(d)}, ${(k * x.hi).toFixed(d)}]`;

const rows = [];
let first: number[] | null = null;
mkdirSync(out, { recursive: true });
for (const c of candidates) {
  const planner = new Planner(base.predictor, { ...base.plan, ...c.plan });
  const t0 = performance.now();
  const r = evaluateOptimum([{ name: c.name, model: planner }], styles, {
    episodes,
    seed,
    tolerance,
  });
  const seconds = (performance.now() - t0) / 1000;
  const p = r.players.find((x) => x.name === c.name)!;
  const scored = r.results.filter((x) => Number.isFinite(x.fraction[TFT_NAME]));
  const fr = scored.map((x) => x.fraction[c.name]!);
  first ??= fr;
  const base0 = first;
  const delta = bootstrapGroups(
    fr.map((f, i) => f - base0[i]!),
    (xs) => xs.reduce((a, b) => a + b, 0) / xs.length,
    { seed },
  );
  const families = Object.fromEntries(
    FAMILIES.filter((f) => scored.some((x) => x.group === f)).map((f) => {
      const xs = scored.filter((x) => x.group === f).map((x) => x.fraction[c.name]!);
      return [f, xs.reduce((a, b) => a + b, 0) / xs.length];
    }),
  );
  let lateCoop: Record<string, number> = {};
  let alwaysCoopReward = NaN;
  let passed = NaN;
  let self: { lateCoopA: number; lateCoopB: number } | null = null;
  let checkSeconds = 0;
  if (checks) {
    const t1 = performance.now();
    const ev = evaluateVsStyles(planner, pool, {}, checkStyles);
    lateCoop = Object.fromEntries(ev.map((e) => [e.style, e.lateCoop]));
    alwaysCoopReward = ev.find((e) => e.style === 'always-cooperate')!.reward;
    passed = Object.entries(THRESHOLDS).filter(([s, [op, x]]) =>
      op === '>=' ? lateCoop[s]! >= x : lateCoop[s]! <= x,
    ).length;
    const twin = new Planner(base.predictor, { ...base.plan, ...c.plan });
    const pair = evaluatePair(planner, twin, pool.styles.length);
    self = { lateCoopA: pair.lateCoopA, lateCoopB: pair.lateCoopB };
    checkSeconds = (performance.now() - t1) / 1000;
  }
  const row = {
    ...c,
    meanFraction: p.meanFraction,
    median: p.medianFraction,
    atLeastTft: p.atLeastTft,
    payoffPerRound: p.payoffPerRound,
    delta,
    families,
    lateCoop,
    alwaysCoopReward,
    passed,
    self,
    seconds,
    checkSeconds,
  };
  rows.push(row);
  console.error(
    `${c.name} ${JSON.stringify(c.plan)}: mean ${ci(p.meanFraction)}, ≥ TFT ${ci(p.atLeastTft, 1, 100)} %, Δ ${ci(delta)}; ${seconds.toFixed(0)} s` +
      (checks
        ? `; thresholds ${passed}/7, self ${self!.lateCoopA.toFixed(2)}; ${checkSeconds.toFixed(0)} s`
        : ''),
  );
  writeFileSync(
    join(out, `planner-settings-${split}-${count}.json`),
    JSON.stringify({ checkpoint: ck.dir, split, count, episodes, seed, tolerance, rows }, null, 1) +
      '\n',
  );
}

const fams = Object.keys(rows[0]?.families ?? {});
console.log(
  `${count} ${split} strategies, ${episodes} episodes each, seed ${seed}; checkpoint ${ck.info.name} (${JSON.stringify({ depth: base.plan.depth, gamma: base.plan.gamma, useValue: base.plan.useValue })})\n`,
);
console.log(
  `| candidate | settings | mean fraction [95% CI] | Δ vs ${rows[0]?.name} [95% CI] | median | ≥ TFT − ${tolerance} on [95% CI] | ${fams.join(' | ')} | thresholds (of 7) | always-coop reward | vs itself (late coop) | s |`,
);
console.log(`|---|---|---|---|---|---|${fams.map(() => '---|').join('')}---|---|---|---|`);
for (const r of rows) {
  const settings =
    Object.entries(r.plan)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'as shipped';
  console.log(
    `| ${r.name} | ${settings} | ${ci(r.meanFraction)} | ${ci(r.delta)} | ${r.median.toFixed(3)} | ${ci(r.atLeastTft, 1, 100)} % | ${fams.map((f) => r.families[f]!.toFixed(2)).join(' | ')} | ` +
      (checks
        ? `${r.passed} | ${r.alwaysCoopReward.toFixed(2)} | ${r.self!.lateCoopA.toFixed(2)} / ${r.self!.lateCoopB.toFixed(2)}`
        : '— | — | —') +
      ` | ${(r.seconds + r.checkSeconds).toFixed(0)} |`,
  );
}
if (checks) {
  console.log(`\nLate cooperation (last 20 of 100 rounds, 200 episodes per style):\n`);
  const names = Object.keys(rows[0]!.lateCoop);
  console.log(`| candidate | ${names.join(' | ')} |`);
  console.log(`|---|${names.map(() => '---|').join('')}`);
  for (const r of rows)
    console.log(`| ${r.name} | ${names.map((s) => r.lateCoop[s]!.toFixed(2)).join(' | ')} |`);
}
console.error(`wrote ${join(out, `planner-settings-${split}-${count}.json`)}`);
