// Reasoning-style co-players across games (issue 20, item 4), per seed: trains one in-context
// agent across the five games against the training co-players (trainGameAgent), evaluates it
// and a uniformly random player against the held-out co-players (per game × style family:
// fraction of the exact optimum and best-response rate), and probes the co-player's family
// from hidden states against the counting baselines (styleProbes). One JSON per seed under
// --out, then the markdown tables of docs/RESULTS.md (mean ± 95% t-interval over seeds) on
// stdout and in <out>/games.md.
// --target co-player-move trains the same network to predict the co-player's move instead (a
// predictor, no DAgger) and probes it on episodes played by a uniformly random agent
// (games-predictor-*.json, games-predictor.md). Not by the exact best response: its moves
// depend on the co-player's identity, which would hand the family to every probe.
//   npx tsx bench/agents/games.bench.ts --seeds 1,2,3,4,5 --out artifacts/agents/games
//   npx tsx bench/agents/games.bench.ts --seeds 1,2,3,4,5 --out artifacts/agents/games --target co-player-move
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { coPlayerPopulation, evaluateGames, GAMES, replayHidden, resolveGameAgentConfig, STYLE_FAMILIES, styleProbes, trainGameAgent, type GameAgent, type GameAgentTarget, type GameStyleCell, type ProbeRound } from '../../agents/games/index.js';
import { makeRng } from '../../util/random.js';
import { benchArgs, seedList } from './benchArgs.js';

const args = benchArgs();
const out = resolve(args.out ?? 'artifacts/agents/games');
const seeds = seedList(args.seeds, '1,2,3,4,5');
const episodesPerCoPlayer = Number(args['eval-episodes'] ?? 50);
const rounds = (args.rounds ?? '1,2,3,5,10,19').split(',').map(Number);
const target = (args.target ?? 'best-response') as GameAgentTarget;
const predictor = target === 'co-player-move';
const tag = predictor ? 'games-predictor' : 'games';
const overrides = {
  target,
  ...(predictor ? { onPolicyEpisodes: 0 } : {}),
  ...(args.hidden ? { hidden: Number(args.hidden) } : {}),
  ...(args.episodes ? { episodes: Number(args.episodes) } : {}),
  ...(args.epochs ? { epochs: Number(args.epochs) } : {}),
  ...(args['on-policy'] ? { onPolicyEpisodes: Number(args['on-policy']) } : {}),
};
mkdirSync(out, { recursive: true });
const trainCo = coPlayerPopulation('train');
const heldOut = coPlayerPopulation('held-out');

interface SeedResult {
  seed: number;
  config: object;
  trainSeconds: number;
  evalSeconds: number;
  probeSeconds: number;
  loss: number[];
  agent: GameStyleCell[];
  trainMembers: GameStyleCell[];
  random: GameStyleCell[];
  probes: ProbeRound[];
}
const results: SeedResult[] = [];
for (const seed of seeds) {
  const cfg = resolveGameAgentConfig({ ...overrides, seed });
  const tr = trainGameAgent(cfg, (e, l) => console.error(`seed ${seed} epoch ${e} loss ${l.toFixed(4)}`));
  const t1 = performance.now();
  const steps = cfg.steps;
  // a predictor does not act: its episodes are played by a random agent (moves independent of
  // the co-player, so the Bayes ceiling holds) and it reads them
  const actor: GameAgent = predictor ? { kind: 'random' } : { kind: 'model', model: tr.model };
  const ev = evaluateGames(actor, heldOut, { episodesPerCoPlayer, steps, seed: 1000 + seed, hiddenRounds: rounds });
  const evTrain = evaluateGames(actor, trainCo, { episodesPerCoPlayer, steps, seed: 2000 + seed, hiddenRounds: rounds });
  if (predictor) for (const e of [ev, evTrain]) e.record.hidden = replayHidden(tr.model, e.record, rounds);
  const rnd = evaluateGames({ kind: 'random' }, heldOut, { episodesPerCoPlayer, steps, seed: 1000 + seed });
  const t2 = performance.now();
  const probes = styleProbes(tr.model, evTrain.record, trainCo, ev.record, heldOut, rounds, makeRng(3000 + seed));
  const t3 = performance.now();
  const r: SeedResult = { seed, config: cfg, trainSeconds: tr.seconds, evalSeconds: (t2 - t1) / 1000, probeSeconds: (t3 - t2) / 1000, loss: tr.loss, agent: ev.cells, trainMembers: evTrain.cells, random: rnd.cells, probes };
  writeFileSync(join(out, `${tag}-seed-${seed}.json`), JSON.stringify(r, null, 1));
  console.error(`seed ${seed}: train ${r.trainSeconds.toFixed(0)} s, eval ${r.evalSeconds.toFixed(1)} s, probes ${r.probeSeconds.toFixed(1)} s`);
  results.push(r);
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]): number => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / (xs.length - 1)));
const T95: Record<number, number> = { 1: 12.71, 2: 4.3, 3: 3.18, 4: 2.78, 5: 2.57, 6: 2.45, 7: 2.36, 8: 2.31, 9: 2.26 };
const ci = (xs: number[]): string => {
  const ok = xs.filter(Number.isFinite);
  if (!ok.length) return '—';
  return `${mean(ok).toFixed(2)} ± ${(((T95[ok.length - 1] ?? 1.96) * sd(ok)) / Math.sqrt(ok.length)).toFixed(2)}`;
};
const md: string[] = [];
md.push(`Seeds ${seeds.join(', ')}; ${heldOut.length / GAMES.length} held-out co-players per game × ${episodesPerCoPlayer} episodes × ${resolveGameAgentConfig(overrides).steps} rounds per seed; mean ± 95% t-interval over seeds.`, '');
if (predictor) md.push('Network fitted to predict the co-player’s move; the episodes below are played by a uniformly random agent (its table is the random player’s).', '');
md.push('| game | style | agent: fraction of optimum | agent: best-response rate | agent: move 1 in round 0 / in all rounds | random player: fraction | agent vs training members: fraction |', '|---|---|---|---|---|---|---|');
results[0]!.agent.forEach((c0, k) => {
  const col = (key: 'agent' | 'random' | 'trainMembers', f: keyof GameStyleCell): string => ci(results.map((r) => r[key][k]![f] as number));
  md.push(`| ${c0.game} | ${c0.family} | ${col('agent', 'fraction')} | ${col('agent', 'bestRate')} | ${col('agent', 'move1First')} / ${col('agent', 'move1')} | ${col('random', 'fraction')} | ${col('trainMembers', 'fraction')} |`);
});
const perFamily = STYLE_FAMILIES.map((f) => `${f} ${ci(results.map((r) => mean(r.agent.filter((c) => c.family === f && Number.isFinite(c.fraction)).map((c) => c.fraction))))}`);
const perGame = GAMES.map((g) => `${g.name} ${ci(results.map((r) => mean(r.agent.filter((c) => c.game === g.name && Number.isFinite(c.fraction)).map((c) => c.fraction))))}`);
md.push('', `Agent's fraction of optimum by style (mean over games): ${perFamily.join(', ')}.`, `By game (mean over styles): ${perGame.join(', ')}.`);
md.push('', `Style probes (3 families, balanced accuracy, chance 0.33; fitted on ${episodesPerCoPlayer} episodes per training co-player, scored on the held-out co-players' episodes):`, '');
md.push('| round | trained GRU | random-init GRU | outcome counts | n-grams (1–2 + last) | margin over best counting baseline | n-grams + trained state | Bayes ceiling (true machines) |', '|---|---|---|---|---|---|---|---|');
results[0]!.probes.forEach((p0, k) => {
  const col = (f: keyof ProbeRound): string => ci(results.map((r) => r.probes[k]![f] as number));
  md.push(`| ${p0.round} | ${col('trained')} | ${col('random')} | ${col('counts')} | ${col('ngram')} | ${col('marginOverCounts')} | ${col('ngramPlusTrained')} | ${col('bayes')} |`);
});
const last = results[0]!.probes.length - 1;
md.push('', `Per game at round ${results[0]!.probes[last]!.round} (trained / n-grams / Bayes ceiling): ` + GAMES.map((g) => `${g.name} ${ci(results.map((r) => r.probes[last]!.perGame[g.name]!.trained))} / ${ci(results.map((r) => r.probes[last]!.perGame[g.name]!.ngram))} / ${ci(results.map((r) => r.probes[last]!.perGame[g.name]!.bayes))}`).join('; ') + '.');
md.push('', `PERF: training ${ci(results.map((r) => r.trainSeconds))} s per seed, evaluation ${ci(results.map((r) => r.evalSeconds))} s, probes ${ci(results.map((r) => r.probeSeconds))} s.`);
writeFileSync(join(out, `${tag}.md`), md.join('\n') + '\n');
console.log(md.join('\n'));
