// The experiment report: per condition the behaviour metrics pooled over seeds (intervals are
// percentile bootstraps over (seed, co-player) groups), per seed the point values, and per
// non-baseline condition the paired shift from the baseline (same seed, same co-player) with a
// bootstrap interval and a paired permutation (sign-flip) p-value, Benjamini–Hochberg corrected over all
// condition × metric tests.
import { benjaminiHochberg } from '../util/benjaminiHochberg.js';
import { bootstrapGroups, type Interval } from '../util/bootstrap.js';
import { signFlipTest } from '../util/signFlipTest.js';
import type { CoPlayerAdaptation } from '../agents/context/index.js';
import type { ResolvedExperimentSpec } from './experimentSpec.js';
import type { RepresentationShift } from './representationShift.js';
import type { CellResult } from './runExperiment.js';

export const METRICS = ['fraction', 'bestRate', 'bestRateAfter', 'defection', 'firstDefection'] as const;
export type Metric = (typeof METRICS)[number];

export const METRIC_LABELS: Record<Metric, string> = {
  fraction: 'fraction of optimum',
  bestRate: 'best-response rate',
  bestRateAfter: 'best-response rate after the history edit',
  defection: 'defection rate',
  firstDefection: 'first defection (round)',
};

export interface ConditionSummary {
  condition: string;
  agentKey: string;
  context: string;
  prefix: string;
  history: string;
  metrics: Record<Metric, Interval>;
  /** Rounds to adapt per seed (adaptRounds of the best-response curve). */
  adaptRounds: number[];
  perSeed: { seed: number; fraction: number; bestRate: number; defection: number; firstDefection: number; adaptRounds: number }[];
  /** Mean best-response rate per round over seeds. */
  curve: number[];
}

export interface Shift {
  condition: string;
  metric: Metric;
  /** Mean over (seed, co-player) of condition − baseline, with its bootstrap interval. */
  delta: Interval;
  /** Paired effect size d_z = mean(difference) / sd(difference) (NaN with < 2 pairs or no spread). */
  effectSize: number;
  p: number;
  q: number;
}

export interface ExperimentReport {
  name: string;
  description: string;
  baseline: string;
  seeds: number[];
  evaluate: ResolvedExperimentSpec['evaluate'];
  conditions: ConditionSummary[];
  shifts: Shift[];
  /** Latent-level shift from the baseline under one dictionary across conditions (null when not computed). */
  representation: RepresentationShift | null;
  alpha: number;
  seconds: number;
  command: string;
  createdAt: string;
}

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

export function buildExperimentReport(spec: ResolvedExperimentSpec, cells: readonly CellResult[], o: { seconds: number; command: string; alpha?: number; permutations?: number; representation?: RepresentationShift | null }): ExperimentReport {
  const R = spec.evaluate.resamples;
  const byCond = (name: string): CellResult[] => spec.seeds.map((s) => cells.find((c) => c.condition === name && c.seed === s)!).filter(Boolean);
  const groups = (name: string): (CoPlayerAdaptation & { seed: number })[] => byCond(name).flatMap((c) => c.eval.perCoPlayer.map((p) => ({ ...p, seed: c.seed })));
  const conditions = spec.conditions.map((c, ci): ConditionSummary => {
    const cs = byCond(c.name);
    const g = groups(c.name);
    const metrics = Object.fromEntries(
      METRICS.map((m, j) => [m, bootstrapGroups(g.map((x) => x[m]).filter(Number.isFinite), mean, { resamples: R, seed: 1000 * ci + j })]),
    ) as Record<Metric, Interval>;
    const T = spec.evaluate.steps;
    return {
      condition: c.name,
      agentKey: cs[0]?.agentKey ?? '',
      context: c.agent.context,
      prefix: c.prefix ? `${c.prefix.memory} × ${c.prefix.length}` : '',
      history: c.history ? `${c.history.transform} at ${c.history.at}${c.history.transform === 'truncate' ? ` (keep ${c.history.keep ?? 3})` : ''}` : '',
      metrics,
      adaptRounds: cs.map((x) => x.eval.adaptRounds),
      perSeed: cs.map((x) => ({
        seed: x.seed,
        fraction: x.eval.fractionOfOptimum.estimate,
        bestRate: x.eval.bestResponseRate.estimate,
        defection: x.eval.defectionRate.estimate,
        firstDefection: x.eval.firstDefection.estimate,
        adaptRounds: x.eval.adaptRounds,
      })),
      curve: Array.from({ length: T }, (_, t) => mean(cs.map((x) => x.eval.curve[t]!))),
    };
  });
  const base = groups(spec.baseline);
  const key = (x: { seed: number; style: string }): string => `${x.seed}|${x.style}`;
  const baseBy = new Map(base.map((x) => [key(x), x]));
  const raw: Omit<Shift, 'q'>[] = [];
  spec.conditions.forEach((c, ci) => {
    if (c.name === spec.baseline) return;
    const g = groups(c.name);
    METRICS.forEach((m, j) => {
      const pairs = g.map((x) => [x[m], baseBy.get(key(x))?.[m]] as const).filter(([a, b]) => Number.isFinite(a) && b !== undefined && Number.isFinite(b));
      const diffs = pairs.map(([a, b]) => a - b!);
      raw.push({
        condition: c.name,
        metric: m,
        delta: bootstrapGroups(diffs, mean, { resamples: R, seed: 50_000 + 100 * ci + j }),
        effectSize: pairedEffect(diffs),
        p: signFlipTest(diffs, { permutations: o.permutations ?? 2000, seed: 90_000 + 100 * ci + j }),
      });
    });
  });
  const q = benjaminiHochberg(raw.map((s) => s.p));
  return {
    name: spec.name,
    description: spec.description,
    baseline: spec.baseline,
    seeds: spec.seeds,
    evaluate: spec.evaluate,
    conditions,
    shifts: raw.map((s, i) => ({ ...s, q: q[i]! })),
    representation: o.representation ?? null,
    alpha: o.alpha ?? 0.05,
    seconds: o.seconds,
    command: o.command,
    createdAt: new Date().toISOString(),
  };
}

function pairedEffect(d: readonly number[]): number {
  if (d.length < 2) return NaN;
  const m = mean(d);
  const sd = Math.sqrt(d.reduce((a, x) => a + (x - m) ** 2, 0) / (d.length - 1));
  return sd > 0 ? m / sd : NaN;
}
