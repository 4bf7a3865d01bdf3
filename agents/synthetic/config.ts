// Configuration of the synthetic paired-agent source: the user's input (`SyntheticConfig`,
// every field optional) and its validated, defaulted, frozen form. Errors name the field.
import { ID_PATTERN } from '../../data/index.js';
import { checkKeys, deepFreeze, int, isObject, num, obj, show } from './configChecks.js';
import { SyntheticConfigError } from './errors.js';
import { DEFAULT_FAMILY, syntheticFamily } from './families/registry.js';

export interface SyntheticAgentConfig {
  id: string;
  /** Hidden size d of this agent (default: `hiddenSize` of the config, 64). */
  hiddenSize?: number;
  /** Inner-layer width of this agent's mixing (default: `mixing.width`, else min(d, max(32, 4·thoughts))). */
  width?: number;
}

/** A group of latent thoughts and the agents that hold (their own copy of) them. */
export interface ThoughtGroupConfig {
  name: string;
  agents: readonly string[];
  size: number;
}

export interface ThoughtProcessConfig {
  /** Stationary probability that a thought is active at a step (default 0.1). */
  sparsity?: number;
  /** Mean length of an active run in steps (default 8): on→off probability is 1/persistence. */
  persistence?: number;
  /** AR(1) coefficient of the log-magnitude from step to step (default 0.9). */
  smoothness?: number;
  /** Standard deviation of the log-magnitude (default 0.3): active value = exp(spread·u). */
  spread?: number;
}

export interface MixingConfig {
  /** Number of (linear map + invertible nonlinearity) layers, ≥ 1 (default 2). */
  depth?: number;
  /** Width of the inner layers (default per agent: min(hidden size, max(32, 4 × its thought count))). */
  width?: number | null;
  /** Standard deviation of Gaussian noise added to every hidden element (default 0.02). */
  noise?: number;
  /** Largest condition number of a layer's linear map (default 3). */
  condition?: number;
  /** Slope α of the leaky tanh φ(u) = tanh(u) + α·u (default 0.2); φ' ≥ α keeps it invertible. */
  slope?: number;
  /** RMS of every layer's pre-activations on typical thoughts (default 1): larger is more nonlinear. */
  scale?: number;
}

export interface ConflictConfig {
  /** Fraction of episodes with one planted conflict (default 0.25; 0 when no conflict setting is given and none fits). */
  fraction?: number;
  /** Inclusive range of onset steps (default [steps/4, steps/2], clipped so onset + lag fits). */
  onset?: readonly [number, number];
  /** The agent whose copy drifts (default: drawn per conflict among eligible agents). */
  agent?: string | null;
  /** How many shared thoughts drift (default 2). */
  thoughts?: number;
  /** Drift added per step to each drifting thought's copy (default 0.05). */
  speed?: number;
  /** Largest drift (default 2). */
  maxDrift?: number;
  /** Behavioural lag L: actions differ exactly L steps after onset (default min(10, steps − 2)). */
  lag?: number;
}

/** A generator family and its own parameters (families/; e.g. `{ name: 'recurrent', params: { leak: 0.4 } }`). */
export interface SyntheticFamilyConfig {
  name: string;
  params?: Record<string, number>;
}

export interface SyntheticConfig {
  /** Generator family: a name, or a name with parameters (default 'mixing'). */
  family?: string | SyntheticFamilyConfig;
  /** Agent ids, or ids with hidden sizes (default A, B). */
  agents?: readonly (string | SyntheticAgentConfig)[];
  /** Hidden size of agents that do not name one (default 64). */
  hiddenSize?: number;
  /** Sharing structure (default: one group shared by all agents plus a private group each). */
  groups?: readonly ThoughtGroupConfig[];
  /** Size of the default all-shared group when `groups` is not given (default 8). */
  shared?: number;
  /** Size of each default private group when `groups` is not given (default 4). */
  private?: number;
  episodes?: number;
  steps?: number;
  thoughts?: ThoughtProcessConfig;
  mixing?: MixingConfig;
  conflicts?: ConflictConfig;
  seed?: number;
}

export interface ResolvedSyntheticAgent {
  readonly id: string;
  readonly hiddenSize: number;
  /** Inner-layer width of this agent's mixing network. */
  readonly width: number;
}

export interface ResolvedThoughtGroup {
  readonly name: string;
  readonly agents: readonly string[];
  readonly size: number;
}

export interface ResolvedSyntheticConfig {
  readonly family: Readonly<{ name: string; params: Readonly<Record<string, number>> }>;
  readonly agents: readonly ResolvedSyntheticAgent[];
  readonly groups: readonly ResolvedThoughtGroup[];
  readonly episodes: number;
  readonly steps: number;
  readonly thoughts: Readonly<Required<ThoughtProcessConfig>>;
  readonly mixing: Readonly<{ depth: number; width: number | null; noise: number; condition: number; slope: number; scale: number }>;
  readonly conflicts: Readonly<{
    fraction: number;
    onset: readonly [number, number];
    agent: string | null;
    thoughts: number;
    speed: number;
    maxDrift: number;
    lag: number;
  }>;
  readonly seed: number;
}

export const SYNTHETIC_DEFAULTS = {
  agents: ['A', 'B'],
  hiddenSize: 64,
  shared: 8,
  private: 4,
  episodes: 64,
  steps: 200,
  thoughts: { sparsity: 0.1, persistence: 8, smoothness: 0.9, spread: 0.3 },
  mixing: { depth: 2, noise: 0.02, condition: 3, slope: 0.2, scale: 1 },
  conflicts: { fraction: 0.25, thoughts: 2, speed: 0.05, maxDrift: 2, lag: 10 },
  seed: 0,
} as const;

const TOP_KEYS = ['family', 'agents', 'hiddenSize', 'groups', 'shared', 'private', 'episodes', 'steps', 'thoughts', 'mixing', 'conflicts', 'seed'];
const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_THOUGHTS = 4096;

export function resolveSyntheticConfig(input: SyntheticConfig = {}): ResolvedSyntheticConfig {
  if (!isObject(input)) throw new SyntheticConfigError('(root)', 'must be an object');
  checkKeys(input, TOP_KEYS, '');
  const D = SYNTHETIC_DEFAULTS;
  const hiddenSize = int(input.hiddenSize ?? D.hiddenSize, 'hiddenSize', 1, 1 << 16);
  const episodes = int(input.episodes ?? D.episodes, 'episodes', 1, 1 << 24);
  const steps = int(input.steps ?? D.steps, 'steps', 2, 1 << 24);
  if (episodes * steps > 2 ** 31 - 1) throw new SyntheticConfigError('episodes', `× steps must stay below 2^31 rows`);
  const seed = int(input.seed ?? D.seed, 'seed', 0, 2 ** 32 - 1);

  // Thought process.
  const th = obj(input.thoughts, 'thoughts', ['sparsity', 'persistence', 'smoothness', 'spread']);
  const sparsity = num(th.sparsity ?? D.thoughts.sparsity, 'thoughts.sparsity', 0, 1, 'open');
  const persistence = num(th.persistence ?? D.thoughts.persistence, 'thoughts.persistence', 1, 1e6);
  if ((sparsity * (1 / persistence)) / (1 - sparsity) > 1) {
    throw new SyntheticConfigError(
      'thoughts.sparsity',
      `${sparsity} cannot be reached with persistence ${persistence}: need sparsity ≤ ${(persistence / (persistence + 1)).toFixed(3)}`,
    );
  }
  const smoothness = num(th.smoothness ?? D.thoughts.smoothness, 'thoughts.smoothness', 0, 1, 'right-open');
  const spread = num(th.spread ?? D.thoughts.spread, 'thoughts.spread', 0, 5);

  // Family (its parameters may depend on the thought process).
  const rawFamily = input.family ?? DEFAULT_FAMILY;
  const famSpec = typeof rawFamily === 'string' ? { name: rawFamily } : rawFamily;
  if (!isObject(famSpec) || typeof famSpec.name !== 'string') throw new SyntheticConfigError('family', `must be a family name or {name, params}, got ${show(rawFamily)}`);
  checkKeys(famSpec, ['name', 'params'], 'family.');
  const fam = syntheticFamily(famSpec.name);
  const famParams = fam.resolveParams(obj(famSpec.params, 'family.params', Object.keys(fam.params)), { sparsity, persistence, smoothness, spread });

  // Mixing.
  const mx = obj(input.mixing, 'mixing', ['depth', 'width', 'noise', 'condition', 'slope', 'scale']);
  const depth = int(mx.depth ?? D.mixing.depth, 'mixing.depth', 1, 16);
  const width = mx.width === undefined || mx.width === null ? null : int(mx.width, 'mixing.width', 1, 1 << 16);
  const noise = num(mx.noise ?? D.mixing.noise, 'mixing.noise', 0, 1e6);
  const condition = num(mx.condition ?? D.mixing.condition, 'mixing.condition', 1, 1e6);
  const slope = num(mx.slope ?? D.mixing.slope, 'mixing.slope', 0, 10, 'left-open');
  const scale = num(mx.scale ?? D.mixing.scale, 'mixing.scale', 0, 100, 'left-open');

  // Agents.
  const rawAgents = input.agents ?? D.agents;
  if (!Array.isArray(rawAgents) || rawAgents.length < 1) throw new SyntheticConfigError('agents', 'must be a non-empty array');
  const agents: { id: string; hiddenSize: number; width: number }[] = [];
  rawAgents.forEach((a, i) => {
    const field = `agents[${i}]`;
    const spec: SyntheticAgentConfig = typeof a === 'string' ? { id: a } : a;
    if (!isObject(spec)) throw new SyntheticConfigError(field, 'must be an id or {id, hiddenSize}');
    checkKeys(spec, ['id', 'hiddenSize', 'width'], `${field}.`);
    if (typeof spec.id !== 'string' || !ID_PATTERN.test(spec.id)) {
      throw new SyntheticConfigError(`${field}.id`, `must match ${ID_PATTERN}, got ${show(spec.id)}`);
    }
    if (agents.some((x) => x.id === spec.id)) throw new SyntheticConfigError(`${field}.id`, `duplicates agent '${spec.id}'`);
    const fallback = input.hiddenSize === undefined && fam.defaultHiddenSize ? fam.defaultHiddenSize(i) : hiddenSize;
    const d = spec.hiddenSize === undefined ? fallback : int(spec.hiddenSize, `${field}.hiddenSize`, 1, 1 << 16);
    // Width 0 = not given yet: defaulted below, once the agent's thought count is known.
    const w = spec.width === undefined ? (width ?? 0) : int(spec.width, `${field}.width`, 1, 1 << 16);
    agents.push({ id: spec.id, hiddenSize: d, width: w });
  });
  const ids = agents.map((a) => a.id);

  // Groups.
  let groups: ResolvedThoughtGroup[];
  if (input.groups !== undefined) {
    if (input.shared !== undefined || input.private !== undefined) {
      throw new SyntheticConfigError('groups', 'cannot be combined with shared/private (groups names every size)');
    }
    if (!Array.isArray(input.groups) || input.groups.length < 1) throw new SyntheticConfigError('groups', 'must be a non-empty array');
    groups = input.groups.map((g, i) => {
      const field = `groups[${i}]`;
      if (!isObject(g)) throw new SyntheticConfigError(field, 'must be {name, agents, size}');
      checkKeys(g, ['name', 'agents', 'size'], `${field}.`);
      if (typeof g.name !== 'string' || !GROUP_NAME.test(g.name)) {
        throw new SyntheticConfigError(`${field}.name`, `must match ${GROUP_NAME}, got ${show(g.name)}`);
      }
      if (!Array.isArray(g.agents) || g.agents.length < 1) throw new SyntheticConfigError(`${field}.agents`, 'must be a non-empty array of agent ids');
      const members = new Set<string>();
      for (const a of g.agents) {
        if (!ids.includes(a)) throw new SyntheticConfigError(`${field}.agents`, `names unknown agent ${show(a)} (agents: ${ids.join(', ')})`);
        if (members.has(a)) throw new SyntheticConfigError(`${field}.agents`, `lists agent '${a}' twice`);
        members.add(a);
      }
      const size = int(g.size, `${field}.size`, 1, MAX_THOUGHTS);
      // Members in agent order, so equal structures resolve equally.
      return { name: g.name, agents: ids.filter((id) => members.has(id)), size };
    });
    groups.forEach((g, i) => {
      const j = groups.findIndex((h) => h.name === g.name);
      if (j !== i) throw new SyntheticConfigError(`groups[${i}].name`, `duplicates group '${g.name}'`);
    });
  } else {
    const shared = int(input.shared ?? D.shared, 'shared', 0, MAX_THOUGHTS);
    const priv = int(input.private ?? D.private, 'private', 0, MAX_THOUGHTS);
    groups = [];
    if (shared > 0 && ids.length > 1) groups.push({ name: 'shared', agents: [...ids], size: shared });
    if (ids.length === 1 && shared > 0) groups.push({ name: `private-${ids[0]}`, agents: [...ids], size: shared + priv });
    else if (priv > 0) for (const id of ids) groups.push({ name: `private-${id}`, agents: [id], size: priv });
    if (groups.length === 0) throw new SyntheticConfigError('shared', 'and private are both 0: there are no thoughts');
  }
  const total = groups.reduce((s, g) => s + g.size, 0);
  if (total > MAX_THOUGHTS) throw new SyntheticConfigError('groups', `hold ${total} thoughts; at most ${MAX_THOUGHTS}`);
  for (const a of agents) {
    const k = groups.filter((g) => g.agents.includes(a.id)).reduce((s, g) => s + g.size, 0);
    if (a.width === 0) a.width = defaultWidth(k, a.hiddenSize);
    if (k === 0) throw new SyntheticConfigError('groups', `give agent '${a.id}' no thoughts: every agent needs at least one group`);
    if (k > a.hiddenSize) {
      throw new SyntheticConfigError(
        'agents',
        `: agent '${a.id}' holds ${k} thoughts but has hidden size ${a.hiddenSize}; the mixing must be injective (thoughts ≤ hidden size)`,
      );
    }
    if (depth >= 2 && (a.width < k || a.width > a.hiddenSize)) {
      throw new SyntheticConfigError(
        'mixing.width',
        `(${a.width} for agent '${a.id}') does not fit: need thoughts (${k}) ≤ width ≤ hidden size (${a.hiddenSize}) for an injective mixing`,
      );
    }
  }

  // Conflicts.
  const cf = obj(input.conflicts, 'conflicts', ['fraction', 'onset', 'agent', 'thoughts', 'speed', 'maxDrift', 'lag']);
  const lag = int(cf.lag ?? Math.min(D.conflicts.lag, steps - 2), 'conflicts.lag', 0, steps);
  const nDrift = int(cf.thoughts ?? D.conflicts.thoughts, 'conflicts.thoughts', 1, MAX_THOUGHTS);
  const speed = num(cf.speed ?? D.conflicts.speed, 'conflicts.speed', 1e-3, 1e3);
  const maxDrift = num(cf.maxDrift ?? D.conflicts.maxDrift, 'conflicts.maxDrift', 0, 1e6, 'left-open');
  if (maxDrift < speed) throw new SyntheticConfigError('conflicts.maxDrift', `(${maxDrift}) must be ≥ conflicts.speed (${speed})`);
  const lastOnset = steps - 1 - lag;
  let onset: [number, number];
  if (cf.onset !== undefined) {
    if (!Array.isArray(cf.onset) || cf.onset.length !== 2) throw new SyntheticConfigError('conflicts.onset', 'must be [first, last] steps');
    const lo = int(cf.onset[0], 'conflicts.onset[0]', 1, steps - 1);
    const hi = int(cf.onset[1], 'conflicts.onset[1]', lo, steps - 1);
    onset = [lo, hi];
  } else {
    const lo = Math.max(1, Math.min(Math.floor(steps / 4), lastOnset));
    onset = [lo, Math.max(lo, Math.min(Math.floor(steps / 2), lastOnset))];
  }
  const eligibleGroup = (g: ResolvedThoughtGroup) => g.agents.length >= 2 && g.size >= nDrift;
  // With no conflict settings at all, plant conflicts only where they fit (a shared group large
  // enough, room for onset + lag); any explicit setting asks for them and gets the errors.
  const fits = Object.keys(cf).length > 0 || (groups.some(eligibleGroup) && lastOnset >= 1);
  const fraction = num(cf.fraction ?? (fits ? D.conflicts.fraction : 0), 'conflicts.fraction', 0, 1);
  const agent = cf.agent === undefined || cf.agent === null ? null : String(cf.agent);
  if (fraction > 0) {
    if (lastOnset < 1) {
      throw new SyntheticConfigError('conflicts.lag', `(${lag}) leaves no room for a conflict in ${steps} steps: need lag ≤ steps − 2`);
    }
    if (onset[1] > lastOnset) {
      throw new SyntheticConfigError(
        'conflicts.onset',
        `[${onset[0]}, ${onset[1]}] ends too late: onset + lag (${lag}) must be < steps (${steps}), so onset ≤ ${lastOnset}`,
      );
    }
    if (!groups.some(eligibleGroup)) {
      throw new SyntheticConfigError(
        'conflicts.thoughts',
        `(${nDrift}) needs a group shared by ≥ 2 agents with at least that many thoughts; none exists (set conflicts.fraction to 0 for no conflicts)`,
      );
    }
    if (agent !== null) {
      if (!ids.includes(agent)) throw new SyntheticConfigError('conflicts.agent', `names unknown agent '${agent}' (agents: ${ids.join(', ')})`);
      if (!groups.some((g) => eligibleGroup(g) && g.agents.includes(agent))) {
        throw new SyntheticConfigError('conflicts.agent', `'${agent}' is in no shared group with ≥ ${nDrift} thoughts`);
      }
    }
  }

  return deepFreeze({
    family: { name: fam.name, params: famParams },
    agents,
    groups,
    episodes,
    steps,
    thoughts: { sparsity, persistence, smoothness, spread },
    mixing: { depth, width, noise, condition, slope, scale },
    conflicts: { fraction, onset, agent, thoughts: nDrift, speed, maxDrift, lag },
    seed,
  });
}

/** Inner width when none is given: room for the nonlinearity without paying for d×d maps. */
export function defaultWidth(thoughts: number, hiddenSize: number): number {
  return Math.min(hiddenSize, Math.max(32, 4 * thoughts));
}
