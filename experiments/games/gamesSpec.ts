// The spec of a reasoning-style experiment (`"kind": "games"`, docs/EXPERIMENTS.md): one
// in-context agent per seed trained across the games against the training members of the
// three co-player families, evaluated per game × family against the held-out members, with
// the style probes against the counting baselines. The conditions are the co-player families
// (minimax, trust, level-k) — fixed, since the probes classify all three. Validation is
// complete before the runner writes anything; errors name the field.
import { ThoughtlensError } from '../../data/index.js';
import { GAME_NAMES, resolveGameAgentConfig, type GameAgentConfig } from '../../agents/games/index.js';
import { ExperimentSpecError } from '../errors.js';
import { fields, NAME, posInt } from '../experimentSpec.js';

export interface GamesEvaluateSpec {
  /** Episodes per held-out (and per training) co-player in the evaluation and the probes. */
  episodesPerCoPlayer: number;
  /** Rounds at which the probes read the agent's state (each below the agent's steps). */
  probeRounds: number[];
}

export interface ResolvedGamesSpec {
  kind: 'games';
  name: string;
  description: string;
  seeds: number[];
  /** The game agent's config without its seed (which comes from `seeds`). */
  agent: Readonly<Omit<GameAgentConfig, 'seed'>>;
  evaluate: GamesEvaluateSpec;
}

export const DEFAULT_GAMES_EVALUATE: Readonly<GamesEvaluateSpec> = Object.freeze({ episodesPerCoPlayer: 50, probeRounds: [1, 2, 3, 5, 10, 19] });

const TOP = ['kind', 'name', 'description', 'seeds', 'agent', 'evaluate'];

export function resolveGamesSpec(raw: unknown): ResolvedGamesSpec {
  const s = fields(raw, TOP, 'spec');
  if (s.kind !== 'games') throw new ExperimentSpecError(`spec field 'kind' must be 'games' here, got ${JSON.stringify(s.kind)}`);
  if (typeof s.name !== 'string' || !NAME.test(s.name)) throw new ExperimentSpecError(`spec field 'name' must be a name of letters, digits, '.', '_' or '-', got ${JSON.stringify(s.name)}`);
  if (s.description !== undefined && typeof s.description !== 'string') throw new ExperimentSpecError(`spec field 'description' must be a string`);
  if (!Array.isArray(s.seeds) || s.seeds.length === 0) throw new ExperimentSpecError(`spec field 'seeds' is missing or empty: give at least one seed, e.g. [1, 2, 3]`);
  const seeds = s.seeds.map((x, i) => posInt(x, `seeds[${i}]`, 0));
  if (new Set(seeds).size !== seeds.length) throw new ExperimentSpecError(`spec field 'seeds' repeats a seed`);
  const a = s.agent === undefined ? {} : fields(s.agent, Object.keys(resolveGameAgentConfig()), 'agent');
  if ('seed' in a) throw new ExperimentSpecError(`agent: the agent's seed comes from 'seeds', not from 'agent.seed'`);
  let agent: Readonly<Omit<GameAgentConfig, 'seed'>>;
  try {
    const { seed: _seed, ...rest } = resolveGameAgentConfig(a as Partial<GameAgentConfig>);
    agent = Object.freeze(rest);
  } catch (err) {
    if (err instanceof ThoughtlensError) throw new ExperimentSpecError(`agent: ${err.message.replace(/^games agent field/, 'field')} (games: ${GAME_NAMES.join(', ')})`);
    throw err;
  }
  const ev = s.evaluate === undefined ? {} : fields(s.evaluate, Object.keys(DEFAULT_GAMES_EVALUATE), 'evaluate');
  const episodesPerCoPlayer = ev.episodesPerCoPlayer === undefined ? DEFAULT_GAMES_EVALUATE.episodesPerCoPlayer : posInt(ev.episodesPerCoPlayer, 'evaluate.episodesPerCoPlayer', 2);
  let probeRounds = [...DEFAULT_GAMES_EVALUATE.probeRounds].filter((r) => r < agent.steps);
  if (ev.probeRounds !== undefined) {
    if (!Array.isArray(ev.probeRounds) || ev.probeRounds.length === 0) throw new ExperimentSpecError(`evaluate.probeRounds must list at least one round`);
    probeRounds = ev.probeRounds.map((r, i) => posInt(r, `evaluate.probeRounds[${i}]`, 1));
  }
  if (probeRounds.length === 0) throw new ExperimentSpecError(`evaluate.probeRounds: no default round is below agent.steps (${agent.steps}); list rounds explicitly`);
  for (const r of probeRounds) if (r >= agent.steps) throw new ExperimentSpecError(`evaluate.probeRounds: round ${r} must be below agent.steps (${agent.steps})`);
  if (probeRounds.some((r, i) => i > 0 && r <= probeRounds[i - 1]!)) {
    throw new ExperimentSpecError(`evaluate.probeRounds must be increasing without repeats, got ${JSON.stringify(probeRounds)}`);
  }
  return { kind: 'games', name: s.name, description: (s.description as string | undefined) ?? '', seeds, agent, evaluate: { episodesPerCoPlayer, probeRounds } };
}
