// Cooperation between learners, from a defecting start (initial P(C) = --init-coop), for
// the literature's recipe and its two ablations, per seed:
//   mixed     two fresh learners trained against each other and the pool
//   selfplay  two fresh learners trained against each other only
//   identity  like mixed, with the co-player's identity as an input
// Learner-vs-learner cooperation is logged along training and evaluated at the end.
//   npx tsx bench/agents/emergence.bench.ts --seeds 1,2,3,4,5 --updates 150 --episodes 48 --out artifacts/agents
import { writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { evaluatePair, evaluateVsStyles, runStage, type Stage } from '../../agents/ipd/index.js';
import { loadPool, styleIndex } from '../../agents/pool/index.js';
import { benchArgs, seedList } from './benchArgs.js';

const args = benchArgs();
const out = resolve(args.out ?? 'artifacts/agents');
mkdirSync(out, { recursive: true });
const updates = Number(args.updates ?? 150);
const episodes = Number(args.episodes ?? 48);
const initCoop = Number(args['init-coop'] ?? 0.15);
const variants = (args.variants ?? 'mixed,selfplay,identity').split(',') as Stage[];
const pool = loadPool(args.pool);
const probeStyles = ['tit-for-tat', 'grim-trigger', 'always-defect', 'random'].map((s) => styleIndex(pool, s));
for (const seed of seedList(args.seeds)) {
  for (const variant of variants) {
    const curve: { update: number; coop: number; reward: number }[] = [];
    const r = runStage({ stage: variant, pool, seed, episodes, initCoop, train: { updates } }, (u) => {
      const g = u.groups.A?.learner;
      if (g) curve.push({ update: u.update, coop: g.coop, reward: g.reward });
    });
    const [a, b] = r.outputs.map((o) => o.model) as [typeof r.outputs[0]['model'], typeof r.outputs[0]['model']];
    const pair = evaluatePair(a, b, pool.styles.length, { episodes: 200, seed: 6000 + seed });
    const vsPool = evaluateVsStyles(a, pool, { episodes: 100, seed: 7000 + seed }, probeStyles).map((s) => ({ style: s.style, lateCoop: s.lateCoop, reward: s.reward }));
    const res = {
      seed,
      variant,
      updates,
      episodes,
      initCoop,
      seconds: r.result.seconds,
      agentSteps: r.result.agentSteps,
      startCoop: curve[0]?.coop ?? null,
      endCoop: curve[curve.length - 1]?.coop ?? null,
      pair,
      vsPool,
      curve: curve.filter((_, i) => i % 5 === 0 || i === curve.length - 1),
    };
    delete (res.pair as { curve?: unknown }).curve;
    writeFileSync(join(out, `emergence-${variant}-seed-${seed}.json`), JSON.stringify(res));
    console.error(`${variant} seed ${seed}: ${r.result.seconds.toFixed(0)} s, L-vs-L coop ${res.startCoop?.toFixed(2)} → ${res.endCoop?.toFixed(2)}, eval ${pair.coopA.toFixed(2)}/${pair.coopB.toFixed(2)}`);
  }
}
