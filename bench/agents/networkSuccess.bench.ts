// Networks (issue 19): success rate per task × graph family × size for the scripted baselines,
// the learned GRU policies for consensus, vertex cover and leader election (each trained once from --policy-seed
// on 4–8 node graphs, tested on every size) and the credulous agents (credulousAgent.ts at their defaults, agent
// seed = the instance's seed), and the spread of injected faults; then an ablation of the
// credulous agents at --ablation-sizes (each mechanism alone, all but one, all), pooled over
// the three families, on --ablation-seeds per family. One graph per (family, size,
// seed) and one task instance on it (recordNetwork's episodeInstance: the inputs a recorded
// run's episode 0 gets; binary inputs of a random bias for consensus). Intervals: 95 %
// percentile bootstrap over seeds. Faults: at a random node and round in the first half
// (seeded), wrong-belief and liar, with and without verification; depth = largest hop
// distance of a node whose belief differs from the clean run, reach = share of the other
// nodes ever affected, speed = depth / rounds from the fault to the last new depth.
// Writes artifacts/agents/network-success.json and prints Markdown tables.
//   npx tsx bench/agents/networkSuccess.bench.ts [--seeds 1,…,10] [--sizes 4,8,16,100] [--big-seeds 1,…,5] [--policy-seed 1]
//     [--ablation-sizes 16,100] [--ablation-seeds 1,…,10]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CREDULOUS_DEFAULTS,
  CREDULOUS_MECHANISMS,
  GRAPH_FAMILIES,
  TASKS,
  credulousOnly,
  credulousProtocol,
  scriptedProtocol,
  type CredulousMechanism,
  bfsDistances,
  episodeInstance,
  generateGraph,
  makeNetworkAgent,
  measurePropagation,
  runNetwork,
  type FaultKind,
  type Protocol,
  type TaskName,
} from '../../agents/network/index.js';
import { bootstrapGroups, type Interval } from '../../util/bootstrap.js';
import { makeRng } from '../../util/random.js';
import { benchArgs, seedList } from './benchArgs.js';

const args = benchArgs();
const seeds = seedList(args.seeds, '1,2,3,4,5,6,7,8,9,10');
const bigSeeds = seedList(args['big-seeds'], '1,2,3,4,5');
const sizes = seedList(args.sizes, '4,8,16,100');
const policySeed = Number(args['policy-seed'] ?? 1);
const out = args.out ?? 'artifacts/agents';
const ablationSizes = seedList(args['ablation-sizes'], '16,100');
const ablationSeeds = seedList(args['ablation-seeds'], '1,2,3,4,5,6,7,8,9,10');

const t0 = performance.now();
const gru = makeNetworkAgent('gru', 'consensus', { seed: policySeed });
const trainSeconds = (performance.now() - t0) / 1000;
const t1 = performance.now();
const gruCover = makeNetworkAgent('gru', 'vertex-cover', { seed: policySeed });
const coverTrainSeconds = (performance.now() - t1) / 1000;
const t2 = performance.now();
const gruLeader = makeNetworkAgent('gru', 'leader-election', { seed: policySeed });
const leaderTrainSeconds = (performance.now() - t2) / 1000;
const agents: { name: string; task: TaskName; protocol: (seed: number) => Protocol<unknown> }[] = [
  ...TASKS.map((task) => {
    const p = makeNetworkAgent('scripted', task).protocol;
    return { name: 'scripted', task, protocol: () => p };
  }),
  { name: 'gru', task: 'consensus', protocol: () => gru.protocol },
  { name: 'gru', task: 'vertex-cover', protocol: () => gruCover.protocol },
  { name: 'gru', task: 'leader-election', protocol: () => gruLeader.protocol },
  ...TASKS.map((task) => ({ name: 'credulous', task, protocol: (seed: number) => makeNetworkAgent('credulous', task, { seed }).protocol })),
];
const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);
const ci = (xs: number[]): Interval => bootstrapGroups(xs, mean, { seed: 0, resamples: 1000 });

interface Row {
  agent: string;
  task: string;
  family: string;
  n: number;
  seeds: number;
  success: Interval;
  faults: Record<string, { success: Interval; reach: Interval; depth: Interval; speed: Interval; actedWithin: Interval; contained: number }>;
}

const rows: Row[] = [];
for (const a of agents) {
  for (const family of GRAPH_FAMILIES) {
    for (const n of sizes) {
      const ss = n >= 100 ? bigSeeds : seeds;
      const ok: number[] = [];
      const per: Record<string, { success: number[]; reach: number[]; depth: number[]; speed: number[]; acted: number[]; contained: number }> = {};
      for (const seed of ss) {
        const g = generateGraph(family, n, seed);
        const inst = episodeInstance(a.task, g, seed, 0);
        const protocol = a.protocol(seed);
        ok.push(runNetwork(inst, protocol).check.ok ? 1 : 0);
        const rng = makeRng(seed * 7919 + n);
        const node = rng.int(n);
        const round = rng.int(Math.floor((inst.rounds - 1) / 2) + 1);
        for (const kind of ['wrong-belief', 'liar'] as FaultKind[]) {
          for (const verify of [false, true]) {
            const key = `${kind}${verify ? '+verify' : ''}`;
            const p = measurePropagation(inst, protocol, { kind, node, round }, verify);
            const dist = bfsDistances(g, node);
            let depth = 0;
            let lastNew = round;
            const ever = new Set<number>();
            for (let t = 0; t < p.clean.rounds; t++) {
              for (let v = 0; v < n; v++) {
                if (v === node || p.faulty.beliefHistory[t * n + v] === p.clean.beliefHistory[t * n + v]) continue;
                ever.add(v);
                if (dist[v]! > depth) {
                  depth = dist[v]!;
                  lastNew = t + 1;
                }
              }
            }
            const r = (per[key] ??= { success: [], reach: [], depth: [], speed: [], acted: [], contained: 0 });
            r.success.push(p.success ? 1 : 0);
            r.reach.push(ever.size / (n - 1));
            r.depth.push(depth);
            if (depth > 0) r.speed.push(depth / Math.max(1, lastNew - round));
            if (p.firstAffectedRound >= 0) r.acted.push(p.firstAffectedRound + 1 - round);
            if (ever.size === 0) r.contained++;
          }
        }
      }
      rows.push({
        agent: a.name,
        task: a.task,
        family,
        n,
        seeds: ss.length,
        success: ci(ok),
        faults: Object.fromEntries(Object.entries(per).map(([k, r]) => [k, { success: ci(r.success), reach: ci(r.reach), depth: ci(r.depth), speed: ci(r.speed), actedWithin: ci(r.acted), contained: r.contained }])),
      });
    }
  }
}
// Ablation of the credulous agents: which mechanism drives failure at size.
// Then each mechanism alone at half and twice its default (budget rounded), to show how much a
// reading depends on the a-priori defaults.
const scaled = (m: CredulousMechanism, k: number) => {
  const v = CREDULOUS_DEFAULTS[m] * k;
  return m === 'budget' ? Math.round(v) : Math.min(1, v);
};
const configs: { name: string; on: readonly CredulousMechanism[]; params?: Partial<Record<CredulousMechanism, number>> }[] = [
  { name: 'none (scripted)', on: [] },
  ...CREDULOUS_MECHANISMS.map((m) => ({ name: `${m} alone`, on: [m] })),
  ...CREDULOUS_MECHANISMS.map((m) => ({ name: `all but ${m}`, on: CREDULOUS_MECHANISMS.filter((x) => x !== m) })),
  { name: 'all (default)', on: CREDULOUS_MECHANISMS },
  ...CREDULOUS_MECHANISMS.flatMap((m) => [0.5, 2].map((k) => ({ name: `${m} alone = ${scaled(m, k)}`, on: [m], params: { [m]: scaled(m, k) } }))),
];
interface AblationRow {
  config: string;
  task: string;
  n: number;
  instances: number;
  success: Interval;
}
const ablation: AblationRow[] = [];
for (const c of configs) {
  for (const task of TASKS) {
    for (const n of ablationSizes) {
      const ok: number[] = [];
      for (const family of GRAPH_FAMILIES) {
        for (const seed of ablationSeeds) {
          const inst = episodeInstance(task, generateGraph(family, n, seed), seed, 0);
          const protocol = c.on.length ? credulousProtocol(task, credulousOnly(c.on, { ...c.params, seed })) : scriptedProtocol(task);
          ok.push(runNetwork(inst, protocol).check.ok ? 1 : 0);
        }
      }
      ablation.push({ config: c.name, task, n, instances: ok.length, success: ci(ok) });
    }
  }
}
mkdirSync(out, { recursive: true });
const file = join(out, 'network-success.json');
writeFileSync(
  file,
  JSON.stringify({ seeds, bigSeeds, sizes, policySeed, policyTrainSeconds: trainSeconds, policy: gru.params, coverPolicyTrainSeconds: coverTrainSeconds, coverPolicy: gruCover.params, leaderPolicyTrainSeconds: leaderTrainSeconds, leaderPolicy: gruLeader.params, rows, ablationSizes, ablationSeeds, ablation }, null, 1),
);
const f = (x: Interval, d = 2) => (Number.isNaN(x.estimate) ? '–' : `${x.estimate.toFixed(d)} [${x.lo.toFixed(d)}, ${x.hi.toFixed(d)}]`);
console.log(`policy trained in ${trainSeconds.toFixed(1)} s; ${file}\n`);
console.log('| agent | task | family | ' + sizes.map((n) => `n=${n}`).join(' | ') + ' |');
console.log('|---|---|---|' + sizes.map(() => '---').join('|') + '|');
for (const a of agents) {
  for (const family of GRAPH_FAMILIES) {
    const rs = sizes.map((n) => rows.find((r) => r.agent === a.name && r.task === a.task && r.family === family && r.n === n)!);
    console.log(`| ${a.name} | ${a.task} | ${family} | ${rs.map((r) => f(r.success)).join(' | ')} |`);
  }
}
console.log('\nFaults (pooled over families): reach = share of other nodes ever affected; depth in hops; speed in hops per round; success under the fault\n');
console.log('| agent | task | fault | n | success | reach | depth | speed | contained |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const a of agents) {
  for (const key of ['wrong-belief', 'wrong-belief+verify', 'liar', 'liar+verify']) {
    for (const n of sizes) {
      const rs = rows.filter((r) => r.agent === a.name && r.task === a.task && r.n === n);
      const pool = (k: 'success' | 'reach' | 'depth' | 'speed') => rs.map((r) => r.faults[key]![k]);
      const avg = (xs: Interval[]) => mean(xs.map((x) => x.estimate).filter((x) => !Number.isNaN(x)));
      const cont = rs.reduce((s, r) => s + r.faults[key]!.contained, 0);
      const tot = rs.reduce((s, r) => s + r.seeds, 0);
      console.log(`| ${a.name} | ${a.task} | ${key} | ${n} | ${avg(pool('success')).toFixed(2)} | ${avg(pool('reach')).toFixed(2)} | ${avg(pool('depth')).toFixed(1)} | ${avg(pool('speed')).toFixed(2)} | ${cont}/${tot} |`);
    }
  }
}
console.log(`\nCredulous agents, ablation: success pooled over ${GRAPH_FAMILIES.length} families × ${ablationSeeds.length} seeds\n`);
console.log('| mechanisms on | ' + TASKS.flatMap((t) => ablationSizes.map((n) => `${t} n=${n}`)).join(' | ') + ' |');
console.log('|---|' + TASKS.flatMap(() => ablationSizes.map(() => '---')).join('|') + '|');
for (const c of configs) {
  const cells = TASKS.flatMap((t) => ablationSizes.map((n) => f(ablation.find((r) => r.config === c.name && r.task === t && r.n === n)!.success)));
  console.log(`| ${c.name} | ${cells.join(' | ')} |`);
}
