// Stage 1 (co-player inference against the pool), per seed: trains, saves the checkpoint,
// and evaluates cooperation per style (training and held-out), adaptation curves and a
// mid-episode tit-for-tat → always-defect switch. One JSON per seed under --out.
//   npx tsx bench/agents/inContext.bench.ts --seeds 1,2,3,4,5 --updates 400 --out artifacts/agents
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { evaluateSwitch, evaluateVsStyles, evaluatePair, trainToCheckpoints } from '../../agents/ipd/index.js';
import { loadPool } from '../../agents/pool/index.js';
import { benchArgs, seedList } from './benchArgs.js';

const args = benchArgs();
const out = resolve(args.out ?? 'artifacts/agents');
const updates = Number(args.updates ?? 400);
const episodes = Number(args.episodes ?? 96);
const arch = (args.arch ?? 'gru') as 'gru' | 'transformer';
const pool = loadPool(args.pool);
for (const seed of seedList(args.seeds)) {
  const dir = join(out, `seed-${seed}`);
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const tr = trainToCheckpoints(
    { stage: '1', pool, seed, arch, episodes, outDir: dir, train: { updates }, command: `npx tsx bench/agents/inContext.bench.ts --seeds ${seed} --updates ${updates} --episodes ${episodes} --arch ${arch}` },
    (u) => {
      if (u.update % 50 === 0) {
        const g = u.groups.A ?? {};
        console.error(`seed ${seed} update ${u.update} ${u.seconds.toFixed(0)}s ` + Object.entries(g).map(([k, s]) => `${k} ${s.coop.toFixed(2)}/${s.reward.toFixed(2)}`).join(' '));
      }
    },
  );
  const trainSeconds = (performance.now() - t0) / 1000;
  const { loadCheckpoint } = await import('../../agents/ipd/index.js');
  const ck = loadCheckpoint(tr.checkpoints[tr.checkpoints.length - 1]!);
  const styles = evaluateVsStyles(ck.model, pool, { episodes: 200, seed: 1000 + seed });
  const switchTftAlld = evaluateSwitch(ck.model, pool, 'tit-for-tat', 'always-defect', { episodes: 200, seed: 2000 + seed });
  const switchAlldTft = evaluateSwitch(ck.model, pool, 'always-defect', 'tit-for-tat', { episodes: 200, seed: 3000 + seed });
  const self = evaluatePair(ck.model, ck.model, pool.styles.length, { episodes: 200, seed: 4000 + seed });
  const res = {
    seed,
    arch,
    updates,
    episodes,
    trainSeconds,
    agentSteps: tr.result.agentSteps,
    agentStepsPerSecond: tr.result.agentSteps / tr.result.seconds,
    checkpoint: ck.dir,
    styles,
    switchTftAlld,
    switchAlldTft,
    selfPlay: self,
  };
  writeFileSync(join(out, `inContext-${arch}-seed-${seed}.json`), JSON.stringify(res));
  console.error(`seed ${seed}: ${trainSeconds.toFixed(0)} s; late coop ` + styles.map((s) => `${s.style} ${s.lateCoop.toFixed(2)}`).join(', '));
}
