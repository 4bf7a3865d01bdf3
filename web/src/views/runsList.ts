// The runs list: status (live runs marked), source, agents, steps, size, codes and reports.
import type { RunsResponse } from '../../../server/protocol.js';
import { getJson } from '../api.js';
import { clear, el, formatBytes } from '../dom.js';
import { subscribe } from '../live.js';
import { perf } from '../perfHooks.js';
import { navigate } from '../viewState.js';

export async function renderRunsList(root: HTMLElement): Promise<() => void> {
  const draw = async () => {
    const { runs, workspace } = await getJson<RunsResponse>('/api/runs');
    clear(root);
    root.append(el('h2', {}, `Runs in ${workspace}`));
    if (runs.length === 0) {
      root.append(el('p', { class: 'muted' }, 'No runs yet. Record one (thoughtlens demo, or stream from your own model: see docs/RECORDING.md).'));
    }
    const table = el('table', { class: 'list', id: 'runs-table' },
      el('tr', {}, ...['run', 'status', 'source', 'agents', 'steps', 'size', 'codes', 'reports', 'created'].map((h) => el('th', {}, h))));
    for (const r of runs) {
      const tr = el('tr', { class: 'run-row', 'data-run': r.id, 'data-live': r.live },
        el('td', {}, el('a', { href: `#/run/${encodeURIComponent(r.id)}` }, r.id)),
        el('td', {}, el('span', { class: `badge ${r.status}` }, r.live ? 'live' : r.status)),
        el('td', {}, r.sourceKind === 'network' ? el('a', { href: `#/network/${encodeURIComponent(r.id)}`, class: 'graph-link' }, 'network · graph') : (r.sourceKind ?? '–')),
        el('td', {}, r.agents.length > 8 ? `${r.agents.length} agents (${r.agents[0]!.id} … ${r.agents[r.agents.length - 1]!.id}, d ${r.agents[0]!.hiddenSize})` : r.agents.map((a) => `${a.id} (${a.hiddenSize})`).join(', ')),
        el('td', { class: 'steps' }, String(r.steps)),
        el('td', {}, formatBytes(r.bytes)),
        el('td', {}, r.codes.join(', ') || '–'),
        el('td', {}, r.reports.join(', ') || '–'),
        el('td', {}, r.error ? `unreadable: ${r.error}` : (r.createdAt ?? '').replace('T', ' ').slice(0, 19)));
      tr.onclick = () => navigate({ view: 'run', run: r.id, params: {} });
      table.append(tr);
    }
    root.append(table);
    perf.ready('runs');
    perf.quiescent('runs');
  };
  await draw();
  let timer = 0;
  const off = subscribe((e) => {
    if (e.type === 'ping') return;
    clearTimeout(timer);
    timer = window.setTimeout(() => void draw(), 250);
  });
  return () => {
    off();
    clearTimeout(timer);
  };
}
