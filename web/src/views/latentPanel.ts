// A latent's detail in the side panel: class, activity, activation histogram, decoder
// norms per agent, the top-activating steps with both agents' behaviour around them, and
// the flags it drove.
import { axisBottom, max, scaleLinear, select } from 'd3';
import type { CodesInfo, LatentDetail } from '../../../server/protocol.js';
import { enc, getJson } from '../api.js';
import { classColor, clear, el, fmt } from '../dom.js';

export async function renderLatentPanel(side: HTMLElement, runId: string, codes: CodesInfo, j: number, focusRow: (row: number) => void): Promise<void> {
  const panel = side.querySelector<HTMLElement>('#latent-panel') ?? side.appendChild(el('div', { id: 'latent-panel' }));
  clear(panel);
  panel.append(el('h3', {}, `Latent ${j}`), el('div', { class: 'muted' }, 'loading…'));
  let d: LatentDetail;
  try {
    d = await getJson<LatentDetail>(`/api/runs/${enc(runId)}/codes/${enc(codes.name)}/latents/${j}`);
  } catch (err) {
    clear(panel);
    panel.append(el('div', { class: 'error' }, (err as Error).message));
    return;
  }
  clear(panel);
  panel.setAttribute('data-latent', String(j));
  panel.append(
    el('h3', {}, `Latent ${j} `, el('span', { class: `class-${d.class}`, style: `color:${classColor(d.class)}` }, d.class)),
    el('dl', { class: 'kv' },
      el('dt', {}, 'active'), el('dd', {}, `${(d.activeFraction * 100).toFixed(2)}% of steps`),
      el('dt', {}, 'max'), el('dd', {}, fmt(d.max)),
      el('dt', {}, 'decoder norm'), el('dd', {}, d.decoderNorms ? Object.entries(d.decoderNorms).map(([a, n]) => `${a}: ${fmt(n)}`).join(' · ') : 'checkpoint not in this workspace'),
    ),
  );
  // activation histogram
  const w = 290;
  const h = 80;
  const svg = select(panel).append('svg').attr('id', 'latent-hist').attr('width', w).attr('height', h + 18);
  const xs = scaleLinear().domain([d.histogram[0]?.x0 ?? 0, d.histogram[d.histogram.length - 1]?.x1 ?? 1]).range([4, w - 4]);
  const ys = scaleLinear().domain([0, max(d.histogram, (b) => b.count) || 1]).range([h, 4]);
  svg.selectAll('rect').data(d.histogram).join('rect')
    .attr('x', (b) => xs(b.x0)).attr('width', (b) => Math.max(1, xs(b.x1) - xs(b.x0) - 1))
    .attr('y', (b) => ys(b.count)).attr('height', (b) => h - ys(b.count)).attr('fill', classColor(d.class));
  svg.append('g').attr('transform', `translate(0,${h})`).call(axisBottom(xs).ticks(4) as never);
  // decoder norms per agent as bars
  if (d.decoderNorms) {
    const entries = Object.entries(d.decoderNorms);
    const top = Math.max(...entries.map(([, n]) => n), 1e-9);
    const bars = el('div', { id: 'decoder-norms' });
    for (const [a, n] of entries) {
      bars.append(el('div', {}, el('span', { style: 'display:inline-block;width:24px' }, a), el('span', { style: `display:inline-block;height:8px;background:#888;width:${Math.round((n / top) * 200)}px` }), ` ${fmt(n)}`));
    }
    panel.append(el('h3', {}, 'Decoder norm per agent'), bars);
  }
  const tops = el('ol', { class: 'flag-list', id: 'top-steps' });
  for (const t of d.topSteps) {
    const ctx = Object.entries(t.context).map(([a, cols]) => `${a}: ${Object.entries(cols).map(([k, v]) => `${k} ${(v as unknown[]).map(fmt).join(' ')}`).join('; ')}`).join(' | ');
    const li = el('li', { title: ctx }, `step ${t.row} (ep ${t.episode}, t ${t.step}): ${fmt(t.value)}`);
    li.append(el('div', { class: 'muted', style: 'font-size:11px' }, ctx.slice(0, 160)));
    li.onclick = () => focusRow(t.row);
    tops.append(li);
  }
  panel.append(el('h3', {}, 'Top-activating steps (context: 3 steps either side)'), tops);
  const flags = el('ul', { class: 'flag-list', id: 'latent-flags' });
  for (const f of d.flags.slice(0, 30)) {
    const li = el('li', {}, `${f.report}: step ${f.row}, score ${fmt(f.score)}, weight ${fmt(f.weight)}`);
    li.onclick = () => focusRow(f.row);
    flags.append(li);
  }
  panel.append(el('h3', {}, `Flags it drove (${d.flags.length})`), d.flags.length ? flags : el('div', { class: 'muted' }, 'none'));
}
