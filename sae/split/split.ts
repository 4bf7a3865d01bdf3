// The split: which agents each latent belongs to. Per latent j and agent a:
//   relevance ρ_{a,j} = r_{a,j} / max_b r_{b,j}       (r = decoder block norm per √d, sampleStats.ts)
//   scaling   ν_{a,j} = ‖v_{a,j}‖/√d_a / max_b r_{b,j} (least-squares decoder of a's residual on z_j)
//   explained ε_{a,j}  = fraction of a's residual energy on j's active rows that v_{a,j} z_j explains
// Agent a is relevant to j when ρ ≥ τ_rel, or when ν ≥ τ_rel and ε ≥ τ_expl (the scaling check
// catches a latent whose other-agent block was shrunk away while that agent can still use
// it). α_j = number of relevant agents. Classes: 'dead' (fires on < τ_dead of rows),
// 'shared' (α = N), 'private-<A>' (α = 1), 'partial-<A>+<B>' (1 < α < N, N > 2 only).
// individual(A) = shared ∪ private-A (and partials that include A).
import type { SplitThresholds } from '../config.js';
import type { SampleStats } from './sampleStats.js';

export type LatentClass = 'dead' | 'shared' | `private-${string}` | `partial-${string}`;

export interface SplitResult {
  format: 'thoughtlens-split';
  version: 1;
  agents: string[];
  thresholds: SplitThresholds;
  sampleRows: number;
  /** Per latent class. */
  classes: LatentClass[];
  /** Per latent agreement level α_j (0 for dead latents). */
  alpha: number[];
  counts: Record<string, number>;
  /** Per agent: latents in shared ∪ private-<agent> ∪ partials containing it. */
  individual: Record<string, number[]>;
  /** Per agent, per latent (4 decimals). */
  relevance: number[][];
  scaling: number[][];
  explained: number[][];
  frequency: number[];
}

const r4 = (x: number) => (Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : 0);

export function classifyLatents(agents: string[], stats: SampleStats, t: SplitThresholds): SplitResult {
  const m = stats.frequency.length;
  const N = agents.length;
  const classes: LatentClass[] = [];
  const alpha: number[] = [];
  const relevance = agents.map(() => new Array<number>(m));
  const scaling = agents.map(() => new Array<number>(m));
  const individual: Record<string, number[]> = Object.fromEntries(agents.map((a) => [a, []]));
  const counts: Record<string, number> = { shared: 0, dead: 0, ...Object.fromEntries(agents.map((a) => [`private-${a}`, 0])) };
  for (let j = 0; j < m; j++) {
    let max = 0;
    for (let a = 0; a < N; a++) max = Math.max(max, stats.blockNorm[a]![j]!);
    const rel: boolean[] = [];
    for (let a = 0; a < N; a++) {
      const rho = max > 0 ? stats.blockNorm[a]![j]! / max : 0;
      const nu = max > 0 ? stats.scaledNorm[a]![j]! / max : 0;
      relevance[a]![j] = r4(rho);
      scaling[a]![j] = r4(nu);
      rel.push(rho >= t.relevance || (nu >= t.relevance && stats.explained[a]![j]! >= t.explained));
    }
    const al = rel.filter(Boolean).length;
    let cls: LatentClass;
    if (stats.frequency[j]! < t.deadFrequency || max === 0 || al === 0) cls = 'dead';
    else if (al === N) cls = 'shared';
    else if (al === 1) cls = `private-${agents[rel.indexOf(true)]}`;
    else cls = `partial-${agents.filter((_, a) => rel[a]).join('+')}`;
    classes.push(cls);
    alpha.push(cls === 'dead' ? 0 : al);
    counts[cls] = (counts[cls] ?? 0) + 1;
    if (cls !== 'dead') agents.forEach((a, i) => rel[i] && individual[a]!.push(j));
  }
  return {
    format: 'thoughtlens-split',
    version: 1,
    agents,
    thresholds: t,
    sampleRows: stats.rows,
    classes,
    alpha,
    counts,
    individual,
    relevance,
    scaling,
    explained: stats.explained.map((e) => Array.from(e, r4)),
    frequency: Array.from(stats.frequency, (f) => Math.round(f * 1e6) / 1e6),
  };
}

/** The latents of one class (e.g. 'shared', 'private-A'). */
export function latentsOfClass(split: Pick<SplitResult, 'classes'>, cls: LatentClass): number[] {
  const out: number[] = [];
  split.classes.forEach((c, j) => c === cls && out.push(j));
  return out;
}
