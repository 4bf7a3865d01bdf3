// Cooperation between model-based learners from a defecting start: two planners whose
// predictors are first fitted on episodes of i.i.d. moves with P(C) = 0.15, then improved by
// collect → refit iterations, in three setups: mixed (each other + the pool), selfplay
// (each other only) and identity (mixed, with the co-player's identity as an input).
// After every iteration the greedy pair is evaluated (learner vs learner, and each learner
// against tit-for-tat and always-defect). One JSON per variant and seed under --out.
//   npx tsx bench/agents/plannerEmergence.bench.ts --seeds 1,2,3,4,5 --variants mixed,selfplay,identity --iterations 8 --hidden 16 \
//     --out artifacts/agents/planner-emergence
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { evaluatePair, evaluateVsStyles, trainPlanner, type Planner, type PlannerStage } from '../../agents/ipd/index.js';
import { loadPool, styleIndex } from '../../agents/pool/index.js';
import { benchArgs, seedList } from './benchArgs.js';

const args = benchArgs();
const out = resolve(args.out ?? 'artifacts/agents/planner-emergence');
const iterations = Number(args.iterations ?? 10);
const episodes = Number(args.episodes ?? 264);
const evalEpisodes = Number(args['eval-episodes'] ?? 100);
const hidden = Number(args.hidden ?? 16);
const bootstrapEpisodes = Number(args['bootstrap-episodes'] ?? 264);
const window = Number(args.window ?? 528);
const explore = Number(args.explore ?? 0.1);
const variants = (args.variants ?? 'mixed,selfplay,identity').split(',');
const pool = loadPool(args.pool);
const nStyles = pool.styles.length;
const probe = ['tit-for-tat', 'always-defect'].map((s) => styleIndex(pool, s));
mkdirSync(out, { recursive: true });
for (const variant of variants) {
  for (const seed of seedList(args.seeds)) {
    const stage = `planner-${variant}` as PlannerStage;
    const tr = trainPlanner({ stage, pool, seed, iterations, episodes, hidden, bootstrapEpisodes, window, explore, evaluate: evaluateLearners }, (it) => {
      const e = it.eval ?? {};
      console.error(`${variant} seed ${seed} it ${it.iteration} ${it.seconds.toFixed(0)}s L-vs-L ${e.pairCoopA?.toFixed(2)}/${e.pairCoopB?.toFixed(2)} tft ${e.tftA?.toFixed(2)} alld ${e.alldA?.toFixed(2)}`);
    });
    writeFileSync(join(out, `${variant}-seed-${seed}.json`), JSON.stringify({ variant, seed, iterations, episodes, hidden, bootstrapEpisodes, window, explore, evalEpisodes, seconds: tr.seconds, agentSteps: tr.agentSteps, history: tr.history }));
  }
}

// Greedy evaluation after each iteration (trainPlanner turns exploration off around it).
function evaluateLearners(learners: Planner[], it: number): Record<string, number> {
  const [a, b] = learners as [Planner, Planner];
  const pair = evaluatePair(a, b, nStyles, { episodes: evalEpisodes, seed: 5000 + it });
  const sa = evaluateVsStyles(a, pool, { episodes: evalEpisodes, seed: 6000 + it }, probe);
  const sb = evaluateVsStyles(b, pool, { episodes: evalEpisodes, seed: 7000 + it }, probe);
  return {
    pairCoopA: pair.coopA,
    pairCoopB: pair.coopB,
    pairLateA: pair.lateCoopA,
    pairLateB: pair.lateCoopB,
    tftA: sa[0]!.lateCoop,
    alldA: sa[1]!.lateCoop,
    tftB: sb[0]!.lateCoop,
    alldB: sb[1]!.lateCoop,
  };
}
