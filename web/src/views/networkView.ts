// The graph of a network run (record network), one episode at a time: nodes coloured by their
// belief at the chosen step (ringed when an edge of theirs violates the task; the faulty node
// drawn square from its fault's step), edges coloured by representational alignment (the
// per-edge divergence z-score, grey = aligned, red = at or past the calibrated flag threshold,
// dashed = unscored), a round scrubber, and a node's timeline on click. URL state:
// #/network/<run>?episode=&step=&node=.
import { forceCenter, forceLink, forceManyBody, forceSimulation, scaleLinear, schemeTableau10, select, type SimulationNodeDatum } from 'd3';
import type { NetworkView } from '../../../server/protocol.js';
import { getJson } from '../api.js';
import { clear, el } from '../dom.js';
import { perf } from '../perfHooks.js';
import { readState, setParams } from '../viewState.js';

const W = 860;
const H = 560;

interface Pt extends SimulationNodeDatum {
  id: number;
}

/** Node positions: a force layout run to rest before drawing (deterministic: d3 starts from a phyllotaxis). */
function layout(v: NetworkView): Pt[] {
  const pts: Pt[] = Array.from({ length: v.nodes }, (_, id) => ({ id }));
  const links = v.edges.map(([s, t]) => ({ source: s, target: t }));
  const sim = forceSimulation(pts)
    .force('link', forceLink(links).distance(v.nodes > 50 ? 22 : 60))
    .force('charge', forceManyBody().strength(v.nodes > 50 ? -30 : -220))
    .force('center', forceCenter(W / 2, H / 2))
    .stop();
  for (let i = 0; i < 300; i++) sim.tick();
  const xs = pts.map((p) => p.x!);
  const ys = pts.map((p) => p.y!);
  const sx = scaleLinear().domain([Math.min(...xs), Math.max(...xs)]).range([24, W - 24]);
  const sy = scaleLinear().domain([Math.min(...ys), Math.max(...ys)]).range([24, H - 24]);
  for (const p of pts) {
    p.x = sx(p.x!);
    p.y = sy(p.y!);
  }
  return pts;
}

export async function renderNetworkView(root: HTMLElement, run: string): Promise<() => void> {
  document.body.removeAttribute('data-ready');
  perf.busy();
  const params = readState().params;
  const q = params.episode !== undefined ? `?episode=${encodeURIComponent(params.episode)}` : '';
  const v = await getJson<NetworkView>(`api/runs/${encodeURIComponent(run)}/network${q}`);
  clear(root);
  const pts = layout(v);
  const thr = v.threshold ?? Infinity;
  const edgeColour = scaleLinear<string>().domain([0, Number.isFinite(thr) ? thr : 3]).range(['#b8c2cc', '#d62728']).clamp(true);
  const beliefs = [...new Set(v.beliefs.flat())].sort((a, b) => a - b);
  const nodeColour = (b: number) => schemeTableau10[beliefs.indexOf(b) % 10]!;
  const r = v.nodes > 50 ? 5 : 11;

  const step = el('input', { type: 'range', id: 'network-step', min: 0, max: v.steps - 1, value: Math.min(Number(params.step ?? 0) || 0, v.steps - 1) });
  const stepLabel = el('span', { id: 'network-step-label' });
  const episodeSel = el(
    'select',
    { id: 'network-episode', title: 'episode' },
    ...v.episodes.map((e) => el('option', { value: e, selected: e === v.episode }, `episode ${e}`)),
  );
  const caption = el('p', { id: 'network-caption', class: 'muted' });
  const timeline = el('div', { id: 'network-timeline' });
  const svgEl = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svgEl.setAttribute('id', 'network-graph');
  svgEl.setAttribute('width', String(W));
  svgEl.setAttribute('height', String(H));
  root.append(
    el('h2', {}, `${run} · ${v.task} on ${v.nodes} nodes`),
    el('div', { class: 'toolbar' }, episodeSel, el('label', {}, 'round ', step), stepLabel),
    caption,
    svgEl,
    el(
      'p',
      { class: 'muted' },
      `Nodes: colour = belief, ring = an edge violates the task, square = the faulty node. Edges: representational alignment (${v.views} node views), grey aligned → red at the flag threshold ${Number.isFinite(thr) ? `z = ${thr.toFixed(2)}` : '(none: too few clean steps to calibrate; red at z = 3)'}; dashed = no shared coordinate.`,
    ),
    timeline,
  );
  const svg = select(svgEl);
  const edgeSel = svg
    .append('g')
    .selectAll('line')
    .data(v.edges)
    .join('line')
    .attr('class', 'net-edge')
    .attr('x1', ([u]) => pts[u]!.x!)
    .attr('y1', ([u]) => pts[u]!.y!)
    .attr('x2', ([, w]) => pts[w]!.x!)
    .attr('y2', ([, w]) => pts[w]!.y!)
    .attr('stroke-width', 2.5);
  const faultNode = v.fault?.node ?? -1;
  const nodeSel = svg
    .append('g')
    .selectAll('path')
    .data(pts)
    .join('path')
    .attr('class', 'net-node')
    .attr('data-node', (p) => p.id)
    .attr('transform', (p) => `translate(${p.x},${p.y})`)
    .style('cursor', 'pointer')
    .on('click', (_e, p) => showNode(p.id));
  nodeSel.append('title').text((p) => `n${p.id}`);

  function draw(t: number): void {
    stepLabel.textContent = ` ${t} / ${v.steps - 1}`;
    edgeSel
      .attr('stroke', (_d, i) => {
        const z = v.alignment[i]![t];
        return z === null || z === undefined ? '#ddd' : edgeColour(Math.max(0, z));
      })
      .attr('stroke-dasharray', (_d, i) => (v.alignment[i]![t] === null ? '4 3' : null))
      .attr('data-z', (_d, i) => String(v.alignment[i]![t]));
    nodeSel
      .attr('d', (p) => (p.id === faultNode && t >= v.fault!.step ? `M${-r},${-r}h${2 * r}v${2 * r}h${-2 * r}Z` : `M${-r},0a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`))
      .attr('fill', (p) => nodeColour(v.beliefs[t]![p.id]!))
      .attr('data-belief', (p) => v.beliefs[t]![p.id]!)
      .attr('stroke', (p) => (v.disagree[t]![p.id] ? '#222' : '#fff'))
      .attr('stroke-width', (p) => (v.disagree[t]![p.id] ? 2.5 : 1));
    const flagged = v.alignment.filter((a) => (a[t] ?? -Infinity) >= thr).length;
    const f = v.fault;
    caption.textContent =
      (f ? `fault: ${f.kind} at n${f.node} from round ${f.step}; a neighbour acted at round ${f.neighbourActedStep ?? 'never'}; ${f.affectedPerStep[t] ?? 0} other nodes affected now. ` : 'clean episode. ') +
      `${flagged} edge${flagged === 1 ? '' : 's'} at or past the flag threshold.`;
  }

  function showNode(n: number): void {
    setParams({ node: n });
    nodeSel.classed('selected', (p) => p.id === n);
    const incident = v.edges.map((e, i) => ({ e, i })).filter(({ e }) => e[0] === n || e[1] === n);
    clear(timeline);
    timeline.append(
      el('h3', {}, `n${n}${n === faultNode ? ' (faulty)' : ''}: timeline`),
      el(
        'table',
        { class: 'net-timeline' },
        el('tr', {}, ...['round', 'belief', 'answer', 'disagree', 'max edge z'].map((h) => el('th', {}, h))),
        ...Array.from({ length: v.steps }, (_, t) => {
          const zs = incident.map(({ i }) => v.alignment[i]![t]).filter((z): z is number => z !== null && z !== undefined);
          const zmax = zs.length ? Math.max(...zs) : null;
          return el(
            'tr',
            { 'data-step': t, class: zmax !== null && zmax >= thr ? 'flagged' : undefined },
            el('td', {}, String(t)),
            el('td', {}, String(v.beliefs[t]![n])),
            el('td', {}, String(v.answers[t]![n])),
            el('td', {}, v.disagree[t]![n] ? 'yes' : ''),
            el('td', {}, zmax === null ? '–' : zmax.toFixed(2)),
          );
        }),
      ),
    );
  }

  const onStep = () => {
    const t = Number(step.value);
    setParams({ step: t });
    draw(t);
  };
  step.addEventListener('input', onStep);
  episodeSel.addEventListener('change', () => {
    setParams({ episode: episodeSel.value, step: 0 });
    void renderNetworkView(root, run);
  });
  draw(Number(step.value));
  if (params.node !== undefined && Number(params.node) < v.nodes) showNode(Number(params.node));
  perf.ready('network');
  return () => step.removeEventListener('input', onStep);
}
