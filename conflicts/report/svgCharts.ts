// Inline SVG charts for the standalone HTML report: no scripts, no external resources,
// every run-provided string escaped. Plain string building keeps the report a single file
// that opens offline in any browser.
import { escapeHtml as esc } from './escape.js';
import { chartSeries, type ConflictReport } from './conflictReport.js';

const W = 960;

function n(x: number): string {
  return Number.isFinite(x) ? (Math.round(x * 10) / 10).toString() : '0';
}

/** Score over steps for the report's series, episodes side by side; threshold line, events, flags. */
export function timelineSvg(r: ConflictReport): string {
  const series = chartSeries(r);
  const H = 220;
  const pad = { l: 48, r: 12, t: 12, b: 28 };
  const total = series.reduce((s, e) => s + e.step.length, 0);
  if (total === 0) return `<p class="muted">No steps to chart.</p>`;
  const thr = r.detector.threshold;
  let lo = Infinity;
  let hi = -Infinity;
  for (const e of series) {
    for (const v of e.score) {
      if (!Number.isFinite(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (thr !== null) hi = Math.max(hi, thr);
  if (!(hi > lo)) hi = lo + 1;
  const x = (i: number) => pad.l + (i / Math.max(1, total - 1)) * (W - pad.l - pad.r);
  const y = (v: number) => pad.t + (1 - (Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * (H - pad.t - pad.b);
  const parts: string[] = [];
  const flagsBy = new Map<string, ConflictReport['flags'][number]>();
  for (const f of r.flags) flagsBy.set(`${f.episode}/${f.step}`, f);
  let offset = 0;
  // Downsample long series: at most ~2 points per pixel, keeping each bin's maximum.
  const stride = Math.max(1, Math.floor(total / (2 * (W - pad.l - pad.r))));
  for (const e of series) {
    const pts: string[] = [];
    for (let i = 0; i < e.score.length; i += stride) {
      let m = -Infinity;
      for (let k = i; k < Math.min(e.score.length, i + stride); k++) m = Math.max(m, e.score[k]!);
      pts.push(`${n(x(offset + i))},${n(y(m))}`);
    }
    parts.push(`<polyline class="score" points="${pts.join(' ')}"><title>episode ${esc(e.episode)}</title></polyline>`);
    if (offset > 0) parts.push(`<line class="episode" x1="${n(x(offset))}" x2="${n(x(offset))}" y1="${pad.t}" y2="${H - pad.b}"/>`);
    parts.push(`<text class="tick" x="${n(x(offset) + 2)}" y="${H - pad.b + 12}">ep ${esc(e.episode)}</text>`);
    for (const s of e.events) {
      const i = e.step.indexOf(s);
      parts.push(
        `<line class="event" x1="${n(x(offset + i))}" x2="${n(x(offset + i))}" y1="${pad.t}" y2="${H - pad.b}"><title>behavioural conflict: episode ${esc(e.episode)}, step ${esc(s)}</title></line>`,
      );
    }
    e.step.forEach((s, i) => {
      const f = flagsBy.get(`${e.episode}/${s}`);
      if (!f) return;
      const cx = x(offset + i);
      const cy = y(e.score[i]!);
      const tip = `flag: episode ${f.episode}, step ${f.step}, score ${f.score} (${f.outcome}${f.leadToEvent !== null ? `, ${f.leadToEvent} steps early` : ''}); ${f.latents
        .slice(0, 3)
        .map((l) => `${l.label} ${l.disagreement}`)
        .join(', ')}`;
      parts.push(`<path class="flag ${esc(f.outcome)}" d="M${n(cx)},${n(cy - 9)} l-5,-8 h10 z"><title>${esc(tip)}</title></path>`);
    });
    offset += e.step.length;
  }
  if (thr !== null) parts.push(`<line class="threshold" x1="${pad.l}" x2="${W - pad.r}" y1="${n(y(thr))}" y2="${n(y(thr))}"><title>threshold ${esc(thr)}</title></line>`);
  const axis = [lo, (lo + hi) / 2, hi].map((v) => `<text class="tick" x="${pad.l - 4}" y="${n(y(v) + 4)}" text-anchor="end">${esc(n(v))}</text>`);
  return `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="conflict score timeline"><line class="axis" x1="${pad.l}" x2="${pad.l}" y1="${pad.t}" y2="${H - pad.b}"/>${axis.join('')}${parts.join('')}</svg>`;
}

export function barsSvg(title: string, labels: string[], values: number[], opts: { xLabel?: string; vertical?: boolean } = {}): string {
  if (values.length === 0) return `<p class="muted">${esc(title)}: nothing to show.</p>`;
  const max = Math.max(...values, 1e-12);
  if (opts.vertical) {
    const H = 200;
    const pad = { l: 36, r: 8, t: 10, b: 34 };
    const bw = (W / 2 - pad.l - pad.r) / values.length;
    const bars = values.map((v, i) => {
      const h = (v / max) * (H - pad.t - pad.b);
      const x = pad.l + i * bw;
      return `<rect class="bar" x="${n(x + 1)}" y="${n(H - pad.b - h)}" width="${n(Math.max(1, bw - 2))}" height="${n(h)}"><title>${esc(labels[i])}: ${esc(v)}</title></rect><text class="tick" x="${n(x + bw / 2)}" y="${H - pad.b + 12}" text-anchor="middle">${esc(labels[i])}</text>`;
    });
    return `<svg viewBox="0 0 ${W / 2} ${H}" width="50%" role="img" aria-label="${esc(title)}">${bars.join('')}<text class="tick" x="${W / 4}" y="${H - 4}" text-anchor="middle">${esc(opts.xLabel ?? '')}</text><text class="tick" x="4" y="${pad.t + 8}">${esc(max)}</text></svg>`;
  }
  const rowH = 20;
  const H = values.length * rowH + 10;
  const lw = 220;
  const rows = values.map((v, i) => {
    const w = (v / max) * (W / 2 - lw - 60);
    const y = 5 + i * rowH;
    return `<text class="tick" x="${lw - 6}" y="${y + 14}" text-anchor="end">${esc(labels[i])}</text><rect class="bar" x="${lw}" y="${y + 3}" width="${n(Math.max(1, w))}" height="${rowH - 6}"><title>${esc(labels[i])}: ${esc(v)}</title></rect><text class="tick" x="${n(lw + w + 4)}" y="${y + 14}">${esc(v)}</text>`;
  });
  return `<svg viewBox="0 0 ${W / 2} ${H}" width="50%" role="img" aria-label="${esc(title)}">${rows.join('')}</svg>`;
}

/** Histogram of lead times (steps) of conflicts flagged before they happened. */
export function leadHistogramSvg(r: ConflictReport): string {
  const leads = r.evaluation?.leads ?? r.flags.filter((f) => f.leadToEvent !== null).map((f) => f.leadToEvent!);
  if (leads.length === 0) return `<p class="muted">No conflict was flagged before it happened, so there are no lead times.</p>`;
  const H = r.detector.horizon;
  const bins = Math.min(20, H);
  const width = Math.ceil(H / bins);
  const counts = new Array<number>(Math.ceil(H / width) + 1).fill(0);
  for (const l of leads) counts[Math.min(counts.length - 1, Math.floor(l / width))]!++;
  const labels = counts.map((_, i) => (width === 1 ? `${i}` : `${i * width}`));
  return barsSvg('lead-time histogram', labels, counts, { vertical: true, xLabel: 'lead (steps before the behavioural conflict)' });
}

export function topLatentsSvg(r: ConflictReport): string {
  const t = r.topLatents.slice(0, 12);
  return barsSvg(
    'top conflicting latents',
    t.map((l) => `${l.label} · ${l.class}${r.run.agents.length > 2 ? ` · ${l.channel}` : ''}`),
    t.map((l) => l.flags),
  );
}
