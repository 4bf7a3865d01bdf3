// report.html: one standalone file, charts inline as SVG, styles inline, no scripts and no
// external URLs, so it opens offline and can be mailed around. Every string from the run
// is escaped.
import { bootstrapUnits } from '../evaluate/evaluate.js';
import { chartSeries, nullCheckLine, type ConflictReport } from './conflictReport.js';
import { escapeHtml as esc } from './escape.js';
import { fmtInterval } from './markdownReport.js';
import { leadHistogramSvg, timelineSvg, topLatentsSvg } from './svgCharts.js';

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1000px;color:#1b1f24;padding:0 12px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}table{border-collapse:collapse;margin:8px 0}
td,th{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f6f8fa}
.muted{color:#57606a}.score{fill:none;stroke:#0969da;stroke-width:1.2}.threshold{stroke:#cf222e;stroke-dasharray:4 3}
.event{stroke:#8250df;stroke-width:1.5}.episode{stroke:#d0d7de}.axis{stroke:#57606a}.tick{font-size:10px;fill:#57606a}
.flag{fill:#1a7f37}.flag.false-alarm{fill:#bc4c00}.flag.during-conflict{fill:#6e7781}.bar{fill:#0969da}
.legend span{margin-right:14px}.sw{display:inline-block;width:10px;height:10px;margin-right:4px}`;

export function htmlReport(r: ConflictReport, maxFlags = 200): string {
  const d = r.detector;
  const e = r.evaluation;
  const rows = (pairs: [string, string][]) => pairs.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('');
  const flagRows = r.flags
    .slice(0, maxFlags)
    .map(
      (f) =>
        `<tr><td>${esc(f.episode)}</td><td>${esc(f.step)}</td><td>${esc(f.score)}</td><td>${esc(f.channel)}${f.movedAgent ? ` <span class="muted">(moved: ${esc(f.movedAgent)})</span>` : ''}</td><td>${esc(f.outcome)}</td><td>${esc(f.leadToEvent ?? '')}</td><td>${f.latents
          .map((l) => `${esc(l.label)} <span class="muted">(${esc(l.class)})</span> ${esc(l.disagreement)} [${Object.entries(l.views).map(([a, v]) => `${esc(a)}: ${esc(v)}`).join(', ')}]`)
          .join('<br>')}</td><td>${f.contributions.map((c) => `${esc(c.feature)}: ${esc(c.contribution)}`).join('<br>')}</td><td>${Object.entries(f.behaviour ?? {})
          .map(([a, cols]) => `${esc(a)}: ${Object.entries(cols).map(([k, v]) => `${esc(k)}=${esc(v)}`).join(', ')}`)
          .join('<br>')}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Conflict report: ${esc(r.run.id)}</title><style>${CSS}</style></head><body>
<h1>Conflict report: run ${esc(r.run.id)}</h1>
<p class="muted">Agents ${r.run.agents.map(esc).join(', ')} · ${esc(r.scored.episodes)} episodes, ${esc(r.scored.steps)} steps scored · ${esc(r.flags.length)} flags · ${esc(r.events.count)} behavioural conflicts (${esc(r.events.definition)}) · report schema ${esc(r.schema)} v${esc(r.version)} · ${esc(r.createdAt)}</p>
<h2>Timeline</h2>
<p class="legend"><span><i class="sw" style="background:#0969da"></i>score</span><span><i class="sw" style="background:#cf222e"></i>threshold</span><span><i class="sw" style="background:#8250df"></i>behavioural conflict</span><span><i class="sw" style="background:#1a7f37"></i>flag before a conflict</span><span><i class="sw" style="background:#bc4c00"></i>false alarm</span></p>
${timelineSvg(r)}
<p class="muted">Showing ${esc(chartSeries(r).length)} of ${esc(r.scored.episodes)} episodes (those with conflicts or flags first).</p>
<h2>Evaluation</h2>
${
  e
    ? `<table>${rows([
        ['AUROC (a conflict follows within H)', fmtInterval(e.ci.auroc)],
        ['flagged before the conflict', `${e.flaggedBefore}/${e.conflicts} = ${fmtInterval(e.ci.detectionRate)}`],
        ['median lead (steps)', fmtInterval(e.ci.medianLead, 1)],
        ['false alarms per 1000 steps', `${fmtInterval(e.ci.falseAlarmsPer1000, 2)} (${e.falseAlarms} in ${e.steps} steps)`],
        ['intervals', `95% percentile bootstrap over ${bootstrapUnits(e)}, ${e.bootstrap.resamples} resamples, seed ${e.bootstrap.seed}`],
      ])}</table>`
    : r.nullCheck
      ? `<p>No detection to evaluate: ${esc(nullCheckLine(r.nullCheck))}.</p>`
      : '<p class="muted">No behavioural conflicts in the scored episodes: nothing to evaluate against.</p>'
}
<h2>Lead times</h2>
${leadHistogramSvg(r)}
<h2>Top conflicting latents</h2>
${topLatentsSvg(r)}
<h2>Detector</h2>
<table>${rows([
    ['views', d.views],
    ['score', d.mode],
    ['threshold', d.threshold === null ? '∞' : String(d.threshold)],
    ['target false alarms per step', `${d.far} (calibrated ${d.calibration.achievedRate} on ${d.calibration.nullSteps} null steps)`],
    ['horizon H', `${d.horizon} steps`],
    ['EWMA λ / re-arm', `${d.lambda} / ${d.rearm} steps`],
    ['fit / calibration episodes', `${d.fitEpisodes.length} / ${d.calibrationEpisodes.length}`],
    ['precursor latents', d.precursors.flat().map((p) => `${p.feature} (AUROC ${p.auroc})`).join(', ') || 'none'],
    ...(r.precursor ? [['representational precursor', r.precursor.statement] as [string, string]] : []),
    ...d.notes.map((x) => ['note', x] as [string, string]),
  ])}</table>
${r.live ? `<p>Live: ${esc(r.live.batches)} batches; latency from a batch on disk to its flags written: median ${esc(r.live.latencyMs.median.toFixed(1))} ms, p99 ${esc(r.live.latencyMs.p99.toFixed(1))} ms.</p>` : ''}
<h2>Flags${r.flags.length > maxFlags ? ` (first ${maxFlags} of ${r.flags.length}; all in flags.csv)` : ''}</h2>
${r.flags.length ? `<table><tr><th>episode</th><th>step</th><th>score</th><th>pair</th><th>outcome</th><th>lead</th><th>latents (disagreement, views)</th><th>contributions</th><th>behaviour</th></tr>${flagRows}</table>` : '<p class="muted">None.</p>'}
</body></html>
`;
}
