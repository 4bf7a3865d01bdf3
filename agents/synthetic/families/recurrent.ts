// recurrent: the hidden state depends on the previous one, h_t = φ(ρ·R·h_{t−1} + W·z_t + b)
// (recurrentMap.ts), so it carries the episode's history; thoughts as in the mixing family.
import { checkKeys, num } from '../configChecks.js';
import { RecurrentMap } from '../recurrentMap.js';
import { rngFor, STREAM } from '../seeds.js';
import { ThoughtProcess } from '../thoughtProcess.js';
import type { SyntheticFamily } from './family.js';
import { THOUGHT_PROCESS_DESCRIPTION } from './mixing.js';

export const recurrentFamily: SyntheticFamily = {
  name: 'recurrent',
  summary: 'hidden state carries history: h_t = phi(leak·R·h_{t-1} + W·z_t + b), R random orthogonal, phi leaky tanh',
  params: { leak: 'weight ρ of the previous state, in [0, 0.9] (default 0.5)' },
  resolveParams(raw) {
    checkKeys(raw, ['leak'], 'family.params.');
    return { leak: num(raw.leak ?? 0.5, 'family.params.leak', 0, 0.9) };
  },
  build(cfg, structure) {
    const leak = cfg.family.params.leak!;
    return {
      thoughtSource: () => new ThoughtProcess(structure.thoughtCount, cfg.thoughts),
      hiddenMap: (a, cal, rows) => {
        const l = structure.agents[a]!;
        const opts = { leak, condition: cfg.mixing.condition, slope: cfg.mixing.slope, scale: cfg.mixing.scale };
        return RecurrentMap.random(rngFor(cfg.seed, STREAM.mixing, a), l.thoughts.length, l.hiddenSize, opts, cal, rows);
      },
      thoughtDescription: THOUGHT_PROCESS_DESCRIPTION,
      truth: { leak, state: 'h_{-1} = 0 at the start of every episode; noise is added to h_t after the recurrence (it does not feed back)' },
    };
  },
};
