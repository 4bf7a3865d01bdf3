// Agents against strangers: every shipped checkpoint and the baselines on a held-out split
// of generated co-players (never trained on: the checkpoints saw only the shipped 16-style
// pool, the Bayesian baseline's prior is the train split), as a fraction of the exact
// optimum, (payoff − worst) / (best − worst), with 95% percentile-bootstrap intervals over
// strategies; the share of strategies where each is ≥ tit-for-tat's fraction − tolerance;
// and the mean fraction per generator family. Prints Markdown tables; JSON under --out.
//   npx tsx bench/agents/strangers.bench.ts [--split test] [--count 200] [--episodes 10]
//     [--train-count 200] [--seed 12345] [--tolerance 0.01] [--out artifacts/agents/strangers]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadDefaultCheckpoint, shippedCheckpoints } from '../../agents/ipd/index.js';
import { BayesAgent, evaluateOptimum, FAMILIES, populationPool, type OptimumPlayer, type Split } from '../../agents/population/index.js';
import { benchArgs } from './benchArgs.js';

const args = benchArgs();
const split = (args.split ?? 'test') as Split;
const count = Number(args.count ?? 200);
const episodes = Number(args.episodes ?? 10);
const trainCount = Number(args['train-count'] ?? 200);
const seed = Number(args.seed ?? 12345);
const tolerance = Number(args.tolerance ?? 0.01);
const out = resolve(args.out ?? 'artifacts/agents/strangers');

const t0 = performance.now();
const styles = populationPool(split, count).styles;
const players: OptimumPlayer[] = shippedCheckpoints().map((name) => {
  const ck = loadDefaultCheckpoint(name);
  return { name, model: ck.model, identity: ck.info.poolStyles.length };
});
players.push({ name: 'bayes-posterior', model: new BayesAgent(populationPool('train', trainCount).styles, { horizon: 100 }) });
const r = evaluateOptimum(players, styles, { episodes, seed, tolerance });
const seconds = (performance.now() - t0) / 1000;

const ci = (x: { estimate: number; lo: number; hi: number }, d = 3): string => `${x.estimate.toFixed(d)} [${x.lo.toFixed(d)}, ${x.hi.toFixed(d)}]`;
const target = (p: (typeof r.players)[number]): string => (p.meanFraction.estimate >= 0.8 && p.atLeastTft.estimate >= 0.9 ? 'yes' : 'no');
console.log(`${r.styles} ${split} strategies (generator seeds), ${r.horizon} rounds, ${episodes} episodes per strategy for sampled players; ${seconds.toFixed(0)} s\n`);
console.log('| player | how | mean fraction of optimum [95% CI] | median | ≥ TFT − ' + tolerance + ' on [95% CI] | payoff / round | target (≥ 0.8 and ≥ TFT on ≥ 90%) |');
console.log('|---|---|---|---|---|---|---|');
for (const p of r.players) {
  const pct = { estimate: 100 * p.atLeastTft.estimate, lo: 100 * p.atLeastTft.lo, hi: 100 * p.atLeastTft.hi };
  console.log(`| ${p.name} | ${p.exact ? 'exact' : 'sampled'} | ${ci(p.meanFraction)} | ${p.medianFraction.toFixed(3)} | ${ci(pct, 1)} % | ${p.payoffPerRound.toFixed(3)} | ${target(p)} |`);
}
const fams = FAMILIES.filter((f) => r.results.some((x) => x.group === f));
console.log('\nMean fraction of optimum per generator family (strategies in parentheses):\n');
console.log(`| player | ${fams.map((f) => `${f} (${r.results.filter((x) => x.group === f).length})`).join(' | ')} |`);
console.log(`|---|${fams.map(() => '---').join('|')}|`);
for (const p of r.players) {
  const cells = fams.map((f) => {
    const xs = r.results.filter((x) => x.group === f).map((x) => x.fraction[p.name]!);
    return (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2);
  });
  console.log(`| ${p.name} | ${cells.join(' | ')} |`);
}
mkdirSync(out, { recursive: true });
writeFileSync(join(out, `strangers-${split}-${count}.json`), JSON.stringify({ split, count, trainCount, seconds, ...r }, null, 1) + '\n');
console.error(`wrote ${join(out, `strangers-${split}-${count}.json`)}`);
