// report.md: a summary a person can paste into notes.
import { bootstrapUnits } from '../evaluate/evaluate.js';
import type { Interval } from '../../util/bootstrap.js';
import { nullCheckLine, type ConflictReport } from './conflictReport.js';
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
  L.push(
    `| target false alarms / step | ${d.far} (calibrated: ${fmt(d.calibration.achievedRate, 5)} on ${d.calibration.nullSteps} null steps; resolution ${fmt(d.calibration.resolution, 5)}${d.calibration.nullSteps * d.far < 1 ? ': the target rate is below what these steps can resolve' : ''}) |`,
  );
  L.push(`| horizon H | ${d.horizon} steps |`, `| EWMA λ | ${d.lambda} |`, `| re-arm | ${d.rearm} steps |`);
  L.push(`| fit / calibration episodes | ${d.fitEpisodes.length} / ${d.calibrationEpisodes.length} |`);
  if (d.file) L.push(`| detector file | ${md(d.file)} |`);
  L.push('');
  if (r.precursor) L.push(`**${r.precursor.found ? 'Precursor' : 'No representational precursor found'}:** ${md(r.precursor.statement)}`, '');
  if (d.notes.length) L.push(...d.notes.map((n) => `- note: ${md(n)}`), '');
  const pre = d.precursors.flat();
  if (pre.length) L.push(`Precursor latents (training AUROC): ${pre.map((p) => `${md(p.feature)} (${p.auroc})`).join(', ')}`, '');
  const e = r.evaluation;
  if (e) {
    L.push(`## Evaluation (held-out episodes; 95% bootstrap intervals over ${bootstrapUnits(e)})`, '');
    L.push(`Target${e.truth ? ' (from the run\'s truth)' : ''}: ${md(e.target ?? '')}.`, '');
    L.push('| metric | value |', '|---|---|');
    L.push(`| AUROC (target above) | ${fmtInterval(e.ci.auroc)} |`);
    L.push(`| flagged ${e.truth ? 'after onset and ' : ''}before the divergence | ${e.flaggedBefore}/${e.conflicts} = ${fmtInterval(e.ci.detectionRate)} |`);
    L.push(`| median lead (steps) | ${fmtInterval(e.ci.medianLead, 1)} |`);
    L.push(`| lead p10 / p25 / p75 / p90 | ${[e.leadQuantiles.p10, e.leadQuantiles.p25, e.leadQuantiles.p75, e.leadQuantiles.p90].map((x) => fmt(x, 1)).join(' / ')} |`);
    L.push(`| false alarms per 1000 steps | ${fmtInterval(e.ci.falseAlarmsPer1000, 2)} (${e.falseAlarms} in ${e.steps} steps) |`);
    if (e.curveArea !== null && e.curveArea !== undefined) L.push(`| detection rate averaged over 0–1 false alarms per 1000 steps (threshold sweep) | ${fmt(e.curveArea, 3)} |`);
    if (e.attribution?.latents) L.push(`| attribution: top latent reads a drifting thought | ${fmtInterval(e.attribution.latents, 2)} (${e.attribution.detections} detections) |`);
    if (e.attribution?.agent) L.push(`| attribution: named agent is the one that drifted | ${fmtInterval(e.attribution.agent, 2)} |`);
    L.push('');
  } else if (r.nullCheck) {
    L.push(`No detection to evaluate: ${md(nullCheckLine(r.nullCheck))}.`, '');
  } else if (r.events.count === 0) {
    L.push('No evaluation: no behavioural conflicts in the scored episodes (flags are reported as they are).', '');
  }
  if (r.baselines?.length) {
    L.push('## Baselines (fitted on the same reference episodes, scored on the same episodes)', '');
    L.push('| detector | AUROC | flagged before divergence | median lead | false alarms / 1000 | mean detection over 0–1 FA/1000 (sweep) |', '|---|---|---|---|---|---|');
    const row = (name: string, x: NonNullable<ConflictReport['evaluation']>) =>
      `| ${md(name)} | ${fmtInterval(x.ci.auroc)} | ${x.flaggedBefore}/${x.conflicts} = ${fmtInterval(x.ci.detectionRate, 2)} | ${fmtInterval(x.ci.medianLead, 1)} | ${fmtInterval(x.ci.falseAlarmsPer1000, 2)} | ${fmt(x.curveArea ?? NaN, 3)} |`;
    if (e) L.push(row(`${d.views} (this report)`, e));
    for (const b of r.baselines) L.push(b.evaluation ? row(b.views, b.evaluation) : `| ${md(b.views)} | n/a | | | | |`);
    L.push('');
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
    L.push('| episode | step | score | pair | outcome | lead | top latents | moved | behaviour |', '|---|---|---|---|---|---|---|---|---|');
    for (const f of r.flags.slice(0, maxFlags)) {
      L.push(
        `| ${f.episode} | ${f.step} | ${f.score} | ${md(f.channel)} | ${f.outcome} | ${f.leadToEvent ?? ''} | ${f.latents
          .slice(0, 3)
          .map((l, i) => `${md(l.label)} (${l.disagreement}${f.thoughts?.[i] !== undefined && f.thoughts[i] !== null ? `; thought ${f.thoughts[i]}` : ''})`)
          .join(', ')} | ${md(f.movedAgent ?? '')} | ${Object.entries(f.behaviour ?? {})
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
