import { makeRng } from '../../util/random.js';
import { Gru } from '../../agents/ipd/gru.js';
import { train, resolveTrainConfig } from '../../agents/ipd/trainer.js';
import { loadPool, trainingStyles } from '../../agents/pool/index.js';
const pool = loadPool();
const updates = Number(process.argv[2] ?? 50);
const algo = (process.argv[3] ?? 'a2c') as 'a2c' | 'ppo';
const H = Number(process.argv[4] ?? 32);
const model = new Gru({ arch: 'gru', hidden: H, inputs: 5, featuresPerStep: 1 }, makeRng(1));
const cfg = resolveTrainConfig({ updates, algo, seed: 1, gamma: Number(process.argv[5] ?? 0.96), entropyCoef: Number(process.argv[6] ?? 0.01), lr: Number(process.argv[7] ?? 3e-3) });
const r = train({ learners: [{ name: 'A', model, trainable: true }], tables: [{ a: 0, b: 'pool', episodes: 64 }], pool, styles: process.env.STY ? process.env.STY.split(',').map(Number) : trainingStyles(pool), identity: false, warmupStyles: [0, 1, 6, 7], warmupUpdates: Number(process.env.WU ?? 0) }, cfg, (u) => {
  if (u.update % 50 === 0) console.log(u.update, u.seconds.toFixed(1), Object.entries(u.groups.A!).map(([g, s]) => `${g}:${s.coop.toFixed(2)}/${s.reward.toFixed(2)}`).join(' '));
});
console.log('steps/s', (r.agentSteps / r.seconds).toFixed(0));
