// Networks (issue 19): are injected faults flagged at the representational level before a
// neighbour acts on them? Per configuration (task, agents, fault kind, size) and seed: record a
// network run (record network: --episodes episodes on one graph, half with the fault at a
// random node and round), train the dictionary over all nodes (thoughtlens train; --latents,
// --k, --steps as given, every other setting at its default), and run per-edge detection
// (conflicts/detectEdges.ts) with the dictionary's node views and with the raw-state
// baseline, threshold at 1 % false alarms per edge-step on clean calibration episodes; and
// (unless --pairs off) with a neighbour-pair dictionary: the run rewritten as (node, neighbour)
// pairs over every directed edge (conflicts/input/edgePairRun.ts) and `train` on it with every
// setting at its default (the size chosen from the data), one view map shared by all nodes;
// and that dictionary and raw states together (the larger z of the two, one threshold).
// Pooled over seeds: share of the faults a neighbour acted on that were flagged before it did
// (95 % bootstrap over faults), median lead in rounds, faults flagged at all (including those
// no neighbour ever acted on), false alarms per 1000 edge-steps on held-out clean episodes,
// and record / train / detect seconds. Writes artifacts/agents/network-conflicts-<tag>.json.
//   npx tsx bench/agents/networkConflicts.bench.ts [--seeds 1,2,3] [--configs consensus:scripted:wrong-belief:16,…]
//     [--episodes 200] [--latents 256|auto] [--k 8|auto] [--steps 1000] [--pairs on|off] [--node-dictionary on|off] [--tag default]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateGraph, makeNetworkAgent, recordNetwork, type FaultKind, type TaskName } from '../../agents/network/index.js';
import { detectEdges, networkDictionary, pairDictionary, writeEdgePairRun, type EdgeFaultOutcome } from '../../conflicts/index.js';
import { trainDictionary } from '../../sae/index.js';
import { bootstrapGroups } from '../../util/bootstrap.js';
import { median } from '../../util/quantile.js';
import { benchArgs, seedList } from './benchArgs.js';

const args = benchArgs();
const seeds = seedList(args.seeds, '1,2,3');
const configs = (args.configs ?? 'consensus:scripted:wrong-belief:16,consensus:gru:wrong-belief:16,consensus:gru:liar:16,leader-election:scripted:liar:16,colouring:scripted:wrong-belief:16').split(',');
const episodes = Number(args.episodes ?? 200);
// 'auto' leaves the size (or k) to train's defaults: chosen from the data (docs/SPLIT.md).
const latents = args.latents === 'auto' ? undefined : Number(args.latents ?? 256);
const k = args.k === 'auto' ? undefined : Number(args.k ?? 8);
const steps = Number(args.steps ?? 1000);
const pairs = (args.pairs ?? 'on') !== 'off';
// --node-dictionary off skips the crosscoder over all nodes (its training is most of a seed's time).
const nodeDictionary = (args['node-dictionary'] ?? 'on') !== 'off';
const tag = args.tag ?? 'default';
const work = args.work ?? '/tmp/thoughtlens-network-conflicts';
const out = args.out ?? 'artifacts/agents';

interface Pooled {
  outcomes: EdgeFaultOutcome[];
  falseAlarms: number;
  edgeSteps: number;
}

const results: Record<string, unknown>[] = [];
for (const cfg of configs) {
  const [task, agentKind, kind, size] = cfg.split(':') as [TaskName, string, FaultKind, string];
  const n = Number(size);
  const pooled: Record<string, Pooled> = { ...(nodeDictionary ? { dictionary: { outcomes: [], falseAlarms: 0, edgeSteps: 0 } } : {}), ...(pairs ? { pairs: { outcomes: [], falseAlarms: 0, edgeSteps: 0 }, 'pairs+raw': { outcomes: [], falseAlarms: 0, edgeSteps: 0 } } : {}), raw: { outcomes: [], falseAlarms: 0, edgeSteps: 0 } };
  const perSeed: Record<string, unknown>[] = [];
  for (const seed of seeds) {
    const dir = join(work, `${cfg.replace(/:/g, '-')}-s${seed}`);
    rmSync(dir, { recursive: true, force: true });
    const t0 = performance.now();
    const agent = makeNetworkAgent(agentKind, task, { seed });
    const graph = generateGraph('small-world', n, seed);
    const rec = recordNetwork(join(dir, 'run'), {
      graph, graphInfo: { family: 'small-world', n, seed }, task, protocol: agent.protocol, model: agent.model, hiddenDescription: agent.hiddenDescription,
      episodes, seed, fault: { kind, node: 'random', round: 'random', share: 0.5 }, params: agent.params,
    });
    const t1 = performance.now();
    const tr = nodeDictionary ? await trainDictionary({ runs: [rec.dir], out: join(dir, 'ck'), config: { seed, steps, ...(latents !== undefined ? { latents } : {}), ...(k !== undefined ? { k } : {}) } }) : null;
    const t2 = performance.now();
    const d = tr ? detectEdges({ runDir: rec.dir, dictionary: networkDictionary(join(dir, 'ck')), seed }) : null;
    const raw = detectEdges({ runDir: rec.dir, seed });
    const t3 = performance.now();
    let pr: ReturnType<typeof detectEdges> | null = null;
    let prr: ReturnType<typeof detectEdges> | null = null;
    let pairTrain: Awaited<ReturnType<typeof trainDictionary>> | null = null;
    if (pairs) {
      const pairRun = writeEdgePairRun(rec.dir, join(dir, 'pairs'));
      pairTrain = await trainDictionary({ runs: [pairRun.dir], out: join(dir, 'ck-pairs'), config: { seed } });
      const pd = pairDictionary(join(dir, 'ck-pairs'));
      pr = detectEdges({ runDir: rec.dir, pairDictionary: pd, seed });
      prr = detectEdges({ runDir: rec.dir, pairDictionary: pd, withRaw: true, seed });
    }
    const t4 = performance.now();
    for (const [name, r] of [...(d ? [['dictionary', d] as const] : []), ['raw', raw] as const, ...(pr && prr ? [['pairs', pr] as const, ['pairs+raw', prr] as const] : [])] as const) {
      pooled[name]!.outcomes.push(...r.outcomes.map((o) => ({ ...o, episode: seed * 100000 + o.episode })));
      pooled[name]!.falseAlarms += r.summary.falseAlarms;
      pooled[name]!.edgeSteps += r.summary.edgeSteps;
    }
    const cleanSuccess = rec.episodes.filter((e) => !e.faulty);
    perSeed.push({
      seed,
      recordSeconds: (t1 - t0) / 1000,
      trainSeconds: (t2 - t1) / 1000,
      detectSeconds: (t3 - t2) / 1000,
      cleanSuccess: cleanSuccess.filter((e) => e.success).length / Math.max(1, cleanSuccess.length),
      acted: raw.summary.acted,
      dictionary: d ? { ...d.summary, leads: undefined, threshold: d.threshold, unscoredEdges: d.unscoredEdges } : null,
      raw: { ...raw.summary, leads: undefined, threshold: raw.threshold },
      ...(pr && pairTrain
        ? { pairs: { ...pr.summary, leads: undefined, threshold: pr.threshold, seconds: (t4 - t3) / 1000, latents: pairTrain.model.cfg.latents, k: 'k' in pairTrain.model.cfg ? pairTrain.model.cfg.k : null, split: pairTrain.analysis?.split.counts, fvu: pairTrain.analysis?.metrics.fvu ?? null } }
        : {}),
      split: tr?.analysis?.split.counts ?? null,
      fvu: tr?.analysis?.metrics.fvu ? median(Object.values(tr.analysis.metrics.fvu)) : null,
    });
    console.error(`${cfg} seed ${seed}: record ${((t1 - t0) / 1000).toFixed(1)} s, train ${((t2 - t1) / 1000).toFixed(1)} s, detect ${((t3 - t2) / 1000).toFixed(1)} s; dictionary ${d ? `${d.summary.flaggedBeforeAct}/${d.summary.acted}` : 'skipped'} before act, raw ${raw.summary.flaggedBeforeAct}/${raw.summary.acted}${pr && prr ? `, pairs ${pr.summary.flaggedBeforeAct}/${pr.summary.acted}, pairs+raw ${prr.summary.flaggedBeforeAct}/${prr.summary.acted} (pair run, train and detect ${((t4 - t3) / 1000).toFixed(1)} s)` : ''}`);
  }
  const summary = Object.fromEntries(
    Object.entries(pooled).map(([name, p]) => {
      const acted = p.outcomes.filter((o) => o.neighbourActedStep !== null);
      const leads = p.outcomes.filter((o) => o.lead !== null).map((o) => o.lead!);
      const share = (xs: readonly EdgeFaultOutcome[]) => (xs.length ? xs.filter((o) => o.flaggedBeforeAct).length / xs.length : NaN);
      return [name, {
        faults: p.outcomes.length,
        acted: acted.length,
        flaggedBeforeAct: acted.filter((o) => o.flaggedBeforeAct).length,
        shareBeforeAct: acted.length ? bootstrapGroups(acted, share, { seed: 0 }) : null,
        flagged: p.outcomes.filter((o) => o.firstFlagStep !== null).length,
        flaggedNeverActed: p.outcomes.filter((o) => o.neighbourActedStep === null && o.firstFlagStep !== null).length,
        neverActed: p.outcomes.filter((o) => o.neighbourActedStep === null).length,
        medianLead: leads.length ? median(leads) : null,
        falseAlarmsPer1000: p.edgeSteps ? (1000 * p.falseAlarms) / p.edgeSteps : null,
      }];
    }),
  );
  results.push({ config: cfg, task, agent: agentKind, fault: kind, n, seeds, perSeed, summary });
}
mkdirSync(out, { recursive: true });
const file = join(out, `network-conflicts-${tag}.json`);
writeFileSync(file, JSON.stringify({ seeds, episodes, latents, k, steps, results }, null, 1));
console.log(`${file}\n`);
console.log('| task | agents | fault | n | views | before act (of acted) | share [95% CI] | median lead | flagged, never acted | FA/1000 edge-steps | train s |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of results as { task: string; agent: string; fault: string; n: number; perSeed: { trainSeconds: number }[]; summary: Record<string, { acted: number; flaggedBeforeAct: number; shareBeforeAct: { estimate: number; lo: number; hi: number } | null; medianLead: number | null; flaggedNeverActed: number; neverActed: number; falseAlarmsPer1000: number | null }> }[]) {
  const trainS = r.perSeed.reduce((s, x) => s + x.trainSeconds, 0) / r.perSeed.length;
  for (const [name, s] of Object.entries(r.summary)) {
    const sh = s.shareBeforeAct ? `${s.shareBeforeAct.estimate.toFixed(2)} [${s.shareBeforeAct.lo.toFixed(2)}, ${s.shareBeforeAct.hi.toFixed(2)}]` : '–';
    console.log(`| ${r.task} | ${r.agent} | ${r.fault} | ${r.n} | ${name} | ${s.flaggedBeforeAct}/${s.acted} | ${sh} | ${s.medianLead ?? '–'} | ${s.flaggedNeverActed}/${s.neverActed} | ${s.falseAlarmsPer1000?.toFixed(1) ?? '–'} | ${trainS.toFixed(0)} |`);
  }
}
