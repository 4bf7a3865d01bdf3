// Hand-made usage evidence for the split's decision rule (classify and signed-pair tests).
import type { UsageStats } from '../../../sae/index.js';

/** Evidence for m latents × 2 agents; `used[a][j]` sets R² well above (0.6) or at (0.001) the null. */
export function stats(used: boolean[][], active: number[], rows = 1000, codes?: Float32Array): UsageStats {
  const m = active.length;
  const per = (f: (a: number, j: number) => number) => used.map((_, a) => Float64Array.from({ length: m }, (_, j) => f(a, j)));
  return {
    rows,
    episodes: 10,
    active: Int32Array.from(active),
    episodeSpread: Float64Array.from(active, () => 8),
    spreadEpisodes: 10,
    l0: 2,
    explained: per((a, j) => (used[a]![j] ? 0.6 : 0.001)),
    nullMean: per(() => 0.001),
    nullSd: per(() => 0.001),
    scaling: per((a, j) => (used[a]![j] ? 1 : 0)),
    scalingLo: per(() => 0),
    scalingHi: per(() => 1),
    blockNorm: per((a, j) => (used[a]![j] ? 1 : 0)),
    fvu: [0.1, 0.1],
    codes: codes ?? new Float32Array(rows * m),
  };
}
