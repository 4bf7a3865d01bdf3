// report.md: a summary a person can paste into notes.
import type { Interval } from '../../util/bootstrap.js';
import type { ConflictReport } from './conflictReport.js';
import { escapeMarkdown as md } from './escape.js';

export function fmtInterval(i: Interval, digits = 3): string {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
  return `${f(i.estimate)} [${f(i.lo)}, ${f(i.hi)}]`;
}

export function markdownReport(r: ConflictReport, maxFlags = 50): string {
  const d = r.detector;
  const L: string[] = [];
  L.push(`# Conflict report: run ${md(r.run.id)}`, '');
  L.push(`Agents ${r.run.agents.map(md).join(', ')} · ${r.scored.episodes} episodes, ${r.scored.steps} steps scored · ${r.flags.length} flags · ${r.events.count} behavioural conflicts (${md(r.events.definition)})`, '');
  L.push('## Detector', '');
  L.push('| setting | value |', '|---|---|');
  L.push(`| views | ${md(d.views)} |`, `| score | ${md(d.mode)} |`, `| threshold | ${d.threshold ?? '∞'} |`);
  L.push(`| target false alarms / step | ${d.far} (calibrated: ${fmt(d.calibration.achievedRate, 5)} on ${d.calibration.nullSteps} null steps) |`);
  L.push(`| horizon H | ${d.horizon} steps |`, `| EWMA λ | ${d.lambda} |`, `| re-arm | ${d.rearm} steps |`);
  L.push(`| fit / calibration episodes | ${d.fitEpisodes.length} / ${d.calibrationEpisodes.length} |`);
  if (d.file) L.push(`| detector file | ${md(d.file)} |`);
  L.push('');
  if (d.notes.length) L.push(...d.notes.map((n) => `- note: ${md(n)}`), '');
  const pre = d.precursors.flat();
  if (pre.length) L.push(`Precursor latents (training AUROC): ${pre.map((p) => `${md(p.feature)} (${p.auroc})`).join(', ')}`, '');
  const e = r.evaluation;
  if (e) {
    L.push('## Evaluation (held-out episodes; 95% bootstrap intervals over episodes)', '');
    L.push('| metric | value |', '|---|---|');
    L.push(`| AUROC (conflict within H) | ${fmtInterval(e.ci.auroc)} |`);
    L.push(`| flagged before the conflict | ${e.flaggedBefore}/${e.conflicts} = ${fmtInterval(e.ci.detectionRate)} |`);
    L.push(`| median lead (steps) | ${fmtInterval(e.ci.medianLead, 1)} |`);
    L.push(`| lead p10 / p25 / p75 / p90 | ${[e.leadQuantiles.p10, e.leadQuantiles.p25, e.leadQuantiles.p75, e.leadQuantiles.p90].map((x) => fmt(x, 1)).join(' / ')} |`);
    L.push(`| false alarms per 1000 steps | ${fmtInterval(e.ci.falseAlarmsPer1000, 2)} (${e.falseAlarms} in ${e.steps} steps) |`);
    L.push('');
  } else {
    L.push('No evaluation: no behavioural conflicts in the scored episodes.', '');
  }
  if (r.live) L.push(`Live: ${r.live.batches} batches, latency batch-on-disk → flags written: median ${r.live.latencyMs.median.toFixed(1)} ms, p99 ${r.live.latencyMs.p99.toFixed(1)} ms`, '');
  if (r.topLatents.length) {
    L.push('## Top conflicting latents', '', '| latent | class | pair | flags | mean abs. disagreement |', '|---|---|---|---|---|');
    for (const t of r.topLatents.slice(0, 10)) L.push(`| ${md(t.label)} | ${md(t.class)} | ${md(t.channel)} | ${t.flags} | ${t.meanAbsDisagreement} |`);
    L.push('');
  }
  L.push(`## Flags${r.flags.length > maxFlags ? ` (first ${maxFlags} of ${r.flags.length}; all in flags.csv)` : ''}`, '');
  if (r.flags.length === 0) L.push('None.');
  else {
    L.push('| episode | step | score | pair | outcome | lead | top latents | behaviour |', '|---|---|---|---|---|---|---|---|');
    for (const f of r.flags.slice(0, maxFlags)) {
      L.push(
        `| ${f.episode} | ${f.step} | ${f.score} | ${md(f.channel)} | ${f.outcome} | ${f.leadToEvent ?? ''} | ${f.latents
          .slice(0, 3)
          .map((l) => `${md(l.label)} (${l.disagreement})`)
          .join(', ')} | ${Object.entries(f.behaviour ?? {})
          .map(([a, cols]) => `${md(a)}: ${Object.entries(cols).map(([k, v]) => `${md(k)}=${md(v)}`).join(', ')}`)
          .join('; ')} |`,
      );
    }
  }
  return L.join('\n') + '\n';
}

function fmt(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : 'n/a';
}
