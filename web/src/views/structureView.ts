// The sharing structure of the dictionary behind the selected codes: latents per class (as
// the checkpoint's split.json counts them), the relative decoder-norm histogram
// (‖D_A‖ / (‖D_A‖+‖D_B‖): 1 = A only, 0 = B only, ½ = shared) and the agents–latents graph.
// Clicking a latent opens its detail.
import { axisBottom, axisLeft, max, scaleLinear, select } from 'd3';
import type { CheckpointDetail } from '../../../server/protocol.js';
import { ApiRequestError, enc, getJson } from '../api.js';
import { agentColor, classColor, classLegend, el, sortClasses } from '../dom.js';
import type { RunData } from '../runData.js';

export async function renderStructure(main: HTMLElement, width: number, data: RunData, openLatent: (j: number) => void): Promise<void> {
  const codes = data.codes;
  if (!codes) {
    main.append(el('div', { class: 'panel muted' }, 'This run has no latent codes yet: train a dictionary and run thoughtlens encode.'));
    return;
  }
  let ck: CheckpointDetail | null = null;
  let ckError: string | null = null;
  if (codes.checkpoint) {
    try {
      ck = await getJson<CheckpointDetail>(`/api/checkpoints/${enc(codes.checkpoint)}`);
    } catch (err) {
      if (!(err instanceof ApiRequestError)) throw err;
      ckError = err.message;
    }
  }
  const classes = ck ? ck.classes : codes.classes;
  const counts: Record<string, number> = ck ? { ...ck.counts } : {};
  if (!ck) for (const c of classes) counts[c] = (counts[c] ?? 0) + 1;
  const numLatents = ck ? (ck.numLatents ?? classes.length) : codes.numLatents;
  const order = sortClasses(Object.keys(counts));

  // counts per class
  const source = ck ? `checkpoint ${ck.name}${ck.hasSplit ? ' (split.json)' : ' — no split.json: run thoughtlens split --write'}` : `the codes metadata (${ckError ?? 'checkpoint not in this workspace'})`;
  const countPanel = el('div', { class: 'panel', id: 'class-counts' },
    el('h3', { id: 'latent-count', 'data-n': numLatents }, `${numLatents} latents`, ck ? ` · agents ${ck.agents.map((a) => `${a} (d=${ck!.dims[a]})`).join(', ')}` : ''),
    el('div', { class: 'label' }, `latents per class, from ${source}`));
  const cw = Math.min(width, 640);
  const LBL = 130;
  const csvg = select(countPanel).append('svg').attr('width', cw).attr('height', 22 * order.length + 8);
  const top = Math.max(1, ...Object.values(counts));
  order.forEach((c, i) => {
    const n = counts[c] ?? 0;
    const w = ((cw - LBL - 50) * n) / top;
    csvg.append('text').attr('x', 0).attr('y', 22 * i + 15).attr('font-size', 11).text(c);
    csvg.append('rect').attr('class', 'count-bar').attr('data-class', c).attr('data-count', n).attr('x', LBL).attr('y', 22 * i + 4).attr('height', 14).attr('width', Math.max(n ? 1 : 0, w)).attr('fill', classColor(c));
    csvg.append('text').attr('class', 'count-label').attr('data-class', c).attr('x', LBL + w + 5).attr('y', 22 * i + 15).attr('font-size', 11).text(String(n));
  });
  main.append(countPanel);

  if (!ck || ck.agents.length < 2) {
    main.append(el('div', { class: 'panel muted' }, 'Decoder norms need the checkpoint (model.safetensors) with two agents in this workspace.'));
    return;
  }
  const [a0, a1] = ck.agents as [string, string];
  // relative-norm histogram, stacked by class
  const H = 160;
  const M = { l: 48, r: 14, t: 6, b: 34 };
  const histPanel = el('div', { class: 'panel', id: 'relnorm-hist' },
    el('div', { class: 'label' }, `relative decoder norm ‖D_${a0}‖ / (‖D_${a0}‖ + ‖D_${a1}‖) per latent, coloured by class: 0 = decodes into ${a1} only, ½ = both equally, 1 = ${a0} only`),
    classLegend(order, counts));
  const hs = select(histPanel).append('svg').attr('width', width).attr('height', H + M.t + M.b);
  const nb = 40;
  const bins = Array.from({ length: nb }, () => new Map<string, number>());
  ck.relativeNorm.forEach((r, j) => {
    if (r < 0) return;
    const b = Math.min(nb - 1, Math.floor(r * nb));
    const c = classes[j]!;
    bins[b]!.set(c, (bins[b]!.get(c) ?? 0) + 1);
  });
  const xs = scaleLinear().domain([0, 1]).range([M.l, width - M.r]);
  const ys = scaleLinear().domain([0, max(bins, (m) => [...m.values()].reduce((s, v) => s + v, 0)) || 1]).nice().range([M.t + H, M.t]);
  bins.forEach((m, b) => {
    let acc = 0;
    for (const c of order) {
      const n = m.get(c);
      if (!n) continue;
      hs.append('rect').attr('class', 'hist-bar').attr('x', xs(b / nb) + 0.5).attr('width', Math.max(1, xs(1 / nb) - xs(0) - 1)).attr('y', ys(acc + n)).attr('height', ys(acc) - ys(acc + n)).attr('fill', classColor(c));
      acc += n;
    }
  });
  hs.append('g').attr('transform', `translate(0,${M.t + H})`).call(axisBottom(xs).ticks(10) as never);
  hs.append('g').attr('transform', `translate(${M.l},0)`).call(axisLeft(ys).ticks(4, 'd') as never);
  hs.append('text').attr('class', 'axis-title').attr('x', (M.l + width - M.r) / 2).attr('y', M.t + H + 30).attr('text-anchor', 'middle').text(`share of the decoder norm in ${a0}`);
  hs.append('text').attr('class', 'axis-title').attr('transform', `translate(12,${M.t + H / 2}) rotate(-90)`).attr('text-anchor', 'middle').text('latents');
  main.append(histPanel);

  // agents–latents graph
  const G = 300;
  const graphPanel = el('div', { class: 'panel', id: 'agent-graph' },
    el('div', { class: 'label' }, `agents–latents graph: latents placed by relative norm (left = ${a0}, right = ${a1}); an edge when the agent's decoder norm is at least 10% of the largest; click a latent for its detail`),
    classLegend(order));
  const gs = select(graphPanel).append('svg').attr('width', width).attr('height', G);
  const nA = ck.decoderNorms[a0] ?? [];
  const nB = ck.decoderNorms[a1] ?? [];
  const maxNorm = Math.max(1e-9, ...nA, ...nB);
  const pos = { [a0]: [60, G / 2], [a1]: [width - 60, G / 2] } as Record<string, [number, number]>;
  const lx = scaleLinear().domain([1, 0]).range([150, width - 150]);
  const live = ck.relativeNorm.map((r, j) => ({ j, r })).filter((d) => d.r >= 0);
  const step = Math.max(1, Math.ceil(live.length / 400));
  const shown = live.filter((_, i) => i % step === 0);
  const edges = gs.append('g');
  const nodes = gs.append('g');
  shown.forEach(({ j, r }, i) => {
    const lxv = lx(r);
    const ly = 14 + ((i * 97) % (G - 28));
    for (const [agent, norms] of [[a0, nA], [a1, nB]] as [string, number[]][]) {
      const w = (norms[j] ?? 0) / maxNorm;
      if (w < 0.1) continue;
      edges.append('line').attr('x1', pos[agent]![0]).attr('y1', pos[agent]![1]).attr('x2', lxv).attr('y2', ly).attr('stroke', classColor(classes[j]!)).attr('stroke-opacity', 0.08 + 0.3 * w);
    }
    nodes.append('circle').attr('class', 'latent-node').attr('data-latent', j).attr('cx', lxv).attr('cy', ly).attr('r', 3.5).attr('fill', classColor(classes[j]!)).style('cursor', 'pointer')
      .on('click', () => openLatent(j)).append('title').text(`latent ${j} (${classes[j]})`);
  });
  for (const [agent, [ax, ay]] of Object.entries(pos)) {
    gs.append('circle').attr('cx', ax).attr('cy', ay).attr('r', 22).attr('fill', agentColor(agent));
    gs.append('text').attr('x', ax).attr('y', ay + 4).attr('text-anchor', 'middle').attr('fill', '#fff').attr('font-size', 13).text(agent);
  }
  const hidden = ck.relativeNorm.length - live.length;
  const notes = [step > 1 ? `every ${step}th latent shown` : '', hidden ? `${hidden} latents with no decoder norm not shown` : ''].filter(Boolean).join(' · ');
  if (notes) gs.append('text').attr('x', width / 2).attr('y', G - 2).attr('text-anchor', 'middle').attr('fill', '#6b6b70').text(notes);
  main.append(graphPanel);
}
