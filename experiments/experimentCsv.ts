// The experiment report as CSV: one row per condition × metric (pooled estimate and interval,
// and the shift from the baseline where there is one).
import { csvField } from '../conflicts/report/escape.js';
import { predictionRows } from './experimentMarkdown.js';
import { METRICS, type ExperimentReport } from './experimentReport.js';

export function experimentCsv(r: ExperimentReport): string {
  const rows: unknown[][] = [['condition', 'metric', 'estimate', 'lo', 'hi', 'delta', 'delta_lo', 'delta_hi', 'effect_size', 'p', 'q']];
  for (const c of r.conditions) {
    for (const m of METRICS) {
      const s = r.shifts.find((x) => x.condition === c.condition && x.metric === m);
      const i = c.metrics[m];
      rows.push([c.condition, m, i.estimate, i.lo, i.hi, s?.delta.estimate ?? '', s?.delta.lo ?? '', s?.delta.hi ?? '', s?.effectSize ?? '', s?.p ?? '', s?.q ?? '']);
    }
  }
  return rows.map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

/** The top shifting latents per condition as CSV (report.latents.csv; empty without a representational shift). */
export function experimentLatentCsv(r: ExperimentReport): string {
  const rep = r.representation;
  if (!rep) return '';
  const rows: unknown[][] = [['condition', 'same_agent', 'latent', 'mean', 'base_mean', 'delta_mean', 'rate', 'base_rate', 'delta_rate', 'd', 'd_lo', 'd_hi', 'p', 'q']];
  for (const c of rep.conditions) for (const s of c.top) rows.push([c.condition, c.sameAgent, s.latent, s.mean, s.baseMean, s.deltaMean, s.rate, s.baseRate, s.deltaRate, s.d.estimate, s.d.lo, s.d.hi, s.p, s.q]);
  return rows.map((x) => x.map(csvField).join(',')).join('\n') + '\n';
}

/** Whether the shifting latents predict defection, one row per condition × window × scope × model (report.prediction.csv). */
export function experimentPredictionCsv(r: ExperimentReport): string {
  const p = r.representation?.prediction;
  if (!p) return '';
  const rows: unknown[][] = [['condition', 'window', 'scope', 'episodes', 'model', 'features', 'r2', 'r2_lo', 'r2_hi', 'auroc', 'auroc_lo', 'auroc_hi', 'r2_first', 'r2_first_lo', 'r2_first_hi', 'gain_beyond_label', 'gain_lo', 'gain_hi', 'top_latent', 'top_latent_r2']];
  for (const x of predictionRows(p)) {
    const g = x.scores.gain;
    const t = x.scores.top[0];
    rows.push([x.condition, x.window, x.scope, x.scores.episodes, x.model, x.s.features, x.s.r2.estimate, x.s.r2.lo, x.s.r2.hi, x.s.auroc.estimate, x.s.auroc.lo, x.s.auroc.hi, x.s.r2First.estimate, x.s.r2First.lo, x.s.r2First.hi, g?.estimate ?? '', g?.lo ?? '', g?.hi ?? '', t?.latent ?? '', t?.r2 ?? '']);
  }
  return rows.map((x) => x.map(csvField).join(',')).join('\n') + '\n';
}
