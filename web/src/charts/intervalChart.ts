// Estimates with their intervals, one row per label (a forest plot): a dot at the estimate, a
// whisker from lo to hi, optional extra points per row (e.g. per-seed values), a reference line
// (e.g. 0 or the baseline). The x scale is shared by every row; rows carry data attributes with
// the numbers drawn, so tests read the chart as well as the table beside it.
import { axisBottom, scaleLinear, select } from 'd3';

export interface IntervalRow {
  label: string;
  estimate: number | null;
  lo: number | null;
  hi: number | null;
  points?: (number | null)[];
  colour?: string;
}

export interface IntervalChartOptions {
  width: number;
  rowHeight?: number;
  labelWidth?: number;
  /** x domain; by default the extent of every drawn number (and the reference). */
  domain?: [number, number];
  reference?: number | null;
  axisTitle: string;
  id?: string;
}

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

export function intervalChart(rows: readonly IntervalRow[], o: IntervalChartOptions): SVGSVGElement {
  const rowH = o.rowHeight ?? 20;
  const L = o.labelWidth ?? 120;
  const M = { t: 6, r: 14, b: 34 };
  const H = rows.length * rowH;
  const all = rows.flatMap((r) => [r.estimate, r.lo, r.hi, ...(r.points ?? [])]).filter(finite);
  if (finite(o.reference)) all.push(o.reference);
  let [lo, hi] = o.domain ?? [Math.min(...all), Math.max(...all)];
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
  const x = scaleLinear().domain([lo, hi]).nice().range([L, o.width - M.r]);
  const svg = select(document.createElementNS('http://www.w3.org/2000/svg', 'svg')).attr('width', o.width).attr('height', H + M.t + M.b);
  if (o.id) svg.attr('id', o.id);
  if (finite(o.reference)) svg.append('line').attr('class', 'reference').attr('x1', x(o.reference)).attr('x2', x(o.reference)).attr('y1', M.t).attr('y2', M.t + H).attr('stroke', '#999').attr('stroke-dasharray', '3,3');
  rows.forEach((r, i) => {
    const y = M.t + i * rowH + rowH / 2;
    const g = svg.append('g').attr('class', 'interval-row').attr('data-label', r.label).attr('data-estimate', String(r.estimate)).attr('data-lo', String(r.lo)).attr('data-hi', String(r.hi));
    const c = r.colour ?? '#1f78b4';
    g.append('text').attr('x', L - 6).attr('y', y + 4).attr('text-anchor', 'end').attr('font-size', 11).text(r.label);
    if (finite(r.lo) && finite(r.hi)) g.append('line').attr('class', 'whisker').attr('x1', x(r.lo)).attr('x2', x(r.hi)).attr('y1', y).attr('y2', y).attr('stroke', c).attr('stroke-width', 2);
    for (const p of r.points ?? []) if (finite(p)) g.append('circle').attr('class', 'point').attr('cx', x(p)).attr('cy', y).attr('r', 2.5).attr('fill', 'none').attr('stroke', '#555');
    if (finite(r.estimate)) g.append('circle').attr('class', 'estimate').attr('cx', x(r.estimate)).attr('cy', y).attr('r', 4).attr('fill', c);
  });
  svg.append('g').attr('transform', `translate(0,${M.t + H})`).call(axisBottom(x).ticks(Math.max(2, Math.floor((o.width - L) / 70))) as never);
  svg.append('text').attr('class', 'axis-title').attr('x', (L + o.width - M.r) / 2).attr('y', M.t + H + 30).attr('text-anchor', 'middle').text(o.axisTitle);
  return svg.node()!;
}
