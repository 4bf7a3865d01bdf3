// The experiment spec (docs/EXPERIMENTS.md): conditions × seeds. Each condition names how its
// agent is trained (burstiness: the arrangement of training contexts) and what its context
// holds at test time (a peer-memory prefix, a shuffled or truncated history). Validation is
// complete before the runner writes anything; errors name the field.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ThoughtlensError } from '../data/index.js';
import { HISTORY_TRANSFORMS, PEER_MEMORIES, resolveContextAgentConfig, type ContextAgentConfig, type HistoryTransform, type PeerPrefixSpec } from '../agents/context/index.js';
import { resolveSaeConfig, type SaeConfig } from '../sae/index.js';
import { ExperimentSpecError } from './errors.js';

export interface EvaluateSpec {
  /** Co-players from the population's test split (those with an exact optimum are used). */
  coPlayers: number;
  episodesPerCoPlayer: number;
  steps: number;
  resamples: number;
}

export interface ConditionSpec {
  name: string;
  /** Overrides of the shared agent config (e.g. { "context": "isolated" }). */
  agent?: Partial<Omit<ContextAgentConfig, 'seed'>>;
  prefix?: PeerPrefixSpec;
  history?: HistoryTransform;
}

/** Dictionary config across conditions (sae/ config without agents, which come from the runs). */
export type DictionarySpec = Omit<SaeConfig, 'agents'>;

/** Small, fast settings (sizes given, so no size probes; no witness seed); the spec's `dictionary` overrides them. */
export const DEFAULT_DICTIONARY: Readonly<DictionarySpec> = Object.freeze({ latents: 128, k: 8, steps: 400, batchSize: 256, witness: false });

export interface ExperimentSpec {
  name: string;
  description?: string;
  seeds: number[];
  agent?: Partial<Omit<ContextAgentConfig, 'seed'>>;
  evaluate?: Partial<EvaluateSpec>;
  /** The condition the others are compared with. */
  baseline: string;
  conditions: ConditionSpec[];
  /** The dictionary across conditions (overrides of DEFAULT_DICTIONARY), or false for none. */
  dictionary?: DictionarySpec | false;
}

export interface ResolvedCondition {
  name: string;
  agent: Readonly<Omit<ContextAgentConfig, 'seed'>>;
  prefix: PeerPrefixSpec | null;
  history: HistoryTransform | null;
}

export interface ResolvedExperimentSpec {
  name: string;
  description: string;
  seeds: number[];
  evaluate: EvaluateSpec;
  baseline: string;
  conditions: ResolvedCondition[];
  /** DEFAULT_DICTIONARY with the spec's overrides, or null (no representational shift). */
  dictionary: DictionarySpec | null;
}

export const DEFAULT_EVALUATE: Readonly<EvaluateSpec> = Object.freeze({ coPlayers: 60, episodesPerCoPlayer: 8, steps: 50, resamples: 1000 });

export const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const TOP = ['kind', 'name', 'description', 'seeds', 'agent', 'evaluate', 'baseline', 'conditions', 'dictionary'];
/** Spec kinds: 'context' (default; this file) and 'games' (games/gamesSpec.ts). */
export const EXPERIMENT_KINDS = ['context', 'games'] as const;
export type ExperimentKind = (typeof EXPERIMENT_KINDS)[number];
const COND = ['name', 'agent', 'prefix', 'history'];

export function fields(o: unknown, allowed: readonly string[], where: string): Record<string, unknown> {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new ExperimentSpecError(`${where} must be a JSON object`);
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw new ExperimentSpecError(`${where}: unknown field '${k}' (fields: ${allowed.join(', ')})`);
  return o as Record<string, unknown>;
}

export function posInt(v: unknown, where: string, min = 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ExperimentSpecError(`${where} must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
  return v;
}

function agentConfig(base: unknown, over: unknown, where: string): Readonly<Omit<ContextAgentConfig, 'seed'>> {
  const b = base === undefined ? {} : fields(base, Object.keys(resolveContextAgentConfig()), 'agent');
  const o = over === undefined ? {} : fields(over, Object.keys(resolveContextAgentConfig()), `${where}.agent`);
  if ('seed' in b || 'seed' in o) throw new ExperimentSpecError(`${where}: the agent's seed comes from 'seeds', not from 'agent.seed'`);
  try {
    const { seed: _seed, ...rest } = resolveContextAgentConfig({ ...b, ...o } as Partial<ContextAgentConfig>);
    return Object.freeze(rest);
  } catch (err) {
    if (err instanceof ThoughtlensError) throw new ExperimentSpecError(`${where}: ${err.message}`);
    throw err;
  }
}

export function resolveExperimentSpec(raw: unknown): ResolvedExperimentSpec {
  const s = fields(raw, TOP, 'spec');
  if (s.kind !== undefined && s.kind !== 'context') {
    throw new ExperimentSpecError(`spec field 'kind' must be one of ${EXPERIMENT_KINDS.join(', ')} (this reader takes 'context'), got ${JSON.stringify(s.kind)}`);
  }
  if (typeof s.name !== 'string' || !NAME.test(s.name)) throw new ExperimentSpecError(`spec field 'name' must be a name of letters, digits, '.', '_' or '-', got ${JSON.stringify(s.name)}`);
  if (!Array.isArray(s.seeds) || s.seeds.length === 0) throw new ExperimentSpecError(`spec field 'seeds' is missing or empty: give at least one seed, e.g. [1, 2, 3]`);
  const seeds = s.seeds.map((x, i) => posInt(x, `seeds[${i}]`, 0));
  if (new Set(seeds).size !== seeds.length) throw new ExperimentSpecError(`spec field 'seeds' repeats a seed`);
  const ev = s.evaluate === undefined ? {} : fields(s.evaluate, Object.keys(DEFAULT_EVALUATE), 'evaluate');
  const evaluate: EvaluateSpec = { ...DEFAULT_EVALUATE };
  for (const k of Object.keys(DEFAULT_EVALUATE) as (keyof EvaluateSpec)[]) if (ev[k] !== undefined) evaluate[k] = posInt(ev[k], `evaluate.${k}`);
  if (!Array.isArray(s.conditions) || s.conditions.length === 0) throw new ExperimentSpecError(`spec field 'conditions' must list at least one condition`);
  const names = new Set<string>();
  const conditions = s.conditions.map((c, i): ResolvedCondition => {
    const where = `conditions[${i}]`;
    const f = fields(c, COND, where);
    if (typeof f.name !== 'string' || !NAME.test(f.name)) throw new ExperimentSpecError(`${where}.name must be a name of letters, digits, '.', '_' or '-', got ${JSON.stringify(f.name)}`);
    if (names.has(f.name)) throw new ExperimentSpecError(`${where}.name '${f.name}' is used twice`);
    names.add(f.name);
    const agent = agentConfig(s.agent, f.agent, where);
    let prefix: PeerPrefixSpec | null = null;
    if (f.prefix !== undefined) {
      const p = fields(f.prefix, ['memory', 'length', 'noise'], `${where}.prefix`);
      if (!PEER_MEMORIES.includes(p.memory as never)) throw new ExperimentSpecError(`${where}.prefix.memory must be one of ${PEER_MEMORIES.join(', ')}, got ${JSON.stringify(p.memory)}`);
      const noise = p.noise ?? 0.1;
      if (typeof noise !== 'number' || !(noise >= 0 && noise <= 1)) throw new ExperimentSpecError(`${where}.prefix.noise must be in [0, 1], got ${JSON.stringify(p.noise)}`);
      prefix = { memory: p.memory as PeerPrefixSpec['memory'], length: posInt(p.length, `${where}.prefix.length`), noise };
    }
    let history: HistoryTransform | null = null;
    if (f.history !== undefined) {
      const h = fields(f.history, ['at', 'transform', 'keep'], `${where}.history`);
      if (!HISTORY_TRANSFORMS.includes(h.transform as never)) throw new ExperimentSpecError(`${where}.history.transform must be one of ${HISTORY_TRANSFORMS.join(', ')}, got ${JSON.stringify(h.transform)}`);
      const at = posInt(h.at, `${where}.history.at`, 2);
      if (at >= evaluate.steps) throw new ExperimentSpecError(`${where}.history.at (${at}) must be below evaluate.steps (${evaluate.steps})`);
      history = { at, transform: h.transform as HistoryTransform['transform'], ...(h.keep !== undefined ? { keep: posInt(h.keep, `${where}.history.keep`) } : {}) };
    }
    return { name: f.name, agent, prefix, history };
  });
  if (typeof s.baseline !== 'string' || !names.has(s.baseline)) {
    throw new ExperimentSpecError(`spec field 'baseline' must name a condition (${[...names].join(', ')}), got ${JSON.stringify(s.baseline)}`);
  }
  if (s.description !== undefined && typeof s.description !== 'string') throw new ExperimentSpecError(`spec field 'description' must be a string`);
  let dictionary: DictionarySpec | null = null;
  if (s.dictionary !== false) {
    const d = s.dictionary === undefined ? {} : fields(s.dictionary, Object.keys(s.dictionary as object), 'dictionary');
    if ('agents' in d) throw new ExperimentSpecError(`spec field 'dictionary.agents': the agents come from the recorded runs`);
    dictionary = Object.freeze({ ...DEFAULT_DICTIONARY, ...(d as DictionarySpec) });
    try {
      resolveSaeConfig({ ...dictionary, agents: [{ id: 'agent', dim: 1 }, { id: 'unprimed', dim: 1 }] } as SaeConfig);
    } catch (err) {
      if (err instanceof ThoughtlensError) throw new ExperimentSpecError(`spec field 'dictionary': ${err.message}`);
      throw err;
    }
  }
  return { name: s.name, description: (s.description as string | undefined) ?? '', seeds, evaluate, baseline: s.baseline, conditions, dictionary };
}

/** Reads a spec file's JSON; a missing file or bad JSON is one line naming the file. */
export function readSpecFile(file: string): { path: string; raw: unknown } {
  const path = resolve(file);
  if (!existsSync(path)) throw new ExperimentSpecError(`spec file not found: ${path}`);
  try {
    return { path, raw: JSON.parse(readFileSync(path, 'utf8')) };
  } catch (err) {
    throw new ExperimentSpecError(`spec is not valid JSON: ${(err as Error).message}`, { file: path });
  }
}

/** Validates with `resolve`, naming the file in the error. */
export function resolveSpecFile<T>(path: string, raw: unknown, resolveRaw: (raw: unknown) => T): T {
  try {
    return resolveRaw(raw);
  } catch (err) {
    if (err instanceof ExperimentSpecError) throw new ExperimentSpecError(err.message, { file: path });
    throw err;
  }
}

/** Reads and validates a context-experiment spec file. */
export function loadExperimentSpec(file: string): ResolvedExperimentSpec {
  const { path, raw } = readSpecFile(file);
  return resolveSpecFile(path, raw, resolveExperimentSpec);
}
