// metrics.json: one formula each.
//   fvu[a]        = Σ‖x_a − x̂_a‖² / Σ‖x_a − x̄_a‖² on the sample of held-out episodes (raw units)
//   l0            = mean number of latents with z_j > 0 per row
//   deadFraction  = fraction of latents that never fire on the sample
//   denseFraction = fraction of latents firing on more than 10% of rows
//   relativeNorm  = histogram (20 bins on [0,1]) over live latents of r_{a,j} / Σ_b r_{b,j} per agent
//                   (for two agents the second agent's histogram is the usual crosscoder plot)
//   relevance / explained (R²) histograms per agent (20 bins on [0,1])
import type { UsageStats } from './usageStats.js';
import type { SplitResult } from './split.js';

export interface Histogram {
  edges: number[];
  counts: number[];
}

export interface DictionaryMetrics {
  sampleRows: number;
  fvu: Record<string, number>;
  l0: number;
  deadFraction: number;
  denseFraction: number;
  classCounts: Record<string, number>;
  relativeNorm: Record<string, Histogram>;
  relevanceHistogram: Record<string, Histogram>;
  explainedHistogram: Record<string, Histogram>;
}

export function histogram(values: Iterable<number>, bins = 20, lo = 0, hi = 1): Histogram {
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * bins)));
    counts[b]!++;
  }
  return { edges: Array.from({ length: bins + 1 }, (_, i) => lo + ((hi - lo) * i) / bins), counts };
}

export function computeMetrics(agents: string[], stats: UsageStats, split: SplitResult): DictionaryMetrics {
  const m = stats.active.length;
  const live: number[] = [];
  for (let j = 0; j < m; j++) if (stats.active[j]! > 0) live.push(j);
  const rel = (a: number) =>
    live.map((j) => {
      let s = 0;
      for (let b = 0; b < agents.length; b++) s += stats.blockNorm[b]![j]!;
      return s > 0 ? stats.blockNorm[a]![j]! / s : NaN;
    });
  return {
    sampleRows: stats.rows,
    fvu: Object.fromEntries(agents.map((a, i) => [a, stats.fvu[i]!])),
    l0: stats.l0,
    deadFraction: (m - live.length) / m,
    denseFraction: Array.from(stats.active).filter((n) => n > 0.1 * stats.rows).length / m,
    classCounts: split.counts,
    relativeNorm: Object.fromEntries(agents.map((a, i) => [a, histogram(rel(i))])),
    relevanceHistogram: Object.fromEntries(agents.map((a, i) => [a, histogram(live.map((j) => split.relevance[i]![j]!))])),
    explainedHistogram: Object.fromEntries(agents.map((a, i) => [a, histogram(live.map((j) => split.explained[i]![j]!))])),
  };
}
