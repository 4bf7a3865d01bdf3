// The run view: actions/rewards/events of both agents on one time axis, the latent heatmap
// below it (canvas, shared / private bands), the conflict score with its threshold and
// flags, a context strip to brush a range, wheel/drag zoom, hover details, live growth.
import { axisBottom, brushX, interpolateMagma, interpolateRdYlBu, select, scaleLinear, zoom, zoomIdentity, type ZoomBehavior, type BrushBehavior, type ZoomTransform } from 'd3';
import type { LiveEvent } from '../../../server/protocol.js';
import { enc, fileUrl, getHeatmap, getJson } from '../api.js';
import { bandLayout, type BandLayout } from '../charts/bandLayout.js';
import { behaviourHeight, drawBehaviour, LANE } from '../charts/behaviourCanvas.js';
import { drawHeatmap, heatImage, type HeatImage } from '../charts/heatmapCanvas.js';
import { drawScore, drawContext } from '../charts/scoreChart.js';
import { classColor, classLegend, clear, el, hideTooltip, rampLegend, round, showTooltip } from '../dom.js';
import { exportView } from '../exportView.js';
import { subscribe } from '../live.js';
import { RunData } from '../runData.js';
import { readState, setParams } from '../viewState.js';
import { renderLatentPanel } from './latentPanel.js';
import { renderStructure } from './structureView.js';
import { perf } from '../perfHooks.js';
import type { CodesRangeResponse } from '../../../server/protocol.js';

const HEAT_H = 300;
const SCORE_H = 110;
const CONTEXT_H = 44;
const AXIS_H = 34;
/** Left column of every track: lane names and class bands, never drawn over the data. */
const GUTTER = 128;

export async function renderRunView(root: HTMLElement, runId: string): Promise<() => void> {
  performance.mark('tl-run-start');
  perf.busy();
  const state = readState();
  const data = new RunData(runId);
  await data.loadDetail();
  performance.mark('tl-run-detail');
  const codesName = state.params.codes ?? data.detail.codes[0];
  const reportName = state.params.report ?? data.detail.reports[data.detail.reports.length - 1];
  await Promise.all([
    data.loadBehaviour().then(() => performance.mark('tl-run-behaviour')),
    data.loadCodes(codesName).then(() => performance.mark('tl-run-codes')),
    data.loadReport(reportName).then(() => performance.mark('tl-run-report')),
  ]);

  // ---- layout
  clear(root);
  const rowsCount = el('span', { id: 'rows-count', 'data-rows': data.total }, `${data.total} steps`);
  const badge = el('span', { class: `badge ${data.detail.status}`, id: 'run-status' }, data.detail.status);
  const codesSel = el('select', { id: 'codes-select', title: 'latent codes' }, ...data.detail.codes.map((c) => el('option', { value: c, selected: c === codesName }, `codes: ${c}`)));
  const reportSel = el('select', { id: 'report-select', title: 'conflict report' }, el('option', { value: '' }, 'no report'), ...data.detail.reports.map((r) => el('option', { value: r, selected: r === reportName }, `report: ${r}`)));
  // No empty dropdowns: a select appears once there is something to choose.
  const showSelects = () => {
    codesSel.style.display = data.detail.codes.length ? '' : 'none';
    reportSel.style.display = data.detail.reports.length ? '' : 'none';
  };
  showSelects();
  const tab = state.params.tab === 'structure' ? 'structure' : 'timeline';
  const tabs = el('span', { class: 'tabs' },
    el('button', { id: 'tab-timeline', class: tab === 'timeline' ? 'active' : '' }, 'Timeline'),
    el('button', { id: 'tab-structure', class: tab === 'structure' ? 'active' : '' }, 'Structure'));
  const pngBtn = el('button', { id: 'export-png' }, 'PNG');
  const svgBtn = el('button', { id: 'export-svg' }, 'SVG');
  const reportLinks = el('span', { id: 'report-files' });
  root.append(
    el('div', { class: 'toolbar' }, el('h2', {}, `Run ${runId}`), badge, rowsCount, codesSel, reportSel, tabs, el('span', { class: 'muted' }, 'export view:'), pngBtn, svgBtn, reportLinks),
  );
  const main = el('div', { id: 'view-main' });
  const side = el('div', { id: 'side', class: 'side' });
  root.append(el('div', { class: 'run-layout' }, main, side));
  const fullWidth = Math.max(300, main.clientWidth - 18);
  const width = Math.max(240, fullWidth - GUTTER);

  const fillReportLinks = () => {
    clear(reportLinks);
    if (!data.report) return;
    reportLinks.append(el('span', { class: 'muted' }, 'report:'));
    for (const f of data.report.files) {
      reportLinks.append(el('a', { class: 'button', href: fileUrl(`/api/runs/${enc(runId)}/reports/${enc(data.report.name)}/files/${f}`), download: `${runId}-${data.report.name}-${f}`, 'data-file': f }, f.split('.').pop()!.toUpperCase()));
    }
  };
  fillReportLinks();

  const refreshSelects = () => {
    clear(codesSel);
    for (const c of data.detail.codes) codesSel.append(el('option', { value: c, selected: c === data.codes?.name }, `codes: ${c}`));
    clear(reportSel);
    reportSel.append(el('option', { value: '' }, 'no report'));
    for (const r of data.detail.reports) reportSel.append(el('option', { value: r, selected: r === data.report?.name }, `report: ${r}`));
    showSelects();
  };
  codesSel.onchange = () => {
    setParams({ codes: codesSel.value, latent: null });
    void rerender();
  };
  reportSel.onchange = () => {
    setParams({ report: reportSel.value });
    void rerender();
  };
  tabs.querySelector('#tab-timeline')!.addEventListener('click', () => {
    setParams({ tab: null });
    void rerender();
  });
  tabs.querySelector('#tab-structure')!.addEventListener('click', () => {
    setParams({ tab: 'structure' });
    void rerender();
  });
  pngBtn.onclick = () => void exportView(main, `${runId}-${tab}`, 'png');
  svgBtn.onclick = () => void exportView(main, `${runId}-${tab}`, 'svg');
  let disposed = false;
  const rerender = async () => {
    disposed = true;
    cleanup();
    const next = await renderRunView(root, runId);
    cleanupNext = next;
  };
  let cleanupNext: (() => void) | null = null;

  let pending = 0;
  let settled = false;
  const settleView = tab === 'structure' ? 'structure' : 'run';
  /** Marks the view quiescent once it has drawn and nothing it asked for is pending. */
  const track = (p: Promise<unknown>) => {
    pending++;
    perf.busy();
    void p.finally(() => {
      pending--;
      if (settled && pending === 0) perf.quiescent(settleView);
    });
  };
  const settle = () => {
    settled = true;
    if (pending === 0) perf.quiescent(settleView);
  };
  const openLatent = (j: number) => {
    setParams({ latent: j });
    if (data.codes) {
      track(renderLatentPanel(side, runId, data.codes, j, (row) => focusRow(row)));
      side.scrollTop = 0;
    }
  };
  const renderSide = () => {
    clear(side);
    const d = data.detail;
    // The latent's detail comes first: beside the heatmap, not below the flags.
    side.append(el('div', { id: 'latent-panel' }));
    side.append(
      el('h3', {}, 'Run'),
      el('dl', { class: 'kv' },
        el('dt', {}, 'status'), el('dd', { id: 'side-status' }, d.status + (d.live ? ' (live)' : '')),
        el('dt', {}, 'source'), el('dd', {}, d.sourceKind ?? '–'),
        el('dt', {}, 'agents'), el('dd', {}, d.agentSpecs.map((a) => `${a.id} (d=${a.hiddenSize}${a.model ? ', ' + a.model : ''})`).join(', ')),
        el('dt', {}, 'codes'), el('dd', {}, data.codes ? `${data.codes.name}: ${data.codes.numLatents} latents${data.codes.checkpoint ? ' from ' + data.codes.checkpoint : ''}` : 'none yet (run thoughtlens encode)'),
        el('dt', {}, 'report'), el('dd', { id: 'side-report' }, data.report ? `${data.report.flags.length} flags, threshold ${round(data.report.threshold)}` : 'none yet (run thoughtlens detect)'),
      ),
    );
    if (data.report?.flags.length) {
      const list = el('ol', { class: 'flag-list', id: 'flag-list' });
      for (const f of data.report.flags.slice(0, 50)) {
        const where = f.episode !== undefined && f.step !== undefined ? `episode ${f.episode}, step ${f.step}` : `step ${f.row}`;
        const li = el('li', { 'data-row': f.row }, `${where}: score ${round(f.score)} · latents ${f.latents.slice(0, 3).map((l) => l.latent).join(', ')}`);
        li.onclick = () => {
          focusRow(f.row);
          if (f.latents[0]) openLatent(f.latents[0].latent);
        };
        list.append(li);
      }
      side.append(el('h3', {}, `Flags (${data.report.flags.length}${data.report.flags.length > 50 ? ', first 50' : ''})`), list);
    }
  };
  renderSide();

  if (tab === 'structure') {
    await renderStructure(main, fullWidth, data, (j) => openLatent(j));
    if (state.params.latent) openLatent(Number(state.params.latent));
    perf.ready('structure');
    settle();
    const offLive = subscribe(() => undefined);
    const cleanup = () => offLive();
    return () => (cleanupNext ? cleanupNext() : cleanup());
  }

  // ---- timeline
  const heatLabelText = () =>
    data.codes ? `latent activations: ${data.codes.numLatents} latents grouped by class (bands on the left); darker = stronger relative to that latent's largest activation; click a row for its detail` : 'latent activations: no codes for this run yet';
  const heatLabel = el('div', { class: 'label', id: 'heat-label' }, heatLabelText());
  const agentsB = data.agents();
  const behH = behaviourHeight(agentsB);
  const behCanvas = el('canvas', { id: 'behaviour', width, height: behH });
  const heatCanvas = el('canvas', { id: 'heatmap', width, height: HEAT_H });
  const heatSvg = select(document.createElementNS('http://www.w3.org/2000/svg', 'svg')).attr('id', 'heat-overlay').attr('width', width).attr('height', HEAT_H);
  const axisSvg = select(document.createElementNS('http://www.w3.org/2000/svg', 'svg')).attr('width', width + 24).attr('height', AXIS_H).style('overflow', 'visible');
  const behLabels = el('div', { class: 'track-labels', id: 'behaviour-lanes', style: `height:${behH}px` },
    ...agentsB.flatMap((a, i) => [
      el('div', { class: 'lane', style: `top:${i * LANE * 2 + 6}px` }, `${a.id} action`),
      el('div', { class: 'lane', style: `top:${i * LANE * 2 + LANE + 6}px` }, `${a.id} reward`),
    ]));
  const bandSvg = select(document.createElementNS('http://www.w3.org/2000/svg', 'svg')).attr('id', 'heat-bands').attr('width', GUTTER).attr('height', HEAT_H);
  const legendRow = el('div', { class: 'legend-row', id: 'run-legends' });
  const focus = el('div', { id: 'focus', style: 'cursor: crosshair; position: relative' },
    behCanvas,
    el('div', { style: 'height:18px;overflow:hidden;white-space:nowrap' }, heatLabel),
    el('div', { class: 'heatmap-wrap' }, heatCanvas, heatSvg.node()!),
    axisSvg.node()!);
  const scoreSvg = select(document.createElementNS('http://www.w3.org/2000/svg', 'svg')).attr('id', 'score').attr('width', width).attr('height', SCORE_H);
  const scoreAxis = select(document.createElementNS('http://www.w3.org/2000/svg', 'svg')).attr('id', 'score-axis').attr('width', GUTTER).attr('height', SCORE_H);
  const contextSvg = select(document.createElementNS('http://www.w3.org/2000/svg', 'svg')).attr('id', 'context').attr('width', width).attr('height', CONTEXT_H);
  const scoreNote = el('div', { class: 'label', id: 'score-note' });
  main.append(
    el('div', { class: 'panel' },
      el('div', { class: 'label' }, 'behaviour of each agent: action colour (see legend), reward line, behavioural events in red'),
      legendRow,
      el('div', { class: 'track' },
        el('div', { class: 'track-labels', style: `height:${behH + 18 + HEAT_H}px` }, behLabels, el('div', { class: 'label', style: 'position:absolute;top:' + (behH + 2) + 'px;left:4px' }, 'latents'), el('div', { style: `position:absolute;top:${behH + 18}px` }, bandSvg.node()!)),
        el('div', {}, focus))),
    el('div', { class: 'panel' }, el('div', { class: 'label' }, 'conflict score (max per pixel column), calibrated threshold (dashed red) and flags (red triangles); grey: reference data the detector was fitted and calibrated on, not scored'),
      el('div', { class: 'track' }, el('div', { class: 'track-labels' }, scoreAxis.node()!), scoreSvg.node()!), scoreNote),
    el('div', { class: 'panel' }, el('div', { class: 'label' }, 'whole run: drag to select a range'), el('div', { class: 'track' }, el('div', { class: 'track-labels' }), contextSvg.node()!)),
  );
  const fillLegends = () => {
    clear(legendRow);
    legendRow.append(rampLegend('action', (t) => interpolateRdYlBu(1 - t), round(data.actionRange[0]), round(data.actionRange[1]), 'legend-action'));
    if (data.codes) {
      legendRow.append(rampLegend('activation (share of the latent\'s max)', (t) => interpolateMagma(1 - 0.92 * Math.sqrt(t)), '0', '1', 'legend-activation'));
      legendRow.append(classLegend(data.codes.classes));
    }
    legendRow.append(el('span', { class: 'legend' }, el('i', { class: 'swatch', style: 'background:#d7191c;width:3px' }), 'flag'));
  };
  fillLegends();
  const drawBands = () => {
    bandSvg.selectAll('*').remove();
    if (!layout || !data.codes) return;
    const rowH = HEAT_H / data.codes.numLatents;
    for (const b of layout.bands) {
      const y = b.start * rowH;
      bandSvg.append('rect').attr('x', GUTTER - 8).attr('y', y).attr('width', 6).attr('height', Math.max(1, b.count * rowH - 1)).attr('fill', classColor(b.name));
      if (b.count * rowH > 11) bandSvg.append('text').attr('class', 'band-label').attr('data-class', b.name).attr('x', GUTTER - 12).attr('y', y + Math.min(b.count * rowH / 2 + 4, 12)).attr('text-anchor', 'end').attr('fill', classColor(b.name)).attr('font-weight', 600).text(`${b.name} (${b.count})`);
    }
  };
  const behCtx = behCanvas.getContext('2d')!;
  const heatCtx = heatCanvas.getContext('2d')!;

  let layout: BandLayout | null = data.codes ? bandLayout(data.codes.classes) : null;
  let overview: HeatImage | null = null;
  let detail: HeatImage | null = null;
  const x2 = scaleLinear().domain([0, Math.max(1, data.total)]).range([0, width]);
  const x = x2.copy();
  const from0 = Number(state.params.from);
  const to0 = Number(state.params.to);
  if (Number.isFinite(from0) && Number.isFinite(to0) && to0 > from0) x.domain([from0, to0]);
  let hoverRow: number | null = null;

  const loadOverview = async () => {
    if (!data.codes || !layout) return;
    const { header, data: bins } = await getHeatmap(`/api/runs/${enc(runId)}/codes/${enc(data.codes.name)}/heatmap?from=0&to=${data.codes.rows}&bins=${Math.min(width, Math.max(1, data.codes.rows))}`);
    overview = heatImage(header, bins, layout);
  };
  let detailCtrl: AbortController | null = null;
  let detailTimer = 0;
  let detailDone: (() => void) | null = null;
  const requestDetail = () => {
    clearTimeout(detailTimer);
    detailDone?.();
    let resolve: () => void = () => undefined;
    const done = new Promise<void>((r) => (resolve = r));
    detailDone = resolve;
    track(done);
    detailTimer = window.setTimeout(async () => {
      try {
        await fetchDetail();
      } finally {
        resolve();
      }
    }, 90);
  };
  const fetchDetail = async () => {
    {
      if (!data.codes || !layout) return;
      const [d0, d1] = x.domain() as [number, number];
      const f = Math.max(0, Math.floor(d0));
      const t = Math.min(data.codes.rows, Math.ceil(d1));
      if (t - f >= data.codes.rows * 0.95 || t <= f) {
        detail = null;
        return;
      }
      detailCtrl?.abort();
      detailCtrl = new AbortController();
      try {
        const { header, data: bins } = await getHeatmap(`/api/runs/${enc(runId)}/codes/${enc(data.codes.name)}/heatmap?from=${f}&to=${t}&bins=${Math.min(width, t - f)}`, detailCtrl.signal);
        detail = heatImage(header, bins, layout);
        schedule();
      } catch {
        // aborted by a newer request
      }
    }
  };

  const drawOverlay = () => {
    heatSvg.selectAll('*').remove();
    if (layout && data.codes) {
      const rowH = HEAT_H / data.codes.numLatents;
      for (const b of layout.bands) {
        const y = b.start * rowH;
        if (b.start) heatSvg.append('line').attr('x1', 0).attr('x2', width).attr('y1', y).attr('y2', y).attr('stroke', '#888').attr('stroke-width', 0.5);
      }
      const latent = Number(readState().params.latent);
      if (Number.isInteger(latent) && latent < data.codes.numLatents) {
        const y = layout.position[latent]! * rowH;
        heatSvg.append('rect').attr('class', 'latent-mark').attr('x', 0).attr('y', y - 1).attr('width', width).attr('height', Math.max(2, rowH) + 2).attr('fill', 'none').attr('stroke', '#00a0a0');
      }
    }
    for (const f of data.report?.flags ?? []) {
      const fx = x(f.row);
      if (fx < 0 || fx > width) continue;
      heatSvg.append('line').attr('class', 'flag-line').attr('x1', fx).attr('x2', fx).attr('y1', 0).attr('y2', HEAT_H).attr('stroke', '#d7191c').attr('stroke-width', 1.5).attr('stroke-opacity', 0.8);
    }
    if (hoverRow !== null) {
      const hx = x(hoverRow);
      heatSvg.append('line').attr('x1', hx).attr('x2', hx).attr('y1', 0).attr('y2', HEAT_H).attr('stroke', '#00a0a0');
    }
  };

  let frame = 0;
  const render = () => {
    frame = 0;
    const t0 = performance.now();
    const [d0, d1] = x.domain() as [number, number];
    drawBehaviour(behCtx, width, data.agents(), data.total, d0, d1, data.actionRange);
    drawHeatmap(heatCtx, width, HEAT_H, d0, d1, [overview, detail]);
    drawOverlay();
    axisSvg.selectAll('*').remove();
    axisSvg.append('g').call(axisBottom(x).ticks(Math.floor(width / 90), 'd').tickSizeOuter(0));
    axisSvg.append('text').attr('class', 'axis-title').attr('x', width / 2).attr('y', AXIS_H - 2).attr('text-anchor', 'middle').text('step of the run (episodes one after another)');
    drawScore(scoreSvg, width, SCORE_H, x, data.report, scoreAxis);
    perf.frame(performance.now() - t0, d0, d1);
  };
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(render);
  };

  // ---- brush (context) and zoom (focus), kept in sync
  let syncing = false;
  const brush: BrushBehavior<unknown> = brushX().extent([[0, 0], [width, CONTEXT_H - 14]]).on('brush end', (event) => {
    if (syncing) return;
    const s = (event.selection as [number, number] | null) ?? [0, width];
    x.domain([x2.invert(s[0]), x2.invert(s[1])]);
    syncing = true;
    select(focus).call(zoomer.transform as never, transformFor());
    syncing = false;
    afterDomainChange();
  });
  const zoomer: ZoomBehavior<HTMLElement, unknown> = zoom<HTMLElement, unknown>()
    .scaleExtent([1, Math.max(2, data.total / 20)])
    .translateExtent([[0, 0], [width, 1]])
    .extent([[0, 0], [width, 1]])
    .filter((event: Event) => (event.type === 'wheel' ? true : (event as MouseEvent).button === 0 && !(event as MouseEvent).shiftKey))
    .on('zoom', (event: { transform: ZoomTransform }) => {
      if (syncing) return;
      x.domain(event.transform.rescaleX(x2).domain());
      syncing = true;
      contextG.call(brush.move as never, (x.domain() as number[]).map(x2) as never);
      syncing = false;
      afterDomainChange();
    });
  const transformFor = () => {
    const [d0, d1] = x.domain() as [number, number];
    const k = width / Math.max(1e-9, x2(d1) - x2(d0));
    return zoomIdentity.scale(k).translate(-x2(d0), 0);
  };
  let urlTimer = 0;
  const afterDomainChange = () => {
    schedule();
    requestDetail();
    clearTimeout(urlTimer);
    urlTimer = window.setTimeout(() => {
      const [d0, d1] = x.domain() as [number, number];
      const full = d0 <= 0.5 && d1 >= data.total - 0.5;
      setParams(full ? { from: null, to: null } : { from: Math.round(d0), to: Math.round(d1) });
    }, 150);
  };
  const contextBg = contextSvg.append('g');
  drawContext(contextBg, width, CONTEXT_H, x2, data);
  const contextG = contextSvg.append('g').attr('class', 'brush').call(brush as never);
  select(focus).call(zoomer as never).on('dblclick.zoom', null);
  const syncControls = () => {
    syncing = true;
    select(focus).call(zoomer.transform as never, transformFor());
    const [d0, d1] = x.domain() as [number, number];
    contextG.call(brush.move as never, d0 <= 0 && d1 >= data.total ? null : ([x2(d0), x2(d1)] as never));
    syncing = false;
  };
  syncControls();

  const focusRow = (row: number) => {
    const span = Math.max(40, Math.min(data.total, (x.domain()[1]! - x.domain()[0]!) / 4));
    const d0 = Math.max(0, row - span / 2);
    x.domain([d0, Math.min(data.total, d0 + span)]);
    syncControls();
    afterDomainChange();
  };

  // ---- hover and click
  const codesCache = new Map<number, { latent: number; value: number }[]>();
  let hoverTimer = 0;
  const latentAtY = (y: number): number | null => {
    if (!layout || !data.codes) return null;
    const p = Math.floor((y / HEAT_H) * data.codes.numLatents);
    return p >= 0 && p < data.codes.numLatents ? layout.order[p]! : null;
  };
  focus.addEventListener('mousemove', (ev) => {
    const rect = heatCanvas.getBoundingClientRect();
    const mx = ev.clientX - rect.left;
    const row = Math.max(0, Math.min(data.total - 1, Math.round(x.invert(mx))));
    hoverRow = row;
    schedule();
    const inHeat = ev.clientY >= rect.top && ev.clientY < rect.bottom;
    const j = inHeat ? latentAtY(ev.clientY - rect.top) : null;
    const lines: (string | [string, string])[] = data.rowInfo(row);
    if (j !== null) lines.push(['latent', `${j} (${data.codes!.classes[j]})`]);
    const top = codesCache.get(row);
    if (top) lines.push(['top latents', top.slice(0, 5).map((t) => `${t.latent}:${t.value.toFixed(2)}`).join(' ') || 'none']);
    showTooltip(ev.clientX, ev.clientY, lines);
    clearTimeout(hoverTimer);
    if (data.codes && !top && row < data.codes.rows) {
      hoverTimer = window.setTimeout(async () => {
        const r = await getJson<CodesRangeResponse>(`/api/runs/${enc(runId)}/codes/${enc(data.codes!.name)}/rows?from=${row}&to=${row + 1}`);
        const list = r.indices.map((l, i) => ({ latent: l, value: r.values[i]! })).sort((a, b) => b.value - a.value);
        codesCache.set(row, list);
      }, 60);
    }
  });
  focus.addEventListener('mouseleave', () => {
    hoverRow = null;
    hideTooltip();
    schedule();
  });
  heatCanvas.addEventListener('click', (ev) => {
    const j = latentAtY(ev.clientY - heatCanvas.getBoundingClientRect().top);
    if (j !== null) {
      openLatent(j);
      schedule();
    }
  });

  // ---- live growth
  let growing = false;
  const grow = async () => {
    if (growing) return;
    growing = true;
    try {
      const [d0, d1] = x.domain() as [number, number];
      const following = d1 >= data.total - 0.5;
      const added = await data.loadBehaviour();
      if (!added) return;
      x2.domain([0, Math.max(1, data.total)]);
      if (following) x.domain([d0 <= 0.5 ? 0 : d0 + added, data.total]);
      rowsCount.textContent = `${data.total} steps`;
      rowsCount.setAttribute('data-rows', String(data.total));
      perf.grew(data.total);
      zoomer.scaleExtent([1, Math.max(2, data.total / 20)]);
      contextBg.selectAll('*').remove();
      drawContext(contextBg, width, CONTEXT_H, x2, data);
      syncControls();
      schedule();
    } finally {
      growing = false;
    }
  };
  let codesTimer = 0;
  const offLive = subscribe((e: LiveEvent) => {
    if (disposed) return;
    if (e.type === 'run' && e.run === runId) {
      if (e.rows > data.total) void grow();
      if (e.status !== data.detail.status) {
        data.detail.status = e.status;
        data.detail.live = e.status === 'recording';
        badge.textContent = e.status;
        badge.className = `badge ${e.status}`;
        const st = side.querySelector('#side-status');
        if (st) st.textContent = e.status + (data.detail.live ? ' (live)' : '');
      }
    } else if (e.type === 'codes' && e.run === runId) {
      clearTimeout(codesTimer);
      codesTimer = window.setTimeout(async () => {
        if (!data.detail.codes.includes(e.codes)) data.detail.codes.push(e.codes);
        await data.loadCodes(data.codes?.name ?? e.codes);
        layout = data.codes ? bandLayout(data.codes.classes) : null;
        heatLabel.textContent = heatLabelText();
        drawBands();
        fillLegends();
        refreshSelects();
        await loadOverview();
        requestDetail();
        schedule();
      }, 300);
    } else if (e.type === 'report' && e.run === runId) {
      void (async () => {
        if (!data.detail.reports.includes(e.report)) data.detail.reports.push(e.report);
        await data.loadReport(data.report?.name ?? e.report);
        fillReportLinks();
        fillScoreNote();
        refreshSelects();
        const latent = side.querySelector('#latent-panel');
        renderSide();
        if (latent) side.querySelector('#latent-panel')!.replaceWith(latent);
        schedule();
      })();
    }
  });

  const fillScoreNote = () => {
    const r = data.report;
    const parts: string[] = [];
    if (r?.reference?.length) parts.push(`reference data (not scored): rows ${r.reference.map((g) => `${g.from}–${g.to - 1}`).slice(0, 4).join(', ')}${r.reference.length > 4 ? ', …' : ''}`);
    if (r && r.scoredEpisodes !== undefined && r.seriesEpisodes !== undefined && r.seriesEpisodes < r.scoredEpisodes) parts.push(`this report.json keeps the score of ${r.seriesEpisodes} of ${r.scoredEpisodes} scored episodes (written by an older thoughtlens detect; run it again for the whole curve)`);
    scoreNote.textContent = parts.join(' · ');
    // A detector that found no precursor on its reference data says so above its flags
    // (the textContent above has already cleared an earlier one).
    if (r?.precursor && !r.precursor.found) scoreNote.prepend(el('div', { id: 'no-precursor', class: 'warning' }, r.precursor.statement));
  };
  fillScoreNote();
  performance.mark('tl-run-layout');
  await loadOverview();
  performance.mark('tl-run-overview');
  drawBands();
  requestDetail();
  render();
  perf.firstRender();
  if (state.params.latent) openLatent(Number(state.params.latent));
  settle();
  // Test and bench hook: pan by dx pixels as a drag would.
  perf.setPan((dx: number) => {
    const [d0, d1] = x.domain() as [number, number];
    const k = width / Math.max(1e-9, x2(d1) - x2(d0));
    select(focus).call(zoomer.translateBy as never, -dx / k, 0);
  });

  const cleanup = () => {
    offLive();
    clearTimeout(detailTimer);
    clearTimeout(urlTimer);
    hideTooltip();
  };
  return () => (cleanupNext ? cleanupNext() : cleanup());
}
