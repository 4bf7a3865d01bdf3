// The experiment report as CSV: one row per condition × metric (pooled estimate and interval,
// and the shift from the baseline where there is one).
import { csvField } from '../conflicts/report/escape.js';
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
