// Model-based planner (stage 'planner': one learner against the pool), per seed: trains by
// policy improvement (collect with the planner → refit its co-player predictor), saves the
// checkpoint and evaluates it like the A2C agent (per style, switches, against itself).
//   npx tsx bench/agents/planner.bench.ts --seeds 1,2,3,4,5 --iterations 10 [--arch transformer] --out artifacts/agents/planner
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { evaluatePair, evaluateSwitch, evaluateVsStyles, trainPlannerToCheckpoints } from '../../agents/ipd/index.js';
import { loadPool } from '../../agents/pool/index.js';
import { benchArgs, seedList } from './benchArgs.js';

const args = benchArgs();
const out = resolve(args.out ?? 'artifacts/agents/planner');
const iterations = Number(args.iterations ?? 10);
const depth = Number(args.depth ?? 2);
const arch = (args.arch ?? 'gru') as 'gru' | 'transformer';
const valueTarget = (args['value-target'] ?? 'search') as 'return' | 'search';
const exploreEpisodes = Number(args['explore-episodes'] ?? 0);
const evalEpisodes = Number(args['eval-episodes'] ?? 200);
const pool = loadPool(args.pool);
for (const seed of seedList(args.seeds)) {
  mkdirSync(out, { recursive: true });
  const t0 = performance.now();
  const command = `npx tsx bench/agents/planner.bench.ts --seeds ${seed} --iterations ${iterations} --depth ${depth} --value-target ${valueTarget} --explore-episodes ${exploreEpisodes}${arch === 'gru' ? '' : ` --arch ${arch}`}`;
  const tr = trainPlannerToCheckpoints({ stage: 'planner', pool, seed, arch, iterations, planner: { depth }, valueTarget, exploreEpisodes, outDir: join(out, `seed-${seed}`), command }, (it) => {
    const g = it.groups.A ?? {};
    console.error(`seed ${seed} it ${it.iteration} ${it.seconds.toFixed(0)}s loss ${it.loss.A!.toFixed(3)} ` + Object.entries(g).map(([k, s]) => `${k} ${s.coop.toFixed(2)}/${s.reward.toFixed(2)}`).join(' '));
  });
  const trainSeconds = (performance.now() - t0) / 1000;
  const model = tr.result.learners[0]!.planner;
  const t1 = performance.now();
  const styles = evaluateVsStyles(model, pool, { episodes: evalEpisodes, seed: 1000 + seed });
  const evalSeconds = (performance.now() - t1) / 1000;
  const switchTftAlld = evaluateSwitch(model, pool, 'tit-for-tat', 'always-defect', { episodes: evalEpisodes, seed: 2000 + seed });
  const switchAlldTft = evaluateSwitch(model, pool, 'always-defect', 'tit-for-tat', { episodes: evalEpisodes, seed: 3000 + seed });
  const self = evaluatePair(model, model, pool.styles.length, { episodes: evalEpisodes, seed: 4000 + seed });
  writeFileSync(
    join(out, `planner-seed-${seed}.json`),
    JSON.stringify({ seed, arch, iterations, depth, valueTarget, exploreEpisodes, trainSeconds, evalSeconds, agentSteps: tr.result.agentSteps, checkpoint: tr.checkpoints[0], history: tr.result.history, styles, switchTftAlld, switchAlldTft, selfPlay: self }),
  );
  console.error(`seed ${seed}: train ${trainSeconds.toFixed(0)} s, eval ${evalSeconds.toFixed(0)} s; late coop ` + styles.map((s) => `${s.style} ${s.lateCoop.toFixed(2)}`).join(', ') + `; self ${self.coopA.toFixed(2)}`);
}
