// The default family: sparse persistent thoughts (thoughtProcess.ts) through each agent's
// random invertible nonlinear mixing network (mixingNetwork.ts). Also the builder of
// mixing networks the other families reuse.
import type { ResolvedSyntheticConfig } from '../config.js';
import { checkKeys } from '../configChecks.js';
import { MixingNetwork, type MixingActivation } from '../mixingNetwork.js';
import { rngFor, STREAM } from '../seeds.js';
import type { AgentThoughtLayout } from '../structure.js';
import { ThoughtProcess } from '../thoughtProcess.js';
import type { SyntheticFamily } from './family.js';

export const THOUGHT_PROCESS_DESCRIPTION =
  'on/off Markov chain per thought (P(on) = sparsity, mean on-run = persistence steps); while on, ' +
  'value = exp(spread*u) with u an AR(1) of coefficient smoothness and unit variance; off = 0. ' +
  'Each episode starts from the stationary distribution.';

/** Agent `agent`'s mixing network as configured (`depth` layers; 'identity' makes it linear). */
export function mixingNetworkFor(
  cfg: ResolvedSyntheticConfig,
  layout: AgentThoughtLayout,
  agent: number,
  calibration: Float64Array,
  rows: number,
  opts: { depth?: number; activation?: MixingActivation } = {},
): MixingNetwork {
  const k = layout.thoughts.length;
  const depth = opts.depth ?? cfg.mixing.depth;
  const dims = depth === 1 ? [k, layout.hiddenSize] : [k, ...Array<number>(depth - 1).fill(layout.width), layout.hiddenSize];
  return MixingNetwork.random(
    rngFor(cfg.seed, STREAM.mixing, agent),
    dims,
    { condition: cfg.mixing.condition, slope: cfg.mixing.slope, scale: cfg.mixing.scale, activation: opts.activation },
    calibration,
    rows,
  );
}

export const mixingFamily: SyntheticFamily = {
  name: 'mixing',
  summary: 'sparse persistent thoughts through a random invertible nonlinear network per agent (--depth layers of leaky tanh)',
  params: {},
  resolveParams(raw) {
    checkKeys(raw, [], 'family.params.');
    return {};
  },
  build(cfg, structure) {
    return {
      thoughtSource: () => new ThoughtProcess(structure.thoughtCount, cfg.thoughts),
      hiddenMap: (a, cal, rows) => mixingNetworkFor(cfg, structure.agents[a]!, a, cal, rows),
      thoughtDescription: THOUGHT_PROCESS_DESCRIPTION,
      truth: {},
    };
  },
};
