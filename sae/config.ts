// The dictionary config: a union on `mode`, resolved (defaults applied, validated, frozen)
// by resolveSaeConfig(). Mode-specific fields are checked by the mode's entry in the
// registry (model/modes.ts); the common fields here.
import { ConfigError } from './errors.js';
import { BACKEND_NAMES, type BackendName } from './backend.js';
import { MATMUL_NAMES, type MatmulName } from './matmul.js';

export const SAE_MODES = ['batchtopk', 'l1', 'partitioned', 'jacobian'] as const;
export type SaeMode = (typeof SAE_MODES)[number];

export interface AgentDim {
  id: string;
  dim: number;
}

/** Settings of the split (split/split.ts, split/usageStats.ts); formulas in docs/SPLIT.md. */
export interface SplitThresholds {
  /** Effect floor: an agent uses a latent only if the latent explains at least this fraction of its residual energy on the latent's rows. */
  minExplained: number;
  /** …and clears the permutation null by this many standard deviations. */
  nullSigmas: number;
  /** Permutations of the null (rows re-paired to other episodes). */
  permutations: number;
  /** A latent firing on fewer sample rows than this is 'rare' (undecidable). */
  minActive: number;
  /** …or on fewer than this fraction of the sample rows. */
  rareFrequency: number;
  /**
   * …or whose activation comes from an effective number of episodes (participation ratio) below
   * this fraction of the median over the dictionary's latents (those with ≥ minActive rows):
   * evidence from a few episodes (e.g. a drift that happens in some episodes only) is too
   * little to decide who uses the latent.
   */
  minEpisodeSpread: number;
  /**
   * The same bar for a latent every agent uses (each clearing its own permutation null: twice
   * the evidence of one agent's use): this fraction of the median instead. Set on 17 runs of
   * eight generator families and checked on 10 fresh ones (docs/RESULTS.md, tenth session).
   */
  minEpisodeSpreadShared: number;
  /** A latent whose code the witness seed reproduces with |r| below this is 'rare' (not reproducible)… */
  minStability: number;
  /** …unless its own evidence is strong: it fires on at least this fraction of the sample rows… */
  strongFrequency: number;
  /** …and explains at least this fraction of some agent's residual on its rows. */
  strongExplained: number;
  /**
   * Also count a latent as reproduced when any witness latent, not only its one-to-one match,
   * correlates with it at ≥ minStability: the primary split one thing into two latents the
   * witness holds in one (a duplicate), so one of the two has no match of its own.
   */
  reproducedByAny: boolean;
  /** A private latent whose code is explained by up to 3 latents other agents use — R² ≥ this² over the sample, or R² ≥ this in the median episode where it fires — reads what they read: it joins their users (1 = off). */
  pairCorrelation: number;
  /**
   * Two latents whose decoder directions have cosine ≤ −signedCosine, that (almost) never fire
   * together and whose encoder pre-activations are anti-correlated read the two sides of one
   * signed variable: they are one signed latent (split.json `signed`; 1 = off).
   */
  signedCosine: number;
  /**
   * An agent's use of a latent is absorbed — dropped — when its block points (cosine ≥ this) where
   * the block of another latent that agent and another user share points, while being at most half
   * as large, relative to the other user's block, as that latent's (split/absorbedUse.ts: a private
   * child's latent that absorbed its shared parent; 1 = off).
   */
  absorbedCosine: number;
  /** Rows sampled from the held-out episodes for the split and the metrics. */
  sampleRows: number;
}

interface CommonConfig {
  agents: AgentDim[];
  latents: number;
  seed: number;
  steps: number;
  batchSize: number;
  lr: number;
  /** Linear warm-up from 0 over this many steps. */
  warmupSteps: number;
  /** Linear decay to 0 over the last fraction of the steps. */
  decayFraction: number;
  /** Global gradient-norm clip (0 = off). */
  clipNorm: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Auxiliary-k: latents not fired for `deadAfter` samples are dead; reconstruct the residual with top-auxK of them. */
  auxK: number;
  auxCoef: number;
  deadAfter: number;
  /** Rows used to estimate the per-agent normalisation (first rows of the shuffled stream). */
  normRows: number;
  /**
   * 'auto': set aside, per agent, the span of the principal components whose activity is
   * Gaussian (a dense background, not sparse thoughts) before the dictionary
   * (model/denseSubspace.ts); 'off' (default): model the states as they are.
   */
  denseSubspace: 'off' | 'auto';
  shuffleBuffer: number;
  /** Write a checkpoint every this many steps (0 = only at the end). */
  checkpointEvery: number;
  /** 'sparse' decodes only the active latents (batchtopk, partitioned); 'auto' picks it where it is faster. */
  engine: 'auto' | 'dense' | 'sparse';
  backend: BackendName | 'auto';
  /** What runs the sparse engine's dense encoder product: native 'onnxruntime', 'tfjs' (the backend's), or 'auto' (native when it loads). */
  matmul: MatmulName | 'auto';
  /** Train a second, differently seeded dictionary and label latents it does not reproduce 'rare' (split.minStability). */
  witness: boolean;
  /**
   * When train chose the size: if reproducible probe latents have no reading in the trained
   * dictionary (best |r| < 0.3), train once more with ⌈headroom × their count⌉ more latents
   * (train/probeCoverage.ts). Default false: measured neutral on held-out runs (10 → 10 of 25),
   * and it hid the dense-background signature the CLI retrains on (docs/RESULTS.md).
   */
  grow: boolean;
  /** Episodes with id ≡ holdoutEvery − 1 (mod holdoutEvery) are held out of training (0 = none; split/heldOut.ts). */
  holdoutEvery: number;
  split: SplitThresholds;
}

export interface BatchTopKFields {
  mode: 'batchtopk';
  /** Mean active latents per sample; selection is over the whole batch (k·B winners). */
  k: number;
  /**
   * λ of the per-agent decoder-block penalty λ·mean_r Σ_j z_rj Σ_a ‖D_a[j]‖/√d_a (the
   * crosscoder's L1 over decoder norms): a block an agent does not use is driven to ≈ 0, so the
   * split can tell which agents use a latent (0 = off).
   */
  blockPenalty: number;
}
export interface L1Fields {
  mode: 'l1';
  l1Coef: number;
  /** 'group': Σ_j z_j Σ_a‖D_a[:,j]‖ (agent-block group lasso); 'joint': Σ_j z_j ‖D[:,j]‖ over the concatenation (plain SAE); 'none'. */
  penalty: 'group' | 'joint' | 'none';
}
export interface PartitionedFields {
  mode: 'partitioned';
  k: number;
  blockPenalty: number;
  /** Latents [0, shared) are shared; then each agent's private block in agent order. */
  blocks: { shared: number; private: Record<string, number> };
}
export interface JacobianFields {
  mode: 'jacobian';
  k: number;
  /** Hidden units of each agent's MLP decoder. */
  hidden: number;
  jacCoef: number;
  /** 'group': Σ_j Σ_a ‖J_a[:,j]‖ (agent blocks); 'elementwise': Σ |J| (the known-bad baseline). */
  penalty: 'group' | 'elementwise';
  /** Samples per batch on which the Jacobian penalty is evaluated. */
  jacSamples: number;
}

export type ModeFields = BatchTopKFields | L1Fields | PartitionedFields | JacobianFields;
export type ResolvedSaeConfig = Readonly<CommonConfig & ModeFields>;
export type SaeConfig = Partial<Omit<CommonConfig, 'split'>> & { agents: AgentDim[]; split?: Partial<SplitThresholds> } & Partial<Omit<BatchTopKFields, 'mode'>> &
  Partial<Omit<L1Fields, 'mode' | 'penalty'>> &
  Partial<Pick<BatchTopKFields, 'blockPenalty'>> &
  Partial<Omit<PartitionedFields, 'mode'>> &
  Partial<Omit<JacobianFields, 'mode' | 'penalty'>> & { mode?: SaeMode; penalty?: L1Fields['penalty'] | JacobianFields['penalty'] };

/** Default λ of the decoder-block penalty (docs/SPLIT.md: set once on the development family, not swept). */
export const DEFAULT_BLOCK_PENALTY = 0.3;

export const DEFAULT_SPLIT: SplitThresholds = {
  minExplained: 0.01,
  nullSigmas: 4,
  permutations: 16,
  minActive: 10,
  rareFrequency: 1e-3,
  minEpisodeSpread: 0.5,
  minEpisodeSpreadShared: 0.25,
  minStability: 0.8,
  strongFrequency: 0.02,
  strongExplained: 0.5,
  reproducedByAny: true,
  pairCorrelation: 0.8,
  signedCosine: 0.6,
  absorbedCosine: 0.8,
  sampleRows: 8192,
};

function num(v: unknown, field: string, def: number, check: (x: number) => boolean, what: string): number {
  const x = v === undefined ? def : v;
  if (typeof x !== 'number' || !Number.isFinite(x) || !check(x)) {
    throw new ConfigError(`config field '${field}' must be ${what}, got ${JSON.stringify(v)}`);
  }
  return x;
}
const int = (v: unknown, f: string, d: number, min = 1) =>
  num(v, f, d, (x) => Number.isInteger(x) && x >= min, `an integer ≥ ${min}`);
const pos = (v: unknown, f: string, d: number) => num(v, f, d, (x) => x > 0, 'a positive number');
const nonneg = (v: unknown, f: string, d: number) => num(v, f, d, (x) => x >= 0, 'a number ≥ 0');
const frac = (v: unknown, f: string, d: number) => num(v, f, d, (x) => x >= 0 && x <= 1, 'a number in [0, 1]');

function bool(v: unknown, field: string, def: boolean): boolean {
  if (v === undefined) return def;
  if (typeof v !== 'boolean') throw new ConfigError(`config field '${field}' must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

function oneOf<T extends string>(v: unknown, field: string, def: T, allowed: readonly T[]): T {
  const x = v === undefined ? def : v;
  if (!allowed.includes(x as T)) throw new ConfigError(`config field '${field}' must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  return x as T;
}

/** Split settings with defaults applied; errors name the field. */
export function resolveSplitThresholds(s: Partial<SplitThresholds> = {}): SplitThresholds {
  if (typeof s !== 'object' || s === null) throw new ConfigError(`config field 'split' must be an object`);
  const known = Object.keys(DEFAULT_SPLIT);
  for (const key of Object.keys(s)) if (!known.includes(key)) throw new ConfigError(`config field 'split.${key}' is unknown (known: ${known.join(', ')})`);
  return {
    minExplained: frac(s.minExplained, 'split.minExplained', DEFAULT_SPLIT.minExplained),
    nullSigmas: nonneg(s.nullSigmas, 'split.nullSigmas', DEFAULT_SPLIT.nullSigmas),
    permutations: int(s.permutations, 'split.permutations', DEFAULT_SPLIT.permutations, 2),
    minActive: int(s.minActive, 'split.minActive', DEFAULT_SPLIT.minActive, 1),
    rareFrequency: frac(s.rareFrequency, 'split.rareFrequency', DEFAULT_SPLIT.rareFrequency),
    minEpisodeSpread: frac(s.minEpisodeSpread, 'split.minEpisodeSpread', DEFAULT_SPLIT.minEpisodeSpread),
    minEpisodeSpreadShared: frac(s.minEpisodeSpreadShared, 'split.minEpisodeSpreadShared', DEFAULT_SPLIT.minEpisodeSpreadShared),
    minStability: frac(s.minStability, 'split.minStability', DEFAULT_SPLIT.minStability),
    strongFrequency: frac(s.strongFrequency, 'split.strongFrequency', DEFAULT_SPLIT.strongFrequency),
    strongExplained: frac(s.strongExplained, 'split.strongExplained', DEFAULT_SPLIT.strongExplained),
    reproducedByAny: bool(s.reproducedByAny, 'split.reproducedByAny', DEFAULT_SPLIT.reproducedByAny),
    pairCorrelation: frac(s.pairCorrelation, 'split.pairCorrelation', DEFAULT_SPLIT.pairCorrelation),
    signedCosine: frac(s.signedCosine, 'split.signedCosine', DEFAULT_SPLIT.signedCosine),
    absorbedCosine: frac(s.absorbedCosine, 'split.absorbedCosine', DEFAULT_SPLIT.absorbedCosine),
    sampleRows: int(s.sampleRows, 'split.sampleRows', DEFAULT_SPLIT.sampleRows),
  };
}

/** Validates a config, applies defaults and freezes it. Errors name the field. */
export function resolveSaeConfig(c: SaeConfig): ResolvedSaeConfig {
  if (typeof c !== 'object' || c === null || Array.isArray(c)) throw new ConfigError(`config must be a JSON object, got ${JSON.stringify(c)}`);
  if (!Array.isArray(c.agents) || c.agents.length < 2) throw new ConfigError(`config field 'agents' must list at least 2 agents`);
  const ids = new Set<string>();
  const agents = c.agents.map((a, i) => {
    if (typeof a?.id !== 'string' || !a.id) throw new ConfigError(`config field 'agents[${i}].id' must be a non-empty string`);
    if (ids.has(a.id)) throw new ConfigError(`config field 'agents[${i}].id' duplicates '${a.id}'`);
    ids.add(a.id);
    return { id: a.id, dim: int(a.dim, `agents[${i}].dim`, 0) };
  });
  const mode = oneOf(c.mode, 'mode', 'batchtopk', SAE_MODES);
  const latents = int(c.latents, 'latents', 1024);
  const steps = int(c.steps, 'steps', 2000);
  const s = c.split ?? DEFAULT_SPLIT;
  const common: CommonConfig = {
    agents,
    latents,
    seed: int(c.seed, 'seed', 0, 0),
    steps,
    batchSize: int(c.batchSize, 'batchSize', 1024),
    lr: pos(c.lr, 'lr', 1e-3),
    warmupSteps: int(c.warmupSteps, 'warmupSteps', Math.min(100, Math.floor(steps / 10)), 0),
    decayFraction: frac(c.decayFraction, 'decayFraction', 0.2),
    clipNorm: nonneg(c.clipNorm, 'clipNorm', 1),
    beta1: frac(c.beta1, 'beta1', 0.9),
    beta2: frac(c.beta2, 'beta2', 0.999),
    eps: pos(c.eps, 'eps', 1e-8),
    auxK: int(c.auxK, 'auxK', Math.min(256, Math.floor(latents / 2)), 0),
    auxCoef: nonneg(c.auxCoef, 'auxCoef', 1 / 32),
    deadAfter: int(c.deadAfter, 'deadAfter', 100_000),
    normRows: int(c.normRows, 'normRows', 4096),
    denseSubspace: oneOf(c.denseSubspace, 'denseSubspace', 'off', ['off', 'auto'] as const),
    shuffleBuffer: int(c.shuffleBuffer, 'shuffleBuffer', 16384),
    checkpointEvery: int(c.checkpointEvery, 'checkpointEvery', 0, 0),
    engine: oneOf(c.engine, 'engine', 'auto', ['auto', 'dense', 'sparse'] as const),
    backend: oneOf(c.backend, 'backend', 'auto', ['auto', ...BACKEND_NAMES] as const),
    matmul: oneOf(c.matmul, 'matmul', 'auto', ['auto', ...MATMUL_NAMES] as const),
    holdoutEvery: int(c.holdoutEvery, 'holdoutEvery', 5, 0),
    witness: bool(c.witness, 'witness', true),
    grow: bool(c.grow, 'grow', false),
    split: resolveSplitThresholds(s),
  };
  let fields: ModeFields;
  const k = () => {
    const v = num(c.k, 'k', Math.min(32, latents), (x) => x > 0 && x <= latents, `a number in (0, latents=${latents}]`);
    return v;
  };
  const blockPenalty = () => nonneg(c.blockPenalty, 'blockPenalty', DEFAULT_BLOCK_PENALTY);
  switch (mode) {
    case 'batchtopk':
      fields = { mode, k: k(), blockPenalty: blockPenalty() };
      break;
    case 'l1':
      fields = { mode, l1Coef: nonneg(c.l1Coef, 'l1Coef', 1e-3), penalty: oneOf(c.penalty as string, 'penalty', 'group', ['group', 'joint', 'none'] as const) };
      break;
    case 'partitioned': {
      const b = c.blocks;
      if (!b || typeof b !== 'object') throw new ConfigError(`config field 'blocks' is required for mode 'partitioned' ({ shared, private: { <agent>: n } })`);
      const shared = int(b.shared, 'blocks.shared', 0, 0);
      const priv: Record<string, number> = {};
      for (const a of agents) priv[a.id] = int(b.private?.[a.id], `blocks.private.${a.id}`, 0, 0);
      for (const key of Object.keys(b.private ?? {})) if (!ids.has(key)) throw new ConfigError(`config field 'blocks.private.${key}' names no agent`);
      const total = shared + Object.values(priv).reduce((x, y) => x + y, 0);
      if (total !== latents) throw new ConfigError(`config field 'blocks' sums to ${total} latents but 'latents' is ${latents}`);
      fields = { mode, k: k(), blockPenalty: blockPenalty(), blocks: { shared, private: priv } };
      break;
    }
    case 'jacobian':
      fields = {
        mode,
        k: k(),
        hidden: int(c.hidden, 'hidden', 64),
        jacCoef: nonneg(c.jacCoef, 'jacCoef', 1e-3),
        penalty: oneOf(c.penalty as string, 'penalty', 'group', ['group', 'elementwise'] as const),
        jacSamples: int(c.jacSamples, 'jacSamples', 16),
      };
      break;
  }
  const out = { ...common, ...fields } as ResolvedSaeConfig;
  return deepFreeze(out);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    Object.values(o).forEach(deepFreeze);
    Object.freeze(o);
  }
  return o;
}
