// linear-correlated: each agent's hidden state is a random well-conditioned *linear* map of
// its thoughts plus noise (x = W z + b + ε), and thoughts are correlated: a few hidden factors
// switch sets of thoughts on together, across shared and private groups
// (correlatedThoughts.ts), so a private thought co-occurs with shared ones.
import { shuffleInPlace } from '../../../util/random.js';
import { checkKeys, int, num } from '../configChecks.js';
import { CorrelatedThoughts } from '../correlatedThoughts.js';
import { SyntheticConfigError } from '../errors.js';
import { rngFor, STREAM } from '../seeds.js';
import type { SyntheticFamily } from './family.js';
import { mixingNetworkFor } from './mixing.js';

const KEYS = ['factors', 'coupled', 'factorSparsity'];

/** Per thought its factor (−1: none): `coupled`·K thoughts drawn by the seed, dealt round-robin, ≥ 2 per factor. */
export function assignFactors(seed: number, thoughtCount: number, factors: number, coupled: number): { factorOf: Int32Array; factorCount: number } {
  const ids = Array.from({ length: thoughtCount }, (_, i) => i);
  shuffleInPlace(rngFor(seed, STREAM.family), ids);
  const n = Math.round(coupled * thoughtCount);
  const factorCount = Math.min(factors, Math.floor(n / 2));
  const factorOf = new Int32Array(thoughtCount).fill(-1);
  if (factorCount > 0) ids.slice(0, n).forEach((id, i) => (factorOf[id] = i % factorCount));
  return { factorOf, factorCount };
}

export const linearCorrelatedFamily: SyntheticFamily = {
  name: 'linear-correlated',
  summary: 'a linear well-conditioned map per agent (x = W z + b + noise) of correlated thoughts: hidden factors switch shared and private thoughts on together',
  params: {
    factors: 'hidden factors (default 3)',
    coupled: 'fraction of thoughts driven by a factor (default 0.5)',
    factorSparsity: 'P(on) of a factor, below thoughts.sparsity (default sparsity / 2; on/off correlation of two thoughts of a factor ≈ 0.5)',
  },
  resolveParams(raw, thoughts) {
    checkKeys(raw, KEYS, 'family.params.');
    const factors = int(raw.factors ?? 3, 'family.params.factors', 1, 1024);
    const coupled = num(raw.coupled ?? 0.5, 'family.params.coupled', 0, 1);
    const factorSparsity = num(raw.factorSparsity ?? thoughts.sparsity / 2, 'family.params.factorSparsity', 0, 1, 'open');
    if (factorSparsity >= thoughts.sparsity) {
      throw new SyntheticConfigError('family.params.factorSparsity', `(${factorSparsity}) must be below thoughts.sparsity (${thoughts.sparsity})`);
    }
    return { factors, coupled, factorSparsity };
  },
  build(cfg, structure) {
    const p = cfg.family.params;
    const { factorOf, factorCount } = assignFactors(cfg.seed, structure.thoughtCount, p.factors!, p.coupled!);
    const groups = Array.from({ length: factorCount }, (_, f) => [...factorOf.keys()].filter((j) => factorOf[j] === f));
    const s = cfg.thoughts.sparsity;
    const q = p.factorSparsity!;
    const own = 1 - (1 - s) / (1 - q);
    const corr = (q + (1 - q) * own * own - s * s) / (s * (1 - s));
    return {
      thoughtSource: () => new CorrelatedThoughts(structure.thoughtCount, cfg.thoughts, { factorOf, factorCount, factorSparsity: q }),
      hiddenMap: (a, cal, rows) => mixingNetworkFor(cfg, structure.agents[a]!, a, cal, rows, { depth: 1, activation: 'identity' }),
      thoughtDescription:
        'as the mixing family (on/off Markov chain, exp(spread*u) magnitudes), except that a thought driven by a factor ' +
        'is on when its own chain or its factor (an on/off chain with P(on) = factorSparsity, same persistence) is on; ' +
        'its own chain has P(on) = 1 - (1 - sparsity) / (1 - factorSparsity), so P(on) stays sparsity.',
      truth: {
        factors: groups,
        expectedOnOffCorrelation: Math.round(corr * 1000) / 1000,
      },
    };
  },
};
