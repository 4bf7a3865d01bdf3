// The conflict score over time (max per pixel column), the calibrated threshold (dashed)
// and the flags (red marks); and the context strip under it that carries the brush.
import { axisLeft, format, line, scaleLinear, type ScaleLinear, type Selection } from 'd3';
import type { ReportView } from '../../../server/protocol.js';
import type { RunData } from '../runData.js';

type Svg = Selection<SVGSVGElement, unknown, null, undefined>;
type Group = Selection<SVGGElement, unknown, null, undefined>;

/** Draws the score into `svg` (width × height) and its y axis with a title into `axis` (the gutter left of it). */
export function drawScore(svg: Svg, width: number, height: number, x: ScaleLinear<number, number>, report: ReportView | null, axis?: Svg): void {
  svg.selectAll('*').remove();
  axis?.selectAll('*').remove();
  if (!report) {
    svg.append('text').attr('x', 8).attr('y', 20).attr('fill', '#6b6b70').text('no conflict report for this run yet');
    return;
  }
  const [d0, d1] = x.domain() as [number, number];
  // reference data: fitted and calibrated on, not scored
  for (const g of report.reference ?? []) {
    const x0 = Math.max(0, x(g.from));
    const x1 = Math.min(width, x(g.to));
    if (x1 <= x0) continue;
    svg.append('rect').attr('class', 'reference').attr('x', x0).attr('y', 0).attr('width', x1 - x0).attr('height', height).attr('fill', '#ececec');
    if (x1 - x0 > 150) svg.append('text').attr('class', 'reference-label').attr('x', (x0 + x1) / 2).attr('y', height / 2 + 4).attr('text-anchor', 'middle').attr('fill', '#6b6b70').text('reference data (detector fit + calibration): not scored');
  }
  const rowsOf = report.scores?.row ?? [];
  const valuesOf = report.scores?.score ?? [];
  // rows are ascending: only the visible slice is visited
  let i0 = 0;
  let lo0 = 0;
  let hi0 = rowsOf.length;
  while (lo0 < hi0) {
    const mid = (lo0 + hi0) >> 1;
    if (rowsOf[mid]! < d0 - 1) lo0 = mid + 1;
    else hi0 = mid;
  }
  i0 = lo0;
  // per pixel column max of the visible scores
  const cols = new Float64Array(Math.ceil(width)).fill(NaN);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = i0; i < rowsOf.length && rowsOf[i]! <= d1 + 1; i++) {
    const sc = valuesOf[i]!;
    if (!Number.isFinite(sc)) continue;
    const c = Math.floor(x(rowsOf[i]!));
    if (c < 0 || c >= cols.length) continue;
    if (!(cols[c]! >= sc)) cols[c] = sc;
    if (sc < lo) lo = sc;
    if (sc > hi) hi = sc;
  }
  for (const f of report.flags) hi = Math.max(hi, f.score);
  if (report.threshold !== undefined) {
    lo = Math.min(lo, report.threshold);
    hi = Math.max(hi, report.threshold);
  }
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  const pad = (hi - lo) * 0.1 || Math.abs(hi) * 0.1 || 1;
  const y = scaleLinear().domain([lo - pad, hi + pad]).range([height - 4, 6]);
  const pts: [number, number][] = [];
  cols.forEach((v, c) => {
    if (Number.isFinite(v)) pts.push([c + 0.5, y(v)]);
  });
  svg.append('path').attr('d', line()(pts) ?? '').attr('fill', 'none').attr('stroke', '#444').attr('stroke-width', 1);
  if (report.threshold !== undefined) {
    svg.append('line').attr('class', 'threshold').attr('x1', 0).attr('x2', width).attr('y1', y(report.threshold)).attr('y2', y(report.threshold)).attr('stroke', '#d7191c').attr('stroke-dasharray', '4 3');
  }
  for (const f of report.flags) {
    const fx = x(f.row);
    if (fx < 0 || fx > width) continue;
    svg.append('path').attr('class', 'flag').attr('d', `M${fx},${y(f.score) - 2}l-5,-8h10z`).attr('fill', '#d7191c');
  }
  if (axis) {
    const gw = Number(axis.attr('width'));
    const short = (v: number) => (Math.abs(v) >= 1e4 ? format('~s')(v) : format('~r')(Number(v.toPrecision(3))));
    axis.append('g').attr('transform', `translate(${gw - 2},0)`).call(axisLeft(y).ticks(4).tickFormat((v) => short(Number(v))) as never);
    axis.append('text').attr('class', 'axis-title').attr('transform', `translate(12,${height / 2}) rotate(-90)`).attr('text-anchor', 'middle').text('conflict score');
  }
  if (report.threshold !== undefined) {
    const ty = y(report.threshold);
    svg.append('text').attr('class', 'threshold-label').attr('x', 4).attr('y', ty < 14 ? ty + 12 : ty - 3).attr('text-anchor', 'start').attr('fill', '#d7191c').text(`threshold ${round(report.threshold)}`);
  }
  if (!axis) svg.append('g').attr('transform', 'translate(44,0)').call(axisLeft(y).ticks(3, '~s') as never).call((g) => g.select('.domain').remove());
}

function round(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(3)));
}

/** The whole run in a thin strip (actions density + flags), under the brush. */
export function drawContext(svg: Group, width: number, height: number, x2: ScaleLinear<number, number>, data: RunData): void {
  const h = height - 14;
  const a = data.agents()[0];
  const cols = Math.ceil(width);
  const sum = new Float64Array(cols);
  const cnt = new Float64Array(cols);
  if (a?.action) {
    for (let r = 0; r < data.total; r++) {
      const c = Math.min(cols - 1, Math.floor(x2(r)));
      sum[c]! += a.action[r]!;
      cnt[c]!++;
    }
  }
  const [lo, hi] = data.actionRange;
  const pts: [number, number][] = [];
  for (let c = 0; c < cols; c++) if (cnt[c]) pts.push([c, h - ((sum[c]! / cnt[c]! - lo) / (hi - lo || 1)) * (h - 2)]);
  svg.append('path').attr('d', line()(pts) ?? '').attr('fill', 'none').attr('stroke', '#999');
  for (const f of data.report?.flags ?? []) {
    svg.append('line').attr('x1', x2(f.row)).attr('x2', x2(f.row)).attr('y1', 0).attr('y2', h).attr('stroke', '#d7191c');
  }
  svg.append('g').attr('transform', `translate(0,${h})`).call((g) => {
    g.append('line').attr('x1', 0).attr('x2', width).attr('stroke', '#bbb');
    g.append('text').attr('x', 2).attr('y', 12).attr('fill', '#6b6b70').text('0');
    g.append('text').attr('x', width - 2).attr('y', 12).attr('text-anchor', 'end').attr('fill', '#6b6b70').text(String(data.total));
  });
}
