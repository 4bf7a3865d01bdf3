// superposed: more thoughts than dimensions. Each agent's k thoughts get random unit directions
// in an m-dimensional subspace of its hidden space (m ≈ k / overcomplete < k, so directions
// are not orthogonal and the map has no inverse: superposedMap.ts); thoughts are near-binary
// (value exp(jitter·u) ≈ 1 while on, 0 off).
import { checkKeys, num } from '../configChecks.js';
import { rngFor, STREAM } from '../seeds.js';
import { SuperposedMap } from '../superposedMap.js';
import { ThoughtProcess } from '../thoughtProcess.js';
import type { SyntheticFamily } from './family.js';

/** Subspace dimension for k thoughts: round(k / overcomplete), at least 1, below k when k ≥ 2. */
export function superposedSubspace(k: number, overcomplete: number): number {
  return k < 2 ? 1 : Math.max(1, Math.min(k - 1, Math.round(k / overcomplete)));
}

export const superposedFamily: SyntheticFamily = {
  name: 'superposed',
  summary: 'more thoughts than dimensions: k near-binary thoughts on random non-orthogonal directions in a k/overcomplete-dim subspace (linear, not invertible)',
  params: {
    overcomplete: 'thoughts per subspace dimension, in (1, 16] (default 1.5: 24 thoughts in 16 dims)',
    jitter: 'standard deviation of the log-magnitude of an active thought, replacing thoughts.spread (default 0.1)',
  },
  resolveParams(raw) {
    checkKeys(raw, ['overcomplete', 'jitter'], 'family.params.');
    return {
      overcomplete: num(raw.overcomplete ?? 1.5, 'family.params.overcomplete', 1, 16, 'left-open'),
      jitter: num(raw.jitter ?? 0.1, 'family.params.jitter', 0, 1),
    };
  },
  build(cfg, structure) {
    const { overcomplete, jitter } = cfg.family.params;
    const params = { ...cfg.thoughts, spread: jitter! };
    const subspace = Object.fromEntries(structure.agents.map((l) => [l.id, superposedSubspace(l.thoughts.length, overcomplete!)]));
    return {
      thoughtSource: () => new ThoughtProcess(structure.thoughtCount, params),
      hiddenMap: (a, cal, rows) => {
        const l = structure.agents[a]!;
        const opts = { subspace: subspace[l.id]!, scale: cfg.mixing.scale };
        return SuperposedMap.random(rngFor(cfg.seed, STREAM.mixing, a), l.thoughts.length, l.hiddenSize, opts, cal, rows);
      },
      thoughtDescription:
        'on/off Markov chain per thought (P(on) = sparsity, mean on-run = persistence steps); while on, value = ' +
        'exp(jitter*u) with u an AR(1) (near-binary: jitter replaces spread); off = 0.',
      truth: {
        subspace,
        map: 'x_a = g*Q*V*z + b: V has one random unit column per held thought in R^m (m = subspace[agent] < thoughts), Q places R^m in the hidden space; agents[].mixing.superposition gives the cosines between directions',
      },
    };
  },
};
