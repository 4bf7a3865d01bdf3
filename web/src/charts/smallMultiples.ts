// Histograms side by side, one per group, on one shared x scale and one shared y scale (counts),
// so the same quantity (a latent's activation, an episode's defection rate) is compared across
// groups by position alone. Each panel marks its mean with a line and carries data-mean / data-n.
import { axisBottom, axisLeft, bin, max, scaleLinear, select } from 'd3';

export interface HistogramGroup {
  label: string;
  values: readonly number[];
  colour?: string;
}

export interface SmallMultiplesOptions {
  /** Width of one panel. */
  width: number;
  height?: number;
  bins?: number;
  /** x domain shared by the panels; by default the extent of every value. */
  domain?: [number, number];
  axisTitle: string;
  /** Text under each panel's title, from its mean and count. */
  caption?: (mean: number, n: number) => string;
}

export function smallMultiples(groups: readonly HistogramGroup[], o: SmallMultiplesOptions): HTMLElement {
  const box = document.createElement('div');
  box.className = 'small-multiples';
  box.style.display = 'flex';
  box.style.flexWrap = 'wrap';
  box.style.gap = '8px';
  const all = groups.flatMap((g) => g.values).filter(Number.isFinite);
  let [lo, hi] = o.domain ?? [Math.min(...all), Math.max(...all)];
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (lo === hi) [lo, hi] = [lo, lo + (lo === 0 ? 1 : Math.abs(lo) * 0.1)];
  const x = scaleLinear().domain([lo, hi]).range([36, o.width - 10]);
  // thresholds strictly inside the domain: a threshold at `hi` would make an empty-width last bin
  const b = bin().domain([lo, hi]).thresholds(x.ticks(o.bins ?? 20).filter((t) => t > lo && t < hi));
  const binned = groups.map((g) => b(g.values.filter(Number.isFinite)));
  const H = o.height ?? 110;
  const M = { t: 8, b: 32 };
  const y = scaleLinear().domain([0, max(binned.flat(), (d) => d.length) || 1]).nice().range([M.t + H, M.t]);
  groups.forEach((g, i) => {
    const vals = g.values.filter(Number.isFinite);
    const mean = vals.length ? vals.reduce((a, v) => a + v, 0) / vals.length : NaN;
    const panel = document.createElement('div');
    panel.className = 'multiple';
    panel.dataset.group = g.label;
    panel.dataset.mean = String(mean);
    panel.dataset.n = String(vals.length);
    const title = document.createElement('div');
    title.className = 'label multiple-title';
    title.textContent = o.caption ? `${g.label}: ${o.caption(mean, vals.length)}` : g.label;
    panel.append(title);
    const svg = select(panel).append('svg').attr('width', o.width).attr('height', H + M.t + M.b);
    svg.selectAll('rect').data(binned[i]!).join('rect')
      .attr('x', (d) => x(d.x0!)).attr('width', (d) => Math.max(1, x(d.x1!) - x(d.x0!) - 1))
      .attr('y', (d) => y(d.length)).attr('height', (d) => M.t + H - y(d.length)).attr('fill', g.colour ?? '#777')
      .attr('data-count', (d) => d.length);
    if (Number.isFinite(mean)) svg.append('line').attr('class', 'mean-line').attr('x1', x(mean)).attr('x2', x(mean)).attr('y1', M.t).attr('y2', M.t + H).attr('stroke', '#b00020').attr('stroke-width', 1.5);
    svg.append('g').attr('transform', `translate(0,${M.t + H})`).call(axisBottom(x).ticks(4) as never);
    svg.append('g').attr('transform', 'translate(36,0)').call(axisLeft(y).ticks(3, 'd') as never);
    svg.append('text').attr('class', 'axis-title').attr('x', (36 + o.width - 10) / 2).attr('y', M.t + H + 28).attr('text-anchor', 'middle').text(o.axisTitle);
    box.append(panel);
  });
  return box;
}
