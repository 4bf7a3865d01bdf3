// The report of a reasoning-style experiment: per game × co-player family the agent's fraction
// of the exact optimum, best-response rate and move shares against the held-out members, beside
// a random player and the agent against the training members; the same by family and by game;
// the style probes per round against the counting baselines and the Bayes ceiling (overall and
// per game). Every figure is the mean over seeds with a 95% t-interval (util/tInterval.ts): the
// seed is the replicate (each trains its own agent).
import { GAMES, STYLE_FAMILIES, type GameAgentConfig, type ProbeRound } from '../../agents/games/index.js';
import { tInterval, type TInterval } from '../../util/tInterval.js';
import type { GamesCell } from './runGamesExperiment.js';
import type { ResolvedGamesSpec } from './gamesSpec.js';

export interface GamesStyleRow {
  game: string;
  family: string;
  fraction: TInterval;
  bestRate: TInterval;
  move1First: TInterval;
  move1: TInterval;
  randomFraction: TInterval;
  trainMembersFraction: TInterval;
}

export const PROBE_COLUMNS = ['trained', 'random', 'counts', 'ngram', 'marginOverCounts', 'ngramPlusTrained', 'bayes'] as const;
export type ProbeColumn = (typeof PROBE_COLUMNS)[number];
export const PROBE_LABELS: Record<ProbeColumn, string> = {
  trained: 'trained GRU',
  random: 'random-init GRU',
  counts: 'outcome counts',
  ngram: 'n-grams (1–2 + last)',
  marginOverCounts: 'margin over best counting baseline',
  ngramPlusTrained: 'n-grams + trained state',
  bayes: 'Bayes ceiling (true machines)',
};

export interface GamesProbeRow extends Record<ProbeColumn, TInterval> {
  round: number;
}

export interface GamesProbeGameRow {
  round: number;
  game: string;
  trained: TInterval;
  counts: TInterval;
  ngram: TInterval;
  bayes: TInterval;
}

export interface GamesReport {
  kind: 'games';
  name: string;
  description: string;
  seeds: number[];
  agent: Omit<GameAgentConfig, 'seed'>;
  evaluate: ResolvedGamesSpec['evaluate'];
  /** true: the network predicts the co-player's move and the episodes are a random player's. */
  predictor: boolean;
  cells: GamesStyleRow[];
  byFamily: { family: string; fraction: TInterval }[];
  byGame: { game: string; fraction: TInterval }[];
  probes: GamesProbeRow[];
  probesPerGame: GamesProbeGameRow[];
  timing: { trainSeconds: TInterval; evalSeconds: TInterval; probeSeconds: TInterval };
  seconds: number;
  command: string;
  createdAt: string;
}

const mean = (xs: readonly number[]): number => {
  const ok = xs.filter(Number.isFinite);
  return ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : NaN;
};

export function buildGamesReport(spec: ResolvedGamesSpec, cells: readonly GamesCell[], o: { seconds: number; command: string }): GamesReport {
  const bySeed = spec.seeds.map((s) => cells.find((c) => c.seed === s)).filter((c): c is GamesCell => c !== undefined);
  if (bySeed.length === 0) throw new Error('buildGamesReport: no cells');
  const first = bySeed[0]!;
  const rows = first.agent.map((c0, k): GamesStyleRow => {
    const col = (key: 'agent' | 'random' | 'trainMembers', f: 'fraction' | 'bestRate' | 'move1First' | 'move1'): TInterval => tInterval(bySeed.map((c) => c[key][k]![f]));
    return {
      game: c0.game,
      family: c0.family,
      fraction: col('agent', 'fraction'),
      bestRate: col('agent', 'bestRate'),
      move1First: col('agent', 'move1First'),
      move1: col('agent', 'move1'),
      randomFraction: col('random', 'fraction'),
      trainMembersFraction: col('trainMembers', 'fraction'),
    };
  });
  const games = GAMES.map((g) => g.name).filter((g) => first.agent.some((c) => c.game === g));
  const byFamily = STYLE_FAMILIES.map((family) => ({ family, fraction: tInterval(bySeed.map((c) => mean(c.agent.filter((x) => x.family === family).map((x) => x.fraction)))) }));
  const byGame = games.map((game) => ({ game, fraction: tInterval(bySeed.map((c) => mean(c.agent.filter((x) => x.game === game).map((x) => x.fraction)))) }));
  const probes = first.probes.map((p0, k): GamesProbeRow => {
    const row = { round: p0.round } as GamesProbeRow;
    for (const col of PROBE_COLUMNS) row[col] = tInterval(bySeed.map((c) => c.probes[k]![col] as number));
    return row;
  });
  const probesPerGame = first.probes.flatMap((p0, k) =>
    games.map((game): GamesProbeGameRow => {
      const f = (col: keyof ProbeRound['perGame'][string]): TInterval => tInterval(bySeed.map((c) => c.probes[k]!.perGame[game]?.[col] ?? NaN));
      return { round: p0.round, game, trained: f('trained'), counts: f('counts'), ngram: f('ngram'), bayes: f('bayes') };
    }),
  );
  return {
    kind: 'games',
    name: spec.name,
    description: spec.description,
    seeds: bySeed.map((c) => c.seed),
    agent: spec.agent,
    evaluate: spec.evaluate,
    predictor: spec.agent.target === 'co-player-move',
    cells: rows,
    byFamily,
    byGame,
    probes,
    probesPerGame,
    timing: {
      trainSeconds: tInterval(bySeed.map((c) => c.trainSeconds)),
      evalSeconds: tInterval(bySeed.map((c) => c.evalSeconds)),
      probeSeconds: tInterval(bySeed.map((c) => c.probeSeconds)),
    },
    seconds: o.seconds,
    command: o.command,
    createdAt: new Date().toISOString(),
  };
}
