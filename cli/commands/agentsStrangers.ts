// `thoughtlens agents population|optimum|tournament`: the agents against strangers —
// a generated co-player population split by generator seed, the payoff of each agent as a
// fraction of the exact best response, and an Axelrod-style round-robin tournament.
import { writeFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { UsageError } from '../../data/index.js';
import { findCheckpoint, P, R, S, shippedCheckpoints, T, type SeqModel } from '../../agents/ipd/index.js';
import { compileStyle, loadPool, type CompiledStyle } from '../../agents/pool/index.js';
import { BayesAgent, evaluateOptimum, MachineAgent, populationPool, populationSpec, SPLITS, type OptimumPlayer, type Split } from '../../agents/population/index.js';
import { ecology, moran, moranRows, runTournament, TOURNAMENT_FORMATS, writeTournamentReport, type TournamentFormat, type TournamentPlayer, type TournamentReport } from '../../agents/tournament/index.js';
import { emit, type CliContext } from '../context.js';
import { table } from '../format.js';
import type { ActionFactory } from '../program.js';
import { floatArg as float, intArg as int } from '../argParsers.js';

export const BAYES_NAME = 'bayes-posterior';

interface AgentRef {
  name: string;
  source: string;
  make(): SeqModel;
  identity: number;
}

function agentRefs(refs: string[]): AgentRef[] {
  const names = refs.length > 0 ? refs : shippedCheckpoints();
  return names.map((ref) => {
    const ck = findCheckpoint(ref);
    if (!ck) throw new UsageError(`'${ref}' is neither a checkpoint folder nor a shipped checkpoint (shipped: ${shippedCheckpoints().join(', ')})`);
    let used = false;
    // the first instance is the one loaded here; later ones (a self-play seat) load afresh
    const make = (): SeqModel => {
      if (used) return findCheckpoint(ref)!.model;
      used = true;
      return ck.model;
    };
    return { name: ck.info.name, source: ck.dir, identity: ck.info.poolStyles.length, make };
  });
}

function split(v: string): Split {
  if (!(SPLITS as readonly string[]).includes(v)) throw new InvalidArgumentError(`must be one of ${SPLITS.join(', ')}`);
  return v as Split;
}

interface PopulationFlags {
  split: Split;
  count: number;
  out?: string;
}

interface OptimumFlags {
  split: Split;
  count: number;
  pool?: string;
  trainCount: number;
  bayes: boolean;
  episodes: number;
  horizon: number;
  seed: number;
  tolerance: number;
  perStyle?: boolean;
}

interface TournamentFlags {
  pool?: string;
  population?: string;
  turns: number;
  repetitions: number;
  noise: number;
  seed: number;
  generations: number;
  trainCount: number;
  bayes: boolean;
  out?: string;
  formats: string;
  moran?: boolean;
  moranSize: number;
  moranRuns: number;
  moranResidents?: string;
  selection: number;
}

/** Residents of the Moran process when --moran-residents is not given (those that play). */
export const MORAN_RESIDENTS = ['always-defect', 'tit-for-tat', 'win-stay-lose-shift', 'grim-trigger', 'always-cooperate'];

export function registerStrangerCommands(agents: Command, action: ActionFactory): void {
  agents
    .command('population')
    .description(
      'the generated co-player population as a pool file: random FSM tables (1–6 states), memory-1/2 tables, ZD extortioners and generous ZD, ' +
        'mid-episode switchers, noisy variants; one strategy per generator seed, splits are disjoint seed blocks (docs/POOL.md)',
    )
    .option('--split <s>', `split: ${SPLITS.join(', ')} (default test)`, split, 'test' as Split)
    .option('--count <n>', 'strategies (default 200)', int, 200)
    .option('-o, --out <file.json>', 'write the pool file here (default: print it)')
    .action(
      action((ctx: CliContext, flags: PopulationFlags) => {
        const spec = populationSpec(flags.split, flags.count);
        const text = JSON.stringify(spec, null, 1) + '\n';
        if (!flags.out) return void ctx.stdout.write(text);
        writeFileSync(resolve(flags.out), text);
        const families: Record<string, number> = {};
        for (const s of spec.styles) families[s.group] = (families[s.group] ?? 0) + 1;
        emit(ctx, { file: resolve(flags.out), split: flags.split, count: flags.count, families }, () => `${flags.count} ${flags.split} strategies → ${resolve(flags.out!)} (${Object.entries(families).map(([k, v]) => `${k} ${v}`).join(', ')})`);
      }),
    );

  agents
    .command('optimum')
    .argument('[ckpts...]', 'checkpoint folders or shipped names (default: every shipped checkpoint)')
    .description(
      "each agent's payoff against strangers as a fraction of the exact best response, (payoff − worst) / (best − worst) by dynamic programming, " +
        'next to tit-for-tat and win-stay-lose-shift (exact) and a Bayesian-posterior baseline over the training population; ' +
        'against the generated test split (default) or a pool file',
    )
    .option('--split <s>', `generated split to evaluate on: ${SPLITS.join(', ')} (default test)`, split, 'test' as Split)
    .option('--count <n>', 'strategies of the split (default 200)', int, 200)
    .option('--pool <file.json>', 'evaluate against this pool file instead (e.g. FSM tables from papers; styles with random timers are skipped)')
    .option('--train-count <n>', "Bayesian baseline: training strategies in its prior (default 200)", int, 200)
    .option('--no-bayes', 'leave out the Bayesian-posterior baseline')
    .option('--episodes <n>', 'sampled episodes per strategy for played-out agents (default 10)', int, 10)
    .option('--horizon <n>', 'rounds per episode (default 100)', int, 100)
    .option('--seed <n>', 'seed (default 12345)', int, 12345)
    .option('--tolerance <x>', '"≥ tit-for-tat" means fraction ≥ TFT − tolerance (default 0.01)', float, 0.01)
    .option('--per-style', 'also print the fraction per strategy')
    .addHelpText('after', '\nExamples:\n  thoughtlens agents optimum\n  thoughtlens agents optimum gru-planner --pool papers.json --per-style\n  thoughtlens agents optimum --pool examples/pools/literature.json   (30 published strategies, docs/POOL.md)\n')
    .action(
      action((ctx: CliContext, refs: string[], flags: OptimumFlags) => {
        const styles = flags.pool ? loadPool(flags.pool).styles : populationPool(flags.split, flags.count).styles;
        const players: OptimumPlayer[] = agentRefs(refs).map((a) => ({ name: a.name, model: a.make(), identity: a.identity }));
        if (flags.bayes) players.push({ name: BAYES_NAME, model: new BayesAgent(populationPool('train', flags.trainCount).styles, { horizon: flags.horizon }) });
        // results are keyed by name: two checkpoints both named e.g. 'gru-planner' would be merged
        const seen = new Set<string>();
        for (const p of players) {
          if (seen.has(p.name)) throw new UsageError(`two players are named '${p.name}' (a checkpoint's name is in its config.json; rename one)`);
          seen.add(p.name);
        }
        const r = evaluateOptimum(players, styles, { horizon: flags.horizon, episodes: flags.episodes, seed: flags.seed, tolerance: flags.tolerance });
        const against = flags.pool ? `pool ${flags.pool}` : `${flags.count} ${flags.split} strategies (generator seeds)`;
        emit(ctx, { against, ...r }, () =>
          [
            `against ${against}: ${r.styles} with an exact optimum${r.skipped.length ? `, ${r.skipped.length} skipped (${r.skipped.map((s) => s.style).join(', ')})` : ''}; ${r.horizon} rounds; fraction = (payoff − worst) / (best − worst)`,
            table(
              ['player', 'mean fraction [95% CI]', 'median', `≥ TFT − ${r.tolerance} on`, 'payoff/round', 'how'],
              r.players.map((p) => [p.name, `${p.meanFraction.estimate.toFixed(3)} [${p.meanFraction.lo.toFixed(3)}, ${p.meanFraction.hi.toFixed(3)}]`, p.medianFraction.toFixed(3), `${(100 * p.atLeastTft.estimate).toFixed(1)}%`, p.payoffPerRound.toFixed(3), p.exact ? 'exact' : `${r.episodes} episodes`]),
            ),
            ...(flags.perStyle
              ? ['', table(['strategy', 'group', 'best/round', ...r.players.map((p) => p.name)], r.results.map((x) => [x.style, x.group, (x.best / r.horizon).toFixed(2), ...r.players.map((p) => (x.fraction[p.name] ?? NaN).toFixed(2))]))]
              : []),
          ].join('\n'),
        );
      }),
    );

  agents
    .command('tournament')
    .argument('[ckpts...]', 'agents: checkpoint folders or shipped names (default: every shipped checkpoint)')
    .description(
      'Axelrod-style round robin among the agents and a strategy set: rank, median score, cooperation rating, CC/CD/DC/DD rates, wins; ' +
        'plus an ecological (replicator) run and invasion runs, and with --moran a finite-population Moran process (fixation probabilities); report.json, standings.csv, report.md, report.html',
    )
    .option('--pool <file.json>', 'strategy set (default: the shipped pool)')
    .option('--population <split:count>', 'also enter generated strategies, e.g. test:20')
    .option('--turns <n>', 'rounds per match (default 200)', int, 200)
    .option('--repetitions <n>', 'matches per pair (default 10)', int, 10)
    .option('--noise <p>', 'probability that any move is flipped (default 0)', float, 0)
    .option('--seed <n>', 'seed (default 1)', int, 1)
    .option('--generations <n>', 'ecological run length (default 1000)', int, 1000)
    .option('--train-count <n>', 'Bayesian baseline: training strategies in its prior (default 200)', int, 200)
    .option('--no-bayes', 'leave out the Bayesian-posterior baseline')
    .option('-o, --out <dir>', 'report folder (default <workspace>/tournament)')
    .option('--formats <list>', `comma list of ${TOURNAMENT_FORMATS.join(', ')} (default all)`, TOURNAMENT_FORMATS.join(','))
    .option('--moran', 'also run a Moran process on the payoff matrix: the probability that one agent among N − 1 residents takes over, and one resident among N − 1 copies of the agent (exact and simulated)')
    .option('--moran-size <n>', 'Moran: population size N (default 20)', int, 20)
    .option('--moran-runs <n>', 'Moran: simulated runs per pair (default 1000)', int, 1000)
    .option('--moran-residents <list>', `Moran: comma list of resident players (default: those of ${MORAN_RESIDENTS.join(', ')} that play)`)
    .option('--selection <w>', 'Moran: intensity of selection in [0, 1]; fitness = 1 − w + w·(payoff + 1) (default 1)', float, 1)
    .addHelpText(
      'after',
      '\nExamples:\n  thoughtlens agents tournament --out report\n  thoughtlens agents tournament gru-planner --pool papers.json --noise 0.05 --repetitions 20\n  thoughtlens agents tournament --moran --moran-size 20 --moran-residents always-defect,tit-for-tat --out report\n',
    )
    .action(
      action((ctx: CliContext, refs: string[], flags: TournamentFlags) => {
        const formats = parseFormats(flags.formats);
        if (!(flags.noise >= 0 && flags.noise <= 0.5)) throw new UsageError(`--noise must be in [0, 0.5], got ${flags.noise}`);
        if (flags.moran && !(flags.moranSize >= 2)) throw new UsageError(`--moran-size must be at least 2, got ${flags.moranSize}`);
        if (flags.moran && !(flags.moranRuns >= 1)) throw new UsageError(`--moran-runs must be at least 1, got ${flags.moranRuns}`);
        if (flags.moran && !(flags.selection >= 0 && flags.selection <= 1)) throw new UsageError(`--selection must be in [0, 1], got ${flags.selection}`);
        const pool = loadPool(flags.pool);
        const strategies: CompiledStyle[] = [...pool.styles];
        if (flags.population) {
          const [s, c] = flags.population.split(':');
          if (!(SPLITS as readonly string[]).includes(s ?? '') || !Number.isInteger(Number(c)) || Number(c) < 1) throw new UsageError(`--population must be <split>:<count> with split one of ${SPLITS.join(', ')}, got '${flags.population}'`);
          strategies.push(...populationPool(s as Split, Number(c)).styles);
        }
        const sources: Record<string, string> = {};
        const players: TournamentPlayer[] = agentRefs(refs).map((a) => ((sources[a.name] = a.source), { name: a.name, kind: 'agent', make: a.make, identity: a.identity }));
        if (flags.bayes) {
          const prior = populationPool('train', flags.trainCount).styles;
          sources[BAYES_NAME] = `baseline: posterior over ${flags.trainCount} training strategies, QMDP`;
          players.push({ name: BAYES_NAME, kind: 'agent', make: () => new BayesAgent(prior, { horizon: flags.turns }) });
        }
        strategies.forEach((st, i) => {
          sources[st.name] = flags.pool ?? 'default pool';
          players.push({ name: st.name, kind: 'strategy', make: () => new MachineAgent(compileStyle(st.spec), flags.seed * 1000 + i) });
        });
        const names = new Set<string>();
        for (const p of players) {
          if (names.has(p.name)) throw new UsageError(`two players are named '${p.name}'`);
          names.add(p.name);
        }
        const residents = flags.moran ? moranResidents(flags.moranResidents, names) : [];
        const t = runTournament(players, { turns: flags.turns, repetitions: flags.repetitions, noise: flags.noise, seed: flags.seed });
        const eco = ecology(t, players, { generations: flags.generations });
        const invaders = players.filter((p) => p.kind === 'agent').map((p) => p.name);
        const mor = flags.moran ? moran(t, invaders, residents, { size: flags.moranSize, runs: flags.moranRuns, selection: flags.selection, seed: flags.seed }) : undefined;
        const report: TournamentReport = {
          schema: 'thoughtlens-tournament',
          version: 1,
          createdAt: new Date().toISOString(),
          sources,
          payoffs: { T, R, P, S },
          tournament: t,
          ecology: eco,
          ...(mor ? { moran: mor } : {}),
        };
        const outDir = resolve(flags.out ?? join(ctx.workspace, 'tournament'));
        const files = writeTournamentReport(outDir, report, formats);
        emit(ctx, { files, standings: t.standings, invasions: eco.invasions, ...(mor ? { moran: mor } : {}) }, () =>
          [
            `${players.length} players, ${t.turns} turns × ${t.repetitions} repetitions, noise ${t.noise}, seed ${t.seed}`,
            table(
              ['rank', 'player', 'kind', 'median', 'coop', 'CC', 'CD', 'DC', 'DD', 'wins'],
              t.standings.map((s) => [s.rank, s.name, s.kind, s.medianScore.toFixed(3), s.cooperationRating.toFixed(2), s.CC.toFixed(2), s.CD.toFixed(2), s.DC.toFixed(2), s.DD.toFixed(2), s.wins]),
            ),
            `invasion from 1% over ${eco.generations} generations: ${eco.invasions.map((v) => `${v.player} ${v.invades ? 'invades' : 'fails to invade'} (${v.final.toFixed(3)})`).join(', ')}`,
            ...(mor
              ? [
                  `Moran process: N = ${mor.size}, ${mor.runs} runs per pair, selection ${mor.selection}; ρ = P(one mutant takes over), neutral 1/N = ${mor.neutral.toFixed(3)}`,
                  table(
                    ['invader', 'resident', 'ρ invader sim [95% CI]', 'ρ invader exact', 'ρ resident back exact', 'selection'],
                    moranRows(mor),
                  ),
                ]
              : []),
            'files:',
            ...files.map((f) => `  ${f}`),
          ].join('\n'),
        );
      }),
    );
}

function moranResidents(list: string | undefined, names: ReadonlySet<string>): string[] {
  if (list === undefined) {
    const found = MORAN_RESIDENTS.filter((n) => names.has(n));
    if (found.length === 0) throw new UsageError(`--moran: none of the default residents (${MORAN_RESIDENTS.join(', ')}) plays; name some with --moran-residents`);
    return found;
  }
  const out = [...new Set(list.split(',').map((x) => x.trim()).filter(Boolean))];
  if (out.length === 0) throw new UsageError('--moran-residents names no player');
  for (const n of out) if (!names.has(n)) throw new UsageError(`--moran-residents: '${n}' is not a player of this tournament (players: ${[...names].join(', ')})`);
  return out;
}

function parseFormats(s: string): TournamentFormat[] {
  const out = s.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean);
  for (const f of out) if (!(TOURNAMENT_FORMATS as readonly string[]).includes(f)) throw new UsageError(`unknown report format '${f}' (formats: ${TOURNAMENT_FORMATS.join(', ')})`);
  if (out.length === 0) throw new UsageError(`no report format given (formats: ${TOURNAMENT_FORMATS.join(', ')})`);
  return [...new Set(out)] as TournamentFormat[];
}


