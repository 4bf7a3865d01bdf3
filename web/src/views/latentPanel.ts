// A latent's detail beside the heatmap (and at its own URL, #/runs/<id>/latents/<n>):
// class, activity, activation histogram, per-agent decoder norms with the split's evidence,
// top-activating examples from different episodes with both agents' behaviour around
// them, and the flags it drove.
import { axisBottom, axisLeft, max, scaleLinear, select } from 'd3';
import type { CodesInfo, LatentDetail } from '../../../server/protocol.js';
import { enc, getJson } from '../api.js';
import { agentColor, classColor, clear, el, fmt, pct, round } from '../dom.js';

/** Human labels of split.json's per-agent evidence fields (others are shown by name). */
const EVIDENCE: Record<string, [string, string]> = {
  relevance: ['relevance ρ', "the agent's decoder norm relative to the largest agent's"],
  scaling: ['scaling ν', "latent-scaling fit of the agent's residual on this latent (with its bootstrap interval where the split gives one)"],
  explained: ['explained', "fraction of the agent's residual energy along the latent that ν explains"],
  threshold: ['needed', 'what the explained fraction had to clear (permutation null and effect floor)'],
};
/** Per-latent evidence fields shown under the table. */
const LATENT_EVIDENCE: Record<string, string> = { frequency: 'fires on (split sample)', activeRows: 'active rows in the split sample', alpha: 'agents using it', stability: 'stability across seeds' };

export async function renderLatentPanel(side: HTMLElement, runId: string, codes: CodesInfo, j: number, focusRow: (row: number) => void): Promise<void> {
  const panel = side.querySelector<HTMLElement>('#latent-panel') ?? side.insertBefore(el('div', { id: 'latent-panel' }), side.firstChild);
  clear(panel);
  panel.removeAttribute('data-latent');
  panel.append(el('h3', {}, `Latent ${j}`), el('div', { class: 'muted' }, 'loading…'));
  let d: LatentDetail;
  try {
    d = await getJson<LatentDetail>(`/api/runs/${enc(runId)}/codes/${enc(codes.name)}/latents/${j}?top=8`);
  } catch (err) {
    clear(panel);
    panel.append(el('div', { class: 'error' }, (err as Error).message));
    return;
  }
  clear(panel);
  panel.setAttribute('data-latent', String(j));
  const permalink = `#/runs/${encodeURIComponent(runId)}/latents/${j}${codes.name ? `?codes=${encodeURIComponent(codes.name)}` : ''}`;
  panel.append(
    el('h3', {}, `Latent ${j} `, el('span', { class: 'latent-class', 'data-class': d.class, style: `color:${classColor(d.class)}` }, d.class), ' ', el('a', { href: permalink, class: 'muted', id: 'latent-link', title: 'this latent\'s own address' }, 'link')),
    el('dl', { class: 'kv' },
      el('dt', {}, 'active'), el('dd', { id: 'latent-active' }, `${pct(d.activeFraction)} of steps${d.episodes !== undefined ? `, in ${d.episodes} episodes` : ''}`),
      el('dt', {}, 'max activation'), el('dd', {}, round(d.max)),
      el('dt', {}, 'dictionary'), el('dd', {}, d.checkpoint ?? codes.checkpoint ?? '–'),
    ),
  );
  // activation histogram
  const w = 290;
  const h = 80;
  const M = { l: 34, r: 8, t: 4, b: 30 };
  panel.append(el('div', { class: 'label' }, 'activation histogram (steps where it is active)'));
  const svg = select(panel).append('svg').attr('id', 'latent-hist').attr('width', w).attr('height', h + M.t + M.b);
  const xs = scaleLinear().domain([d.histogram[0]?.x0 ?? 0, d.histogram[d.histogram.length - 1]?.x1 ?? 1]).range([M.l, w - M.r]);
  const ys = scaleLinear().domain([0, max(d.histogram, (b) => b.count) || 1]).nice().range([M.t + h, M.t]);
  svg.selectAll('rect').data(d.histogram).join('rect')
    .attr('x', (b) => xs(b.x0)).attr('width', (b) => Math.max(1, xs(b.x1) - xs(b.x0) - 1))
    .attr('y', (b) => ys(b.count)).attr('height', (b) => M.t + h - ys(b.count)).attr('fill', classColor(d.class));
  svg.append('g').attr('transform', `translate(0,${M.t + h})`).call(axisBottom(xs).ticks(4, '~r') as never);
  svg.append('g').attr('transform', `translate(${M.l},0)`).call(axisLeft(ys).ticks(3, '~s') as never);
  svg.append('text').attr('class', 'axis-title').attr('x', (M.l + w - M.r) / 2).attr('y', M.t + h + 27).attr('text-anchor', 'middle').text('activation');
  // decoder norms per agent, with the split's evidence
  if (d.decoderNorms) {
    const entries = Object.entries(d.decoderNorms);
    const top = Math.max(...entries.map(([, n]) => n), 1e-9);
    const bars = el('div', { id: 'decoder-norms' });
    for (const [a, n] of entries) {
      bars.append(el('div', { 'data-agent': a }, el('span', { style: 'display:inline-block;width:24px' }, a), el('span', { style: `display:inline-block;height:8px;background:${agentColor(a)};width:${Math.round((n / top) * 180)}px` }), ` ${round(n)}`));
    }
    panel.append(el('h3', {}, 'Decoder norm per agent'), bars);
    const ev = d.splitEvidence ?? [];
    const fields = [...new Set(ev.flatMap((e) => Object.keys(e.values)))].filter((k) => !(k.endsWith('Lo') || k.endsWith('Hi')) || !ev.some((e) => k.slice(0, -2) in e.values));
    if (ev.length && fields.length) {
      const t = el('table', { class: 'list', id: 'split-evidence' }, el('tr', {}, el('th', {}, 'agent'), ...fields.map((k) => el('th', { title: EVIDENCE[k]?.[1] ?? `split.json '${k}'` }, EVIDENCE[k]?.[0] ?? k))));
      for (const e of ev) {
        t.append(el('tr', { 'data-agent': e.agent }, el('td', {}, e.agent), ...fields.map((k) => {
          const v = e.values[k];
          const lo = e.values[`${k}Lo`];
          const hi = e.values[`${k}Hi`];
          return el('td', { 'data-field': k }, lo !== undefined && hi !== undefined ? `${round(v)} [${round(lo)}, ${round(hi)}]` : round(v));
        })));
      }
      panel.append(el('h3', {}, 'Why this class (split evidence)'), t);
      const extra = ev.filter((e) => e.extra !== undefined);
      if (extra.length) panel.append(el('div', { class: 'muted', style: 'font-size:11px' }, extra.map((e) => `${e.agent}: ${JSON.stringify(e.extra).slice(0, 140)}`).join(' · ')));
    }
    const le = Object.entries(d.latentEvidence ?? {}).filter(([k]) => k in LATENT_EVIDENCE);
    if (le.length) panel.append(el('div', { class: 'muted', id: 'latent-evidence', style: 'font-size:11px' }, le.map(([k, v]) => `${LATENT_EVIDENCE[k]}: ${k === 'frequency' ? pct(v) : round(v)}`).join(' · ')));
  } else panel.append(el('div', { class: 'muted' }, 'Decoder norms: the checkpoint of these codes is not in this workspace.'));
  if (d.matchedThoughts) {
    panel.append(el('h3', {}, 'Ground-truth thoughts it matches (|r| ≥ 0.3)'), d.matchedThoughts.length
      ? el('ul', { id: 'matched-thoughts' }, ...d.matchedThoughts.map((m) => el('li', {}, `${m.thought}: r = ${round(m.correlation)}`)))
      : el('div', { class: 'muted', id: 'matched-thoughts' }, 'none: it follows no true thought of this run'));
  }
  const tops = el('ol', { class: 'flag-list', id: 'top-steps' });
  for (const t of d.topSteps) {
    const ctx = Object.entries(t.context).map(([a, cols]) => `${a}: ${Object.entries(cols).map(([k, v]) => `${k} ${(v as unknown[]).map(fmt).join(' ')}`).join('; ')}`).join(' | ');
    const li = el('li', { title: ctx, 'data-episode': t.episode }, `episode ${t.episode}, step ${t.step}: ${round(t.value)}`);
    li.append(el('div', { class: 'muted', style: 'font-size:11px' }, ctx.slice(0, 160)));
    li.onclick = () => focusRow(t.row);
    tops.append(li);
  }
  panel.append(el('h3', {}, 'Top-activating examples, one per episode first (context: 3 steps either side)'), tops);
  const flags = el('ul', { class: 'flag-list', id: 'latent-flags' });
  for (const f of d.flags.slice(0, 30)) {
    const li = el('li', {}, `${f.report}: step ${f.row}, score ${round(f.score)}, weight ${round(f.weight)}`);
    li.onclick = () => focusRow(f.row);
    flags.append(li);
  }
  panel.append(el('h3', {}, `Flags it drove (${d.flags.length})`), d.flags.length ? flags : el('div', { class: 'muted' }, 'none'));
}
