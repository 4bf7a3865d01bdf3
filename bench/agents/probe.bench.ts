// Probes of co-player style from hidden states: the trained agent's hidden state at round t
// against (a) the same architecture with random weights fed the same observation sequences
// and (b) a counts-of-outcomes baseline (fractions of CC, CD, DC, DD so far + the last
// outcome). Reports test accuracy and the margin of the trained network over the better
// baseline. One JSON per checkpoint.
//   npx tsx bench/agents/probe.bench.ts --checkpoints artifacts/agents/seed-1/gru-stage1,... --out artifacts/agents
import { writeFileSync } from 'node:fs';
import { join, resolve, basename, dirname } from 'node:path';
import { makeRng } from '../../util/random.js';
import { loadCheckpoint, makeModel, playMatch } from '../../agents/ipd/index.js';
import { loadPool, StylePlayers, styleIndex } from '../../agents/pool/index.js';
import { benchArgs } from './benchArgs.js';
import { probeAccuracy } from './softmaxProbe.js';

const args = benchArgs();
const out = resolve(args.out ?? 'artifacts/agents');
const pool = loadPool(args.pool);
const rounds = (args.rounds ?? '3,5,10,20,40').split(',').map(Number);
const perStyle = Number(args.episodes ?? 100);
// Styles whose play differs against a mostly cooperating agent (tit-for-tat, grim,
// two-strike grim, tit-for-two-tats and always-cooperate all just cooperate back, so no
// probe could tell them apart); --styles all uses every style but the per-episode tables.
const DISTINGUISHABLE = 'tit-for-tat,noisy-tit-for-tat,win-stay-lose-shift,corrigible,always-defect,random,flip,zd-extortion-chi2,mostly-defect';
const styles =
  args.styles === 'all'
    ? pool.styles.flatMap((s, i) => (s.spec.kind === 'random-memory' ? [] : [i]))
    : (args.styles ?? DISTINGUISHABLE).split(',').map((name) => styleIndex(pool, name));
for (const path of (args.checkpoints ?? '').split(',').filter(Boolean)) {
  const ck = loadCheckpoint(path);
  const seed = ck.info.seed;
  const rng = makeRng(5000 + seed);
  const random = makeModel(ck.model.cfg, makeRng(777 + seed));
  const T = Math.max(...rounds) + 1;
  type Sample = { trained: Float64Array; random: Float64Array; counts: Float64Array };
  const data = new Map<number, Sample[]>(); // round → samples (style-major, episode order)
  const labels: number[] = [];
  const episodeOf: number[] = [];
  for (const [k, s] of styles.entries()) {
    const players = new StylePlayers(pool.styles, perStyle, rng.fork());
    const rec = playMatch(ck.model, { kind: 'pool', players, assign: new Int32Array(perStyle).fill(s) }, perStyle, T, rng);
    const ro = random.start(perStyle, T);
    for (let t = 0; t < T; t++) random.step(ro, rec.a.feats.subarray(t * perStyle, (t + 1) * perStyle));
    const H = ck.model.cfg.hidden;
    const hT = new Float64Array(perStyle * H);
    const hR = new Float64Array(perStyle * H);
    for (const t of rounds) {
      ck.model.hiddenAt(rec.a.rollout, t, hT);
      random.hiddenAt(ro, t, hR);
      const list = data.get(t) ?? data.set(t, []).get(t)!;
      for (let i = 0; i < perStyle; i++) {
        const counts = new Float64Array(8);
        // outcomes of rounds 0..t-1 (what the agent has seen when acting at round t)
        for (let u = 0; u < t; u++) counts[2 * rec.a.actions[u * perStyle + i]! + rec.bActions[u * perStyle + i]!]! += 1 / t;
        if (t > 0) counts[4 + 2 * rec.a.actions[(t - 1) * perStyle + i]! + rec.bActions[(t - 1) * perStyle + i]!] = 1;
        list.push({ trained: hT.slice(i * H, (i + 1) * H), random: hR.slice(i * H, (i + 1) * H), counts });
        if (t === rounds[0]) {
          labels.push(k);
          episodeOf.push(i);
        }
      }
    }
  }
  const results = rounds.map((t) => {
    const samples = data.get(t)!;
    const train = samples.flatMap((_, n) => (episodeOf[n]! % 2 === 0 ? [n] : []));
    const test = samples.flatMap((_, n) => (episodeOf[n]! % 2 === 1 ? [n] : []));
    const acc = (key: keyof Sample): number =>
      probeAccuracy(train.map((n) => samples[n]![key]), train.map((n) => labels[n]!), test.map((n) => samples[n]![key]), test.map((n) => labels[n]!), styles.length);
    const r = { round: t, trained: acc('trained'), random: acc('random'), counts: acc('counts') };
    return { ...r, margin: r.trained - Math.max(r.random, r.counts), chance: 1 / styles.length };
  });
  const res = { checkpoint: ck.dir, name: ck.info.name, seed, styles: styles.map((s) => pool.styles[s]!.name), perStyle, results };
  writeFileSync(join(out, `probe-${basename(dirname(ck.dir))}-${ck.info.name}.json`), JSON.stringify(res, null, 1));
  console.error(ck.info.name, seed, results.map((r) => `t=${r.round} trained ${r.trained.toFixed(2)} random ${r.random.toFixed(2)} counts ${r.counts.toFixed(2)} margin ${r.margin.toFixed(2)}`).join(' | '));
}
