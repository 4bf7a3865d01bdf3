// layernorm-residual: a transformer-like map and signed thoughts. Each agent embeds its thoughts
// (A·z + b, every thought read at its own per-agent gain), takes a LayerNorm and adds one random
// ReLU MLP residual block (layerNormResidualMap.ts); agents get different hidden sizes by default
// (56, 96, …). Thoughts are signed (±(floor + Exponential), Laplace-like, the sign drawn per
// on-run: signedThoughts.ts), and a few are long-lived (long on-runs, P(on) ½ by default).
import { shuffleInPlace } from '../../../util/random.js';
import { checkKeys, int, num } from '../configChecks.js';
import { SyntheticConfigError } from '../errors.js';
import { LayerNormResidualMap } from '../layerNormResidualMap.js';
import { rngFor, STREAM } from '../seeds.js';
import { SignedThoughts } from '../signedThoughts.js';
import type { SyntheticStructure } from '../structure.js';
import type { SyntheticFamily } from './family.js';

const KEYS = ['gain', 'floor', 'persistent', 'longRun', 'longSparsity', 'mlp', 'offset'];
const SIZES = [56, 96];

/** The long-lived thoughts: `persistent` ids drawn by the seed, ascending. */
export function persistentThoughts(seed: number, thoughtCount: number, persistent: number): number[] {
  const ids = Array.from({ length: thoughtCount }, (_, i) => i);
  shuffleInPlace(rngFor(seed, STREAM.family), ids);
  return ids.slice(0, Math.min(persistent, thoughtCount)).sort((a, b) => a - b);
}

/**
 * Per agent (structure order), the gain at which it reads each thought it holds (ascending id):
 * log-uniform in [1/gain, gain], from the agent's own stream.
 */
export function readGains(seed: number, structure: SyntheticStructure, gain: number): number[][] {
  return structure.agents.map((l, a) => {
    const rng = rngFor(seed, STREAM.family, 1 + a);
    return l.thoughts.map(() => round(gain ** (2 * rng.next() - 1)));
  });
}

export const layerNormResidualFamily: SyntheticFamily = {
  name: 'layernorm-residual',
  summary: 'transformer-like: LayerNorm(embedding) plus one random ReLU MLP residual block, per-agent read gains, signed Laplace-like thoughts, a few long-lived ones; hidden sizes 56, 96, … by default',
  params: {
    gain: 'each agent reads each thought at a gain log-uniform in [1/gain, gain], gain in [1, 16] (default 2)',
    floor: 'smallest magnitude of an active thought: value = ±(floor + E), E ~ Exponential(1) (default 0.25)',
    persistent: 'number of long-lived thoughts (default 2)',
    longRun: 'mean on-run of a long-lived thought, in multiples of thoughts.persistence (default 8)',
    longSparsity: 'P(on) of a long-lived thought (default 0.5)',
    mlp: 'RMS of the MLP branch relative to the LayerNorm output, in [0, 4] (default 0.5)',
    offset: 'RMS of the embedding bias relative to --scale, in [0, 10] (default 1; 0: LayerNorm erases the thoughts\' scale)',
  },
  resolveParams(raw, thoughts) {
    checkKeys(raw, KEYS, 'family.params.');
    const gain = num(raw.gain ?? 2, 'family.params.gain', 1, 16);
    const floor = num(raw.floor ?? 0.25, 'family.params.floor', 0, 5);
    const persistent = int(raw.persistent ?? 2, 'family.params.persistent', 0, 4096);
    const longRun = num(raw.longRun ?? 8, 'family.params.longRun', 1, 1000);
    const longSparsity = num(raw.longSparsity ?? 0.5, 'family.params.longSparsity', 0, 1, 'open');
    const run = longRun * thoughts.persistence;
    const cap = run / (run + 1);
    if (longSparsity > cap) {
      throw new SyntheticConfigError('family.params.longSparsity', `(${longSparsity}) cannot be reached with a mean on-run of ${run} steps (longRun × persistence): need ≤ ${cap.toFixed(3)}`);
    }
    const mlp = num(raw.mlp ?? 0.5, 'family.params.mlp', 0, 4);
    const offset = num(raw.offset ?? 1, 'family.params.offset', 0, 10);
    return { gain, floor, persistent, longRun, longSparsity, mlp, offset };
  },
  defaultHiddenSize: (i) => SIZES[i % SIZES.length]!,
  build(cfg, structure) {
    const p = cfg.family.params;
    const K = structure.thoughtCount;
    const long = persistentThoughts(cfg.seed, K, p.persistent!);
    const sparsity = new Float64Array(K).fill(cfg.thoughts.sparsity);
    const persistence = new Float64Array(K).fill(cfg.thoughts.persistence);
    for (const j of long) {
      sparsity[j] = p.longSparsity!;
      persistence[j] = p.longRun! * cfg.thoughts.persistence;
    }
    const gains = readGains(cfg.seed, structure, p.gain!);
    return {
      thoughtSource: () => new SignedThoughts(K, cfg.thoughts, { floor: p.floor!, sparsity, persistence }),
      hiddenMap: (a, cal, rows) => {
        const l = structure.agents[a]!;
        const opts = { gains: gains[a]!, condition: cfg.mixing.condition, scale: cfg.mixing.scale, offset: p.offset!, width: l.width, mlp: p.mlp! };
        return LayerNormResidualMap.random(rngFor(cfg.seed, STREAM.mixing, a), l.thoughts.length, l.hiddenSize, opts, cal, rows);
      },
      thoughtDescription:
        'on/off Markov chain per thought (P(on) = sparsity, mean on-run = persistence steps; the thoughts in ' +
        'family.persistent: P(on) = longSparsity, mean on-run = longRun*persistence); while on, value = ' +
        'sign*(floor + E) with E = -ln(Phi(-u)) ~ Exponential(1), u an AR(1) of coefficient smoothness and unit ' +
        'variance (spread is not used), and sign = +1 or -1 with equal odds, drawn each time the thought switches on; off = 0.',
      truth: {
        persistent: long,
        gains: Object.fromEntries(structure.agents.map((l, a) => [l.id, gains[a]])),
        map:
          'x_a = y + W2*relu(W1*y + b1), y = LayerNorm(A_a*z + b) with A_a = c*E*diag(gains[agent]) (E unit columns; ' +
          'gains[agent] in agents[].thoughts order); agents[].mixing.layerNorm says whether the map is invertible',
      },
    };
  },
};

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
