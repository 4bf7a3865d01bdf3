// heavy-tailed: log-normal thought magnitudes with a large spread (exp(tail·u)), a few
// always-on (dense) thoughts, and agents of different hidden sizes by default (48, 80, …);
// each agent's hidden state is its mixing network as in the mixing family.
import { shuffleInPlace } from '../../../util/random.js';
import { checkKeys, int, num } from '../configChecks.js';
import { rngFor, STREAM } from '../seeds.js';
import { ThoughtProcess } from '../thoughtProcess.js';
import type { SyntheticFamily } from './family.js';
import { mixingNetworkFor } from './mixing.js';

const SIZES = [48, 80];

/** The always-on thoughts: `dense` ids drawn by the seed, ascending. */
export function denseThoughts(seed: number, thoughtCount: number, dense: number): number[] {
  const ids = Array.from({ length: thoughtCount }, (_, i) => i);
  shuffleInPlace(rngFor(seed, STREAM.family), ids);
  return ids.slice(0, Math.min(dense, thoughtCount)).sort((a, b) => a - b);
}

export const heavyTailedFamily: SyntheticFamily = {
  name: 'heavy-tailed',
  summary: 'log-normal magnitudes of large spread, a few always-on thoughts, hidden sizes 48, 80, … by default; mixing networks as in mixing',
  params: {
    tail: 'standard deviation of the log-magnitude, replacing thoughts.spread (default 1.5)',
    dense: 'number of always-on thoughts (default 2)',
  },
  resolveParams(raw) {
    checkKeys(raw, ['tail', 'dense'], 'family.params.');
    return { tail: num(raw.tail ?? 1.5, 'family.params.tail', 0, 5), dense: int(raw.dense ?? 2, 'family.params.dense', 0, 4096) };
  },
  defaultHiddenSize: (i) => SIZES[i % SIZES.length]!,
  build(cfg, structure) {
    const { tail, dense } = cfg.family.params;
    const always = denseThoughts(cfg.seed, structure.thoughtCount, dense!);
    const sparsity = new Float64Array(structure.thoughtCount).fill(cfg.thoughts.sparsity);
    for (const j of always) sparsity[j] = 1;
    const params = { ...cfg.thoughts, spread: tail! };
    return {
      thoughtSource: () => new ThoughtProcess(structure.thoughtCount, params, { sparsity }),
      hiddenMap: (a, cal, rows) => mixingNetworkFor(cfg, structure.agents[a]!, a, cal, rows),
      thoughtDescription:
        'as the mixing family, with value = exp(tail*u) (tail replaces spread: a heavy right tail) and the thoughts ' +
        'listed in family.alwaysOn on at every step.',
      truth: { alwaysOn: always },
    };
  },
};
