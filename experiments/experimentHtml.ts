// The experiment report as one self-contained HTML page: the Markdown tables as HTML plus the
// best-response curve per condition as an inline SVG.
import { escapeHtml as h } from '../conflicts/report/escape.js';
import { fmtInterval, fmtScore, fmtTop, predictionRows, WINDOW_LABELS } from './experimentMarkdown.js';
import { METRIC_LABELS, METRICS, type ExperimentReport } from './experimentReport.js';

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

function curves(r: ExperimentReport): string {
  const W = 640;
  const H = 220;
  const T = r.evaluate.steps;
  const x = (t: number): number => 40 + (t / Math.max(1, T - 1)) * (W - 60);
  const y = (v: number): number => H - 30 - v * (H - 50);
  const lines = r.conditions.map((c, i) => {
    const d = c.curve.map((v, t) => `${t ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join('');
    return `<path d="${d}" fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="1.5"/><text x="${W - 15}" y="${20 + 14 * i}" font-size="11" text-anchor="end" fill="${COLORS[i % COLORS.length]}">${h(c.condition)}</text>`;
  });
  return `<svg width="${W}" height="${H}" role="img" aria-label="best-response rate per round"><line x1="40" y1="${y(0)}" x2="${W - 20}" y2="${y(0)}" stroke="#999"/><line x1="40" y1="${y(0)}" x2="40" y2="${y(1)}" stroke="#999"/><text x="4" y="${y(1) + 4}" font-size="10">1</text><text x="4" y="${y(0) + 4}" font-size="10">0</text><text x="${W / 2}" y="${H - 6}" font-size="11" text-anchor="middle">round</text>${lines.join('')}</svg>`;
}

function latents(r: ExperimentReport): string {
  const rep = r.representation;
  if (!rep) return '';
  const rows = rep.conditions.flatMap((c) =>
    c.top.map((s) => [c.condition, c.sameAgent ? 'yes' : 'no', s.latent, s.deltaMean.toFixed(4), s.deltaRate.toFixed(3), fmtInterval(s.d, 2), s.p.toPrecision(2), s.q.toPrecision(2) + (s.q <= rep.alpha ? ' *' : '')]),
  );
  const p = rep.prediction;
  const pred = p
    ? `<h2>Do the shifting latents predict defection? (each condition vs ${h(p.baseline)})</h2><p>Ridge (λ from {${p.lambdas.join(', ')}} by inner CV), ${p.folds} folds of (seed, co-player) groups; ${p.latentsPerModel} shifting latents chosen on the training folds; AUROC for defection above the median; 95% bootstrap over groups. Window: episode mean or round 0 (after the memory, before any move). Within: the condition's episodes alone.</p>${htmlTable(
        ['condition', 'window', 'scope (episodes)', 'model', 'features', 'R² defection [95% CI]', 'AUROC [95% CI]', 'R² first defection [95% CI]'],
        predictionRows(p).map((r) => [r.condition, WINDOW_LABELS[r.window as 'episode' | 'start'], `${r.scope} (${r.scores.episodes})`, r.model, r.s.features, fmtScore(r.s.r2), fmtScore(r.s.auroc), fmtScore(r.s.r2First)]),
      )}${htmlTable(
        ['condition', 'window', 'scope', 'ΔR² beyond the label', 'ΔR² latents − raw', 'most predictive latents (R², r, d)'],
        p.conditions.flatMap((c) => (['pooled', 'within'] as const).map((sc) => [c.condition, WINDOW_LABELS[c.window], sc, c[sc].gain ? fmtScore(c[sc].gain!) : '—', fmtScore(c[sc].latentsMinusRaw), fmtTop(c[sc])])),
      )}`
    : '';
  return `<h2>Representational shift from ${h(rep.baseline)}</h2><p>One dictionary across conditions (${rep.dictionary.latents} latents, k ${rep.dictionary.k}); held-out episodes: ${h(rep.heldOut)}; q: Benjamini–Hochberg over ${rep.tests} tests.</p>${htmlTable(['condition', 'same agent', 'latent', 'Δ mean', 'Δ rate', "Cohen's d [95% CI]", 'p', 'q (BH)'], rows)}
${pred}
`;
}

/** A header row and body rows as an HTML table, every cell escaped. */
export function htmlTable(head: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return `<table><tr>${head.map((x) => `<th>${h(x)}</th>`).join('')}</tr>${rows.map((row) => `<tr>${row.map((x) => `<td>${h(x)}</td>`).join('')}</tr>`).join('')}</table>`;
}

export function experimentHtml(r: ExperimentReport): string {
  const head = ['condition', 'train context', 'peer memory', 'history', ...METRICS.map((m) => METRIC_LABELS[m]), 'rounds to adapt'];
  const rows = r.conditions.map((c) => [c.condition, c.context, c.prefix || '—', c.history || '—', ...METRICS.map((m) => fmtInterval(c.metrics[m], m === 'firstDefection' ? 1 : 3)), c.adaptRounds.join(', ')]);
  const shifts = r.shifts.map((s) => [s.condition, METRIC_LABELS[s.metric], fmtInterval(s.delta, 3), s.p.toPrecision(2), s.q.toPrecision(2) + (s.q <= r.alpha ? ' *' : '')]);
  return `<!doctype html><html><head><meta charset="utf-8"><title>Experiment ${h(r.name)}</title><style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px;font-size:12px}</style></head><body>
<h1>Experiment ${h(r.name)}</h1><p>${h(r.description)}</p>
<p>Seeds ${h(r.seeds.join(', '))}; ${r.evaluate.coPlayers} test-split co-players × ${r.evaluate.episodesPerCoPlayer} episodes of ${r.evaluate.steps} rounds. Baseline <b>${h(r.baseline)}</b>. <code>${h(r.command)}</code></p>
<h2>Behaviour per condition</h2>${htmlTable(head, rows)}
<h2>Best-response rate per round</h2>${curves(r)}
<h2>Shift from ${h(r.baseline)}</h2>${htmlTable(['condition', 'metric', 'Δ [95% CI]', 'p', 'q (BH)'], shifts)}
${latents(r)}</body></html>\n`;
}
