// The experiment report as Markdown: behaviour per condition, then the shifts from the baseline.
import { escapeMarkdown as md } from '../conflicts/report/escape.js';
import { METRIC_LABELS, METRICS, type ExperimentReport } from './experimentReport.js';

export const fmtInterval = (i: { estimate: number; lo: number; hi: number }, d = 3): string => `${i.estimate.toFixed(d)} [${i.lo.toFixed(d)}, ${i.hi.toFixed(d)}]`;

export function experimentMarkdown(r: ExperimentReport): string {
  const L: string[] = [`# Experiment ${md(r.name)}`, ''];
  if (r.description) L.push(md(r.description), '');
  L.push(
    `Seeds ${r.seeds.join(', ')}; ${r.evaluate.coPlayers} test-split co-players × ${r.evaluate.episodesPerCoPlayer} episodes of ${r.evaluate.steps} rounds per seed. ` +
      `Intervals: 95% percentile bootstrap over (seed, co-player). Baseline: **${md(r.baseline)}**. Command: \`${md(r.command)}\` (${r.seconds.toFixed(0)} s).`,
    '',
    '## Behaviour per condition',
    '',
    `| condition | train context | peer memory | history | ${METRICS.map((m) => METRIC_LABELS[m]).join(' | ')} | rounds to adapt (per seed) |`,
    `|---|---|---|---|${METRICS.map(() => '---|').join('')}---|`,
  );
  for (const c of r.conditions) {
    L.push(`| ${md(c.condition)} | ${md(c.context)} | ${md(c.prefix || '—')} | ${md(c.history || '—')} | ${METRICS.map((m) => fmtInterval(c.metrics[m], m === 'firstDefection' ? 1 : 3)).join(' | ')} | ${c.adaptRounds.join(', ')} |`);
  }
  L.push('', `## Shift from ${md(r.baseline)} (paired by seed and co-player; p: paired sign-flip permutation test, q: Benjamini–Hochberg over all ${r.shifts.length} tests)`, '');
  L.push('| condition | metric | Δ [95% CI] | d_z | p | q |', '|---|---|---|---|---|---|');
  for (const s of r.shifts) L.push(`| ${md(s.condition)} | ${METRIC_LABELS[s.metric]} | ${fmtInterval(s.delta, s.metric === 'firstDefection' ? 2 : 3)} | ${s.effectSize.toFixed(2)} | ${s.p.toPrecision(2)} | ${s.q.toPrecision(2)}${s.q <= r.alpha ? ' *' : ''} |`);
  L.push('', `\\* q ≤ ${r.alpha}.`, '');
  return L.join('\n');
}
