// Networks (issue 19): the 100-node probe on this machine — wall-clock seconds to record a
// 100-node network run (record network), train the dictionary over its 100 agents
// (thoughtlens train with the given --steps, latents and k; witness and split at their
// defaults), score every edge (conflicts/detectEdges.ts, dictionary and raw views), and render
// the graph view in Chromium (server start → first view ready, which includes the server's
// per-edge scoring; then a scrub to the last round), with the detection result; then the
// neighbour-pair dictionary `train <network-run>` trains by default (pair run written, trained
// with every setting at its default, every edge scored with it). Writes
// artifacts/agents/network100-<tag>.json.
//   npx tsx bench/agents/network100.bench.ts [--agent gru] [--task consensus] [--fault liar] [--nodes 100]
//     [--episodes 200] [--steps 200] [--latents 256] [--k 8] [--seed 1] [--tag default]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateGraph, makeNetworkAgent, recordNetwork, type FaultKind, type TaskName } from '../../agents/network/index.js';
import { detectEdges, networkDictionary, pairDictionary, writeEdgePairRun } from '../../conflicts/index.js';
import { startServer } from '../../server/index.js';
import { trainDictionary } from '../../sae/index.js';
import { buildWeb, haveChromium, launchChromium } from '../../test/helpers/webBrowser.js';
import { benchArgs } from './benchArgs.js';

const a = benchArgs();
const task = (a.task ?? 'consensus') as TaskName;
const agentKind = a.agent ?? 'gru';
const kind = (a.fault ?? 'liar') as FaultKind;
const n = Number(a.nodes ?? 100);
const episodes = Number(a.episodes ?? 200);
const steps = Number(a.steps ?? 200);
const latents = Number(a.latents ?? 256);
const k = Number(a.k ?? 8);
const seed = Number(a.seed ?? 1);
const tag = a.tag ?? 'default';
const work = a.work ?? '/tmp/thoughtlens-network100';
const out = a.out ?? 'artifacts/agents';

rmSync(work, { recursive: true, force: true });
const t0 = performance.now();
const agent = makeNetworkAgent(agentKind, task, { seed });
const t1 = performance.now();
const graph = generateGraph('small-world', n, seed);
const rec = recordNetwork(join(work, 'runs', 'net100'), {
  graph, graphInfo: { family: 'small-world', n, seed }, task, protocol: agent.protocol, model: agent.model, hiddenDescription: agent.hiddenDescription,
  episodes, seed, fault: { kind, node: 'random', round: 'random', share: 0.5 }, params: agent.params,
});
const t2 = performance.now();
const tr = await trainDictionary({ runs: [rec.dir], out: join(work, 'ck'), config: { seed, latents, k, steps } });
const t3 = performance.now();
const d = detectEdges({ runDir: rec.dir, dictionary: networkDictionary(join(work, 'ck')), seed });
const t4 = performance.now();
const raw = detectEdges({ runDir: rec.dir, seed });
const t5 = performance.now();
const pairRun = writeEdgePairRun(rec.dir, join(work, 'runs', 'net100-pairs'));
const t6 = performance.now();
const pairTrain = await trainDictionary({ runs: [pairRun.dir], out: join(work, 'ck-pairs'), config: { seed } });
const t7 = performance.now();
const pr = detectEdges({ runDir: rec.dir, pairDictionary: pairDictionary(join(work, 'ck-pairs')), seed });
const t8 = performance.now();
let render: { firstViewSeconds: number; scrubMs: number } | null = null;
if (haveChromium()) {
  buildWeb(join(import.meta.dirname, '../..'));
  const server = await startServer({ host: '127.0.0.1', port: 0, workspace: work });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
    const r0 = performance.now();
    await page.goto(`${server.url}/#/network/net100`);
    await page.waitForFunction(() => document.body.getAttribute('data-ready') === 'network', undefined, { timeout: 120_000 });
    const r1 = performance.now();
    const last = await page.locator('#network-step').getAttribute('max');
    const scrubMs = await page.evaluate((v) => {
      const input = document.getElementById('network-step') as HTMLInputElement;
      const a = performance.now();
      input.value = v!;
      input.dispatchEvent(new Event('input'));
      return performance.now() - a;
    }, last);
    render = { firstViewSeconds: Math.round((r1 - r0) / 100) / 10, scrubMs: Math.round(scrubMs) };
  } finally {
    await browser.close();
    await server.close();
  }
}
const s = (x: number, y: number) => Math.round((y - x) / 100) / 10;
const result = {
  task, agent: agentKind, fault: kind, nodes: n, edges: graph.edges.length, rounds: rec.episodes[0]!.rounds, episodes, steps, latents, k, seed,
  rows: episodes * (rec.episodes[0]!.rounds + 1),
  seconds: { policy: s(t0, t1), record: s(t1, t2), train: s(t2, t3), detectDictionary: s(t3, t4), detectRaw: s(t4, t5), total: s(t0, t5), pairRun: s(t5, t6), trainPairs: s(t6, t7), detectPairs: s(t7, t8) },
  pairs: { rows: pairRun.rows, latents: pairTrain.model.cfg.latents, k: 'k' in pairTrain.model.cfg ? pairTrain.model.cfg.k : null, split: pairTrain.analysis?.split.counts, fvu: pairTrain.analysis?.metrics.fvu ?? null, pairsPerSec: pairTrain.pairsPerSec, detection: { ...pr.summary, leads: undefined } },
  render,
  pairsPerSec: tr.pairsPerSec,
  fvuMedian: tr.analysis ? Object.values(tr.analysis.metrics.fvu).sort((x, y) => x - y)[Math.floor(n / 2)] : null,
  split: tr.analysis?.split.counts ? Object.fromEntries(Object.entries(tr.analysis.split.counts).filter(([c, v]) => v > 0 && !c.startsWith('partial-'))) : null,
  partialLatents: tr.analysis ? Object.entries(tr.analysis.split.counts).filter(([c]) => c.startsWith('partial-')).reduce((x, [, v]) => x + v, 0) : null,
  dictionary: { ...d.summary, leads: undefined, unscoredEdges: d.unscoredEdges },
  raw: { ...raw.summary, leads: undefined },
};
mkdirSync(out, { recursive: true });
writeFileSync(join(out, `network100-${tag}.json`), JSON.stringify(result, null, 1));
console.log(JSON.stringify(result, null, 1));
