// Stages 2 and 3 from each seed's stage-1 checkpoint:
//   stage 2  learner B (initialised from A) against A frozen + the pool: does B learn to
//            exploit (extort) the in-context learner?
//   stage 3  A and B trained against each other and the pool: mutual shaping.
//   npx tsx bench/agents/stages.bench.ts --seeds 1,2,3,4,5 --updates 150 --in artifacts/agents
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { evaluatePair, evaluateVsStyles, loadCheckpoint, trainToCheckpoints } from '../../agents/ipd/index.js';
import { loadPool, styleIndex } from '../../agents/pool/index.js';
import { benchArgs, seedList } from './benchArgs.js';

const args = benchArgs();
const root = resolve(args.in ?? 'artifacts/agents');
const updates = Number(args.updates ?? 150);
const episodes = Number(args.episodes ?? 96);
const pool = loadPool(args.pool);
const probe = ['tit-for-tat', 'grim-trigger', 'always-defect', 'random'].map((s) => styleIndex(pool, s));
const nS = pool.styles.length;
const brief = (m: Parameters<typeof evaluateVsStyles>[0], seed: number) =>
  evaluateVsStyles(m, pool, { episodes: 100, seed: 8000 + seed }, probe).map((s) => ({ style: s.style, lateCoop: s.lateCoop, reward: s.reward }));
const strip = <T extends { curve?: unknown }>(x: T): Omit<T, 'curve'> => {
  const { curve: _c, ...rest } = x;
  return rest;
};
for (const seed of seedList(args.seeds)) {
  const dir = join(root, `seed-${seed}`);
  const a = loadCheckpoint(join(dir, 'gru-stage1'));
  const before = strip(evaluatePair(a.model, a.model, nS, { episodes: 200, seed: 9000 + seed }));
  const s2 = trainToCheckpoints({ stage: '2', pool, seed, a: a.model, episodes, outDir: dir, train: { updates }, command: `npx tsx bench/agents/stages.bench.ts --seeds ${seed} --updates ${updates}` });
  const b = loadCheckpoint(s2.checkpoints[s2.checkpoints.length - 1]!);
  const afterS2 = strip(evaluatePair(b.model, a.model, nS, { episodes: 200, seed: 9100 + seed }));
  const s3curve: { update: number; coop: number }[] = [];
  const s3 = trainToCheckpoints(
    { stage: '3', pool, seed, a: a.model, b: b.model, episodes, outDir: dir, train: { updates }, command: `npx tsx bench/agents/stages.bench.ts --seeds ${seed} --updates ${updates}` },
    (u) => {
      const g = u.groups.A?.learner;
      if (g) s3curve.push({ update: u.update, coop: g.coop });
    },
  );
  const a3 = loadCheckpoint(s3.checkpoints.find((c) => c.endsWith('stage3-a'))!);
  const b3 = loadCheckpoint(s3.checkpoints.find((c) => c.endsWith('stage3-b'))!);
  const afterS3 = strip(evaluatePair(a3.model, b3.model, nS, { episodes: 200, seed: 9200 + seed }));
  const res = {
    seed,
    updates,
    episodes,
    stage2Seconds: s2.result.seconds,
    stage3Seconds: s3.result.seconds,
    stage2AgentSteps: s2.result.agentSteps,
    stage3AgentSteps: s3.result.agentSteps,
    stage1SelfPair: before,
    stage2BvsFrozenA: afterS2,
    stage3Pair: afterS3,
    stage3Curve: s3curve.filter((_, i) => i % 5 === 0 || i === s3curve.length - 1),
    vsPool: { stage2B: brief(b.model, seed), stage3A: brief(a3.model, seed), stage3B: brief(b3.model, seed) },
  };
  writeFileSync(join(root, `stages-seed-${seed}.json`), JSON.stringify(res));
  console.error(
    `seed ${seed}: A-vs-A coop ${before.coopA.toFixed(2)}; stage 2 B vs A coop ${afterS2.coopA.toFixed(2)}/${afterS2.coopB.toFixed(2)} reward ${afterS2.rewardA.toFixed(2)}/${afterS2.rewardB.toFixed(2)}; ` +
      `stage 3 coop ${afterS3.coopA.toFixed(2)}/${afterS3.coopB.toFixed(2)} (${s2.result.seconds.toFixed(0)} s + ${s3.result.seconds.toFixed(0)} s)`,
  );
}
