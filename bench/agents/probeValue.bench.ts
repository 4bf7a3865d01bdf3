// What does probing pay against a pool? Two scripted players, no learning:
//   patient  cooperates unless the co-player defected in each of the last two rounds
//   prober   defects in round 0 and cooperates in round 1; if the co-player did not answer the
//            probe with a defection in round 1 it defects for the rest of the episode (exploit),
//            otherwise it plays `patient` from round 2
// played against every training style of the pool (per-style weights applied), with the
// discounted return (γ as the planner's search) and the mean reward per round. A learner that
// best-responds to the pool probes when the weighted probe value is positive — and then, against
// grim trigger, defects for the rest of the episode: the pool's weights decide.
//   npx tsx bench/agents/probeValue.bench.ts [--pool file.json] [--episodes 2000] [--gamma 0.95]
import { OBS_SIZE, playMatch, type ModelConfig, type Rollout, type SeqModel } from '../../agents/ipd/index.js';
import { loadPool, StylePlayers, styleWeight, trainingStyles } from '../../agents/pool/index.js';
import { makeRng } from '../../util/random.js';
import { benchArgs } from './benchArgs.js';

const args = benchArgs();
const pool = loadPool(args.pool);
const episodes = Number(args.episodes ?? 2000);
const gamma = Number(args.gamma ?? 0.95);
const T = 100;
const cfg: ModelConfig = { arch: 'gru', hidden: 0, inputs: OBS_SIZE, featuresPerStep: 1 };

/** Scripted player; `decide` sees the round, the co-player's past moves (0 = C) and its own state. */
class Scripted implements SeqModel {
  readonly params = [];
  readonly cfg = cfg;
  private co: Uint8Array[] = [];
  private exploit = new Uint8Array(0);
  constructor(private readonly probe: boolean) {}
  start(n: number, maxSteps: number): Rollout {
    this.co = [];
    this.exploit = new Uint8Array(n);
    return { n, maxSteps, t: 0, logit: new Float64Array(maxSteps * n), value: new Float64Array(maxSteps * n) };
  }
  step(ro: Rollout, features: Int32Array): void {
    const { n, t } = ro;
    if (t > 0) this.co.push(Uint8Array.from({ length: n }, (_, i) => (features[i]! - 1) & 1));
    for (let i = 0; i < n; i++) {
      let defect: boolean;
      if (this.probe && t === 0) defect = true;
      else if (this.probe && t === 1) defect = false;
      else {
        if (this.probe && t === 2 && this.co[1]![i] === 0) this.exploit[i] = 1;
        const twice = t >= 2 && this.co[t - 1]![i] === 1 && this.co[t - 2]![i] === 1;
        defect = this.exploit[i] === 1 || twice;
      }
      ro.logit[t * n + i] = defect ? -40 : 40;
    }
    ro.t++;
  }
  hiddenAt(): void {}
  backward(): void {}
}

function returns(probe: boolean, style: number): { disc: number; mean: number } {
  const rng = makeRng(7 + style);
  const players = new StylePlayers(pool.styles, episodes, rng.fork());
  const rec = playMatch(new Scripted(probe), { kind: 'pool', players, assign: new Int32Array(episodes).fill(style) }, episodes, T, rng);
  let disc = 0;
  let mean = 0;
  for (let i = 0; i < episodes; i++) {
    let g = 0;
    for (let t = T - 1; t >= 0; t--) g = rec.a.rewards[t * episodes + i]! + gamma * g;
    disc += g / episodes;
    for (let t = 0; t < T; t++) mean += rec.a.rewards[t * episodes + i]! / (episodes * T);
  }
  return { disc, mean };
}

let wSum = 0;
let dSum = 0;
let mSum = 0;
console.log(`| style | weight | patient: discounted / per round | prober: discounted / per round | probe value (discounted) |`);
console.log(`|---|---|---|---|---|`);
for (const s of [...new Set(trainingStyles(pool))]) {
  const w = styleWeight(pool, s);
  const a = returns(false, s);
  const b = returns(true, s);
  wSum += w;
  dSum += w * (b.disc - a.disc);
  mSum += w * (b.mean - a.mean);
  console.log(`| ${pool.styles[s]!.name} | ${w} | ${a.disc.toFixed(2)} / ${a.mean.toFixed(3)} | ${b.disc.toFixed(2)} / ${b.mean.toFixed(3)} | ${(b.disc - a.disc).toFixed(2)} |`);
}
console.log(`\nweighted probe value over the training pool (${pool.source}): discounted ${(dSum / wSum).toFixed(2)}, per round ${(mSum / wSum).toFixed(3)} (γ ${gamma}, ${episodes} episodes per style)`);
