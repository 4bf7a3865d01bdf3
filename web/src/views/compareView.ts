// Two dictionary checkpoints side by side: latents matched by decoder cosine similarity,
// which latents moved between shared and private, class counts and conflict statistics.
import { scaleLinear, select, bin, max } from 'd3';
import type { CheckpointsResponse, CompareResponse } from '../../../server/protocol.js';
import { enc, getJson } from '../api.js';
import { classColor, clear, el, fmt } from '../dom.js';
import { exportView } from '../exportView.js';
import { perf } from '../perfHooks.js';
import { readState, setParams } from '../viewState.js';

export async function renderCompare(root: HTMLElement): Promise<() => void> {
  clear(root);
  const list = await getJson<CheckpointsResponse>('/api/checkpoints');
  const names = list.checkpoints.map((c) => c.name);
  const st = readState().params;
  const a = st.a ?? names[0];
  const b = st.b ?? names[1] ?? names[0];
  const selA = el('select', { id: 'compare-a' }, ...names.map((n) => el('option', { value: n, selected: n === a }, n)));
  const selB = el('select', { id: 'compare-b' }, ...names.map((n) => el('option', { value: n, selected: n === b }, n)));
  const main = el('div', { id: 'view-main' });
  const png = el('button', { id: 'export-png' }, 'PNG');
  const svgB = el('button', { id: 'export-svg' }, 'SVG');
  root.append(el('div', { class: 'toolbar' }, el('h2', {}, 'Compare checkpoints'), selA, el('span', {}, 'vs'), selB, el('span', { class: 'muted' }, 'export view:'), png, svgB), main);
  png.onclick = () => void exportView(main, `compare-${selA.value}-${selB.value}`, 'png');
  svgB.onclick = () => void exportView(main, `compare-${selA.value}-${selB.value}`, 'svg');
  const go = async () => {
    setParams({ a: selA.value, b: selB.value });
    clear(main);
    if (!selA.value || !selB.value) {
      main.append(el('div', { class: 'panel muted' }, 'No checkpoints in this workspace yet (thoughtlens train writes them under checkpoints/).'));
      return;
    }
    main.append(el('div', { class: 'muted' }, 'matching latents…'));
    let cmp: CompareResponse;
    try {
      cmp = await getJson<CompareResponse>(`/api/compare?a=${enc(selA.value)}&b=${enc(selB.value)}`);
    } catch (err) {
      clear(main);
      main.append(el('div', { class: 'error' }, (err as Error).message));
      return;
    }
    clear(main);
    const classes = [...new Set([...Object.keys(cmp.countsA), ...Object.keys(cmp.countsB)])].sort();
    // class counts + conflict stats side by side
    const side = (name: string, counts: Record<string, number>, c: CompareResponse['conflicts']['a']) =>
      el('div', { class: 'panel' },
        el('h3', {}, name),
        el('dl', { class: 'kv' },
          ...classes.flatMap((k) => [el('dt', { style: `color:${classColor(k)}` }, k), el('dd', {}, String(counts[k] ?? 0))]),
          el('dt', {}, 'reports'), el('dd', {}, String(c.reports)),
          el('dt', {}, 'flags'), el('dd', { class: 'flags-count' }, String(c.flags)),
          el('dt', {}, 'flags / 1000 steps'), el('dd', {}, fmt(c.flagsPer1000)),
          ...Object.entries(c.metrics).slice(0, 6).flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, typeof v === 'object' ? JSON.stringify(v).slice(0, 60) : fmt(v))]),
        ));
    main.append(el('div', { class: 'grid2', id: 'compare-sides' }, side(`A: ${cmp.a}`, cmp.countsA, cmp.conflicts.a), side(`B: ${cmp.b}`, cmp.countsB, cmp.conflicts.b)));
    // transition matrix
    const t = el('table', { class: 'list', id: 'transitions' }, el('tr', {}, el('th', {}, `${cmp.a} ↓ / ${cmp.b} →`), ...classes.map((c) => el('th', { style: `color:${classColor(c)}` }, c))));
    for (const r of classes) {
      t.append(el('tr', {}, el('th', { style: `color:${classColor(r)}` }, r), ...classes.map((c) => {
        const n = cmp.transitions[r]?.[c] ?? 0;
        return el('td', { style: n && r !== c ? 'background:#fff3cd;font-weight:600' : '' }, String(n));
      })));
    }
    main.append(el('div', { class: 'panel' }, el('h3', {}, `Matched latents: ${cmp.matches.length}, mean decoder cosine ${fmt(cmp.meanCosine)}`), t));
    // cosine histogram
    const W = Math.min(600, main.clientWidth - 20);
    const H = 120;
    const hp = el('div', { class: 'panel', id: 'cosine-hist' }, el('div', { class: 'label' }, 'decoder cosine of matched pairs'));
    const svg = select(hp).append('svg').attr('width', W).attr('height', H + 16);
    const bins = bin().domain([-1, 1]).thresholds(40)(cmp.matches.map((m) => m.cosine));
    const xs = scaleLinear().domain([-1, 1]).range([0, W]);
    const ys = scaleLinear().domain([0, max(bins, (b) => b.length) || 1]).range([H, 0]);
    svg.selectAll('rect').data(bins).join('rect').attr('x', (d) => xs(d.x0!)).attr('width', (d) => Math.max(1, xs(d.x1!) - xs(d.x0!) - 1)).attr('y', (d) => ys(d.length)).attr('height', (d) => H - ys(d.length)).attr('fill', '#777');
    svg.append('text').attr('x', 0).attr('y', H + 14).text('-1');
    svg.append('text').attr('x', W).attr('y', H + 14).attr('text-anchor', 'end').text('1');
    main.append(hp);
    // moved latents
    const moved = cmp.matches.filter((m) => m.classA !== m.classB);
    const ml = el('table', { class: 'list', id: 'moved' }, el('tr', {}, el('th', {}, `latent in ${cmp.a}`), el('th', {}, 'class'), el('th', {}, `latent in ${cmp.b}`), el('th', {}, 'class'), el('th', {}, 'cosine')));
    for (const m of moved.slice(0, 100)) {
      ml.append(el('tr', {}, el('td', {}, String(m.a)), el('td', { style: `color:${classColor(m.classA)}` }, m.classA), el('td', {}, String(m.b)), el('td', { style: `color:${classColor(m.classB)}` }, m.classB), el('td', {}, fmt(m.cosine))));
    }
    main.append(el('div', { class: 'panel' }, el('h3', {}, `Moved between classes: ${moved.length}`), ml));
    perf.ready('compare');
  };
  selA.onchange = () => void go();
  selB.onchange = () => void go();
  await go();
  return () => undefined;
}
