// Why a pair of planner learners stops cooperating: retrains the two-learner setup to a given
// iteration (training does not depend on the benches' evaluations, so this is the pair they
// measured) and prints one greedy episode of A vs B, A vs A and B vs B with A's searched values.
//   npx tsx bench/agents/plannerPairTrace.bench.ts --seed 5 --iterations 27 [--variant mixed]
//     (defaults match plannerEmergence.bench.ts as run in docs/RESULTS.md: GRU 16, 132 episodes,
//      264 bootstrap, window 1056, exploration 0.1)
import { playMatch, trainPlanner, type Planner, type PlannerStage } from '../../agents/ipd/index.js';
import { loadPool } from '../../agents/pool/index.js';
import { makeRng } from '../../util/random.js';
import { benchArgs } from './benchArgs.js';

const args = benchArgs();
const pool = loadPool(args.pool);
const T = 100;
const tr = trainPlanner({
  stage: `planner-${args.variant ?? 'mixed'}` as PlannerStage,
  pool,
  seed: Number(args.seed ?? 5),
  iterations: Number(args.iterations ?? 27),
  episodes: Number(args.episodes ?? 132),
  hidden: Number(args.hidden ?? 16),
  bootstrapEpisodes: Number(args['bootstrap-episodes'] ?? 264),
  window: Number(args.window ?? 1056),
  explore: Number(args.explore ?? 0.1),
});
const [A, B] = tr.learners.map((l) => l.planner) as [Planner, Planner];

function trace(label: string, a: Planner, b: Planner): void {
  const rec = playMatch(a, { kind: 'model', model: b }, 1, T, makeRng(1), { greedy: true });
  const moves = (xs: Uint8Array): string => Array.from(xs, (x) => (x ? '.' : 'C')).join('');
  console.log(`${label}\n  first ${moves(rec.a.actions)}\n  other ${moves(rec.bActions)}`);
  console.log(`  first's searched value, rounds 0-11: ${Array.from(rec.a.rollout.value.subarray(0, 12), (v) => v.toFixed(1)).join(' ')}`);
}
trace('A vs B', A, B);
trace('A vs A', A, A);
trace('B vs B', B, B);
