// Two dictionary checkpoints side by side: latents matched by decoder cosine similarity,
// which latents moved between classes, class counts from each split.json, and the numbers
// of one conflict report made with each checkpoint (selectable; never summed over reports).
import { axisBottom, axisLeft, bin, max, scaleLinear, select } from 'd3';
import type { CheckpointsResponse, CompareResponse, ConflictStats } from '../../../server/protocol.js';
import { enc, getJson } from '../api.js';
import { classColor, classLegend, clear, el, pct, round, sortClasses } from '../dom.js';
import { exportView } from '../exportView.js';
import { perf } from '../perfHooks.js';
import { readState, setParams } from '../viewState.js';

/** The report numbers shown, with human labels (key → label, formatter). */
const METRICS: [keyof ConflictStats, string, (v: number | null) => string][] = [
  ['flags', 'flags raised', (v) => round(v)],
  ['scoredSteps', 'steps scored (held-out)', (v) => round(v)],
  ['flagsPer1000', 'flags per 1000 steps', (v) => round(v)],
  ['conflicts', 'behavioural conflicts', (v) => round(v)],
  ['flaggedBefore', 'conflicts flagged before they happened', (v) => round(v)],
  ['detectionRate', 'detection rate', pct],
  ['falseAlarmsPer1000', 'false alarms per 1000 steps', (v) => round(v)],
  ['medianLead', 'median lead (steps)', (v) => round(v)],
  ['auroc', 'AUROC', (v) => round(v)],
  ['threshold', 'threshold', (v) => round(v)],
];

export async function renderCompare(root: HTMLElement): Promise<() => void> {
  clear(root);
  const list = await getJson<CheckpointsResponse>('/api/checkpoints');
  const readable = list.checkpoints.filter((c) => !c.error);
  const names = readable.map((c) => c.name);
  const label = (n: string) => {
    const c = readable.find((x) => x.name === n);
    return c ? `${n} (${c.numLatents} latents)` : n;
  };
  const st = readState().params;
  const a = st.a ?? names[0] ?? '';
  const b = st.b ?? names[1] ?? names[0] ?? '';
  const selA = el('select', { id: 'compare-a', title: 'checkpoint A' }, ...names.map((n) => el('option', { value: n, selected: n === a }, label(n))));
  const selB = el('select', { id: 'compare-b', title: 'checkpoint B' }, ...names.map((n) => el('option', { value: n, selected: n === b }, label(n))));
  const main = el('div', { id: 'view-main' });
  const png = el('button', { id: 'export-png' }, 'PNG');
  const svgB = el('button', { id: 'export-svg' }, 'SVG');
  root.append(el('div', { class: 'toolbar' }, el('h2', {}, 'Compare checkpoints'), el('span', {}, 'A'), selA, el('span', {}, 'vs B'), selB, el('span', { class: 'muted' }, 'export view:'), png, svgB), main);
  const unreadable = list.checkpoints.filter((c) => c.error);
  png.onclick = () => void exportView(main, `compare-${selA.value}-${selB.value}`, 'png');
  svgB.onclick = () => void exportView(main, `compare-${selA.value}-${selB.value}`, 'svg');
  const go = async () => {
    const p = readState().params;
    setParams({ a: selA.value, b: selB.value });
    perf.busy();
    clear(main);
    for (const u of unreadable) main.append(el('div', { class: 'error' }, `checkpoint ${u.name} cannot be shown: ${u.error}`));
    if (!selA.value || !selB.value) {
      main.append(el('div', { class: 'panel muted' }, 'No checkpoints in this workspace yet (thoughtlens train writes them under checkpoints/).'));
      perf.ready('compare');
    perf.quiescent('compare');
      return;
    }
    main.append(el('div', { class: 'muted' }, 'matching latents…'));
    let cmp: CompareResponse;
    const q = (k: string) => (p[k] && p.a === selA.value && p.b === selB.value ? `&${k}=${enc(p[k]!)}` : '');
    try {
      cmp = await getJson<CompareResponse>(`/api/compare?a=${enc(selA.value)}&b=${enc(selB.value)}${q('reportA')}${q('reportB')}`);
    } catch (err) {
      clear(main);
      main.append(el('div', { class: 'error' }, (err as Error).message));
      perf.ready('compare');
    perf.quiescent('compare');
      return;
    }
    clear(main);
    const classes = sortClasses([...Object.keys(cmp.countsA), ...Object.keys(cmp.countsB)]);
    const side = (which: 'a' | 'b') => {
      const name = which === 'a' ? cmp.a : cmp.b;
      const counts = which === 'a' ? cmp.countsA : cmp.countsB;
      const n = which === 'a' ? cmp.numLatentsA : cmp.numLatentsB;
      const stats = cmp.conflicts[which];
      const reports = cmp.reports[which];
      const key = which === 'a' ? 'reportA' : 'reportB';
      const sel = el('select', { class: 'report-select', 'data-side': which, title: 'conflict report made with this checkpoint' }, ...reports.map((r) => el('option', { value: r, selected: r === stats?.report }, `report ${r}`)));
      sel.onchange = () => {
        setParams({ [key]: sel.value });
        void go();
      };
      const rows = el('table', { class: 'list metric-table' });
      rows.append(el('tr', { 'data-metric': 'numLatents' }, el('td', {}, 'latents'), el('td', { class: 'num latent-count' }, String(n))));
      for (const c of classes) rows.append(el('tr', { 'data-class': c }, el('td', {}, el('i', { class: 'swatch', style: `display:inline-block;width:10px;height:10px;margin-right:4px;background:${classColor(c)}` }), c), el('td', { class: 'num class-count' }, String(counts[c] ?? 0))));
      const panel = el('div', { class: 'panel', 'data-side': which }, el('h3', {}, `${which.toUpperCase()}: ${name}`), rows);
      if (!stats) panel.append(el('p', { class: 'muted' }, 'No conflict report was made with this checkpoint (thoughtlens detect <run> --sae …).'));
      else {
        const m = el('table', { class: 'list metric-table' });
        for (const [k, text, f] of METRICS) m.append(el('tr', { 'data-metric': k }, el('td', {}, text), el('td', { class: k === 'flags' ? 'num flags-count' : 'num' }, f(stats[k] as number | null))));
        panel.append(el('h3', {}, `Conflict report of run ${stats.run}`), reports.length > 1 ? sel : el('div', { class: 'muted' }, `report ${stats.report}`), m);
      }
      return panel;
    };
    main.append(el('div', { class: 'grid2', id: 'compare-sides' }, side('a'), side('b')));
    // transition matrix
    const t = el('table', { class: 'list', id: 'transitions' }, el('tr', {}, el('th', {}, `class in A (${cmp.a}) ↓ · class in B (${cmp.b}) →`), ...classes.map((c) => el('th', { style: `color:${classColor(c)}` }, c))));
    for (const r of classes) {
      t.append(el('tr', {}, el('th', { style: `color:${classColor(r)}` }, r), ...classes.map((c) => {
        const n = cmp.transitions[r]?.[c] ?? 0;
        return el('td', { style: n && r !== c ? 'background:#fff3cd;font-weight:600' : '' }, String(n));
      })));
    }
    const unmatched = Math.abs(cmp.numLatentsA - cmp.numLatentsB);
    main.append(el('div', { class: 'panel' },
      el('h3', { id: 'matched-summary', 'data-matched': cmp.matches.length }, `Matched latents: ${cmp.matches.length} of ${Math.min(cmp.numLatentsA, cmp.numLatentsB)}, mean decoder cosine ${round(cmp.meanCosine)}${unmatched ? ` (${unmatched} latents of the larger dictionary have no partner)` : ''}`),
      el('div', { class: 'muted' }, 'Each latent of A is paired one-to-one with the B latent whose decoder direction (over both agents) is most similar; highlighted cells changed class.'),
      t));
    // cosine histogram
    const W = Math.max(320, main.clientWidth - 20);
    const H = 140;
    const M = { l: 44, r: 12, t: 8, b: 34 };
    const hp = el('div', { class: 'panel', id: 'cosine-hist' }, el('div', { class: 'label' }, 'decoder cosine of matched pairs (1 = the same direction in both dictionaries)'));
    const svg = select(hp).append('svg').attr('width', W).attr('height', H + M.t + M.b);
    const bins = bin().domain([-1, 1]).thresholds(40)(cmp.matches.map((m) => m.cosine));
    const xs = scaleLinear().domain([-1, 1]).range([M.l, W - M.r]);
    const ys = scaleLinear().domain([0, max(bins, (b) => b.length) || 1]).nice().range([M.t + H, M.t]);
    svg.selectAll('rect').data(bins).join('rect').attr('x', (d) => xs(d.x0!)).attr('width', (d) => Math.max(1, xs(d.x1!) - xs(d.x0!) - 1)).attr('y', (d) => ys(d.length)).attr('height', (d) => M.t + H - ys(d.length)).attr('fill', '#777');
    svg.append('g').attr('transform', `translate(0,${M.t + H})`).call(axisBottom(xs).ticks(8) as never);
    svg.append('g').attr('transform', `translate(${M.l},0)`).call(axisLeft(ys).ticks(4, 'd') as never);
    svg.append('text').attr('class', 'axis-title').attr('x', (M.l + W - M.r) / 2).attr('y', M.t + H + 30).attr('text-anchor', 'middle').text('decoder cosine');
    svg.append('text').attr('class', 'axis-title').attr('transform', `translate(12,${M.t + H / 2}) rotate(-90)`).attr('text-anchor', 'middle').text('matched pairs');
    main.append(hp);
    // moved latents
    const moved = cmp.matches.filter((m) => m.classA !== m.classB);
    const ml = el('table', { class: 'list', id: 'moved' }, el('tr', {}, el('th', {}, `latent in A`), el('th', {}, 'class in A'), el('th', {}, `latent in B`), el('th', {}, 'class in B'), el('th', {}, 'cosine')));
    for (const m of moved.slice(0, 100)) {
      ml.append(el('tr', {}, el('td', {}, String(m.a)), el('td', { style: `color:${classColor(m.classA)}` }, m.classA), el('td', {}, String(m.b)), el('td', { style: `color:${classColor(m.classB)}` }, m.classB), el('td', {}, round(m.cosine))));
    }
    main.append(el('div', { class: 'panel' }, el('h3', {}, `Changed class: ${moved.length}${moved.length > 100 ? ' (first 100 shown)' : ''}`), classLegend(classes), ml));
    perf.ready('compare');
    perf.quiescent('compare');
  };
  selA.onchange = () => {
    setParams({ reportA: null });
    void go();
  };
  selB.onchange = () => {
    setParams({ reportB: null });
    void go();
  };
  await go();
  return () => undefined;
}
