// An experiment's conditions side by side (thoughtlens experiment, docs/EXPERIMENTS.md): the
// behaviour metrics per condition with their intervals and per-seed values, each condition's
// per-episode defection, the behaviour shift from the baseline, the representational shift
// ranked (latents by |Cohen's d| with intervals, permutation p and BH q), the selected latent's
// activation per held-out episode in every condition on one scale, and example episodes that
// open in the run view. Every number is report.json's (the CLI's); the view only reshapes it.
import { schemeTableau10 } from 'd3';
import type { ConditionLatentView, ExperimentsResponse, ExperimentView, IntervalView } from '../../../server/protocol.js';
import { enc, getJson } from '../api.js';
import { intervalChart } from '../charts/intervalChart.js';
import { smallMultiples } from '../charts/smallMultiples.js';
import { clear, el, round } from '../dom.js';
import { exportView } from '../exportView.js';
import { perf } from '../perfHooks.js';
import { readState, setParams } from '../viewState.js';

/** An estimate and its interval as text: `0.5 [0.2, 0.8]`. */
export function intervalText(v: IntervalView | undefined): string {
  if (!v || v.estimate === null) return '–';
  return `${round(v.estimate)} [${round(v.lo)}, ${round(v.hi)}]`;
}

const pText = (p: number | null): string => (p === null ? '–' : round(p, 2));

export async function renderConditions(root: HTMLElement): Promise<() => void> {
  perf.busy();
  clear(root);
  const list = await getJson<ExperimentsResponse>('/api/experiments');
  const names = list.experiments.map((e) => e.name);
  const st = readState().params;
  const current = st.experiment ?? list.experiments.find((e) => e.hasReport && !e.error)?.name ?? names[0] ?? '';
  // The experiment asked for, even one the menu does not hold (a stale link gets its own error).
  let want = current;
  const sel = el('select', { id: 'experiment-select', title: 'experiment' }, ...list.experiments.map((e) => el('option', { value: e.name, selected: e.name === current }, `${e.name}${e.hasReport ? ` (${e.conditions} conditions)` : ' (no report yet)'}`)));
  const png = el('button', { id: 'export-png' }, 'PNG');
  const svgB = el('button', { id: 'export-svg' }, 'SVG');
  const main = el('div', { id: 'view-main' });
  root.append(el('div', { class: 'toolbar' }, el('h2', {}, 'Conditions'), sel, el('span', { class: 'muted' }, 'export view:'), png, svgB), main);
  png.onclick = () => void exportView(main, `conditions-${want}`, 'png');
  svgB.onclick = () => void exportView(main, `conditions-${want}`, 'svg');
  const done = () => {
    perf.ready('conditions');
    perf.quiescent('conditions');
  };
  const fail = (where: HTMLElement, err: unknown) => {
    clear(where);
    where.append(el('div', { class: 'error', id: 'view-error' }, (err as Error).message.split('\n')[0]!));
    done();
  };

  const go = async () => {
    perf.busy();
    clear(main);
    if (!want) {
      main.append(el('div', { class: 'panel muted', id: 'no-experiments' }, 'No experiments in this workspace yet (thoughtlens experiment <spec.json> writes experiments/<name>/).'));
      return done();
    }
    let x: ExperimentView;
    try {
      x = await getJson<ExperimentView>(`/api/experiments/${enc(want)}`);
    } catch (err) {
      return fail(main, err);
    }
    const colour = new Map(x.conditions.map((c, i) => [c.condition, schemeTableau10[i % 10]!]));
    const W = Math.max(480, main.clientWidth - 24);
    main.append(
      el('div', { class: 'panel', id: 'experiment-summary' },
        el('h3', {}, `Experiment ${x.name}`),
        x.description ? el('p', {}, x.description) : null,
        el('div', { class: 'muted' }, `baseline ${x.baseline} · seeds ${x.seeds.join(', ')} · ${x.createdAt} · ${x.command}`)),
    );
    main.append(behaviourPanel(x, colour, W));
    if (!x.representation) {
      main.append(el('div', { class: 'panel muted', id: 'shift-ranked' }, 'This experiment has no dictionary across conditions ("dictionary": false in its spec): no representational shift to show.'));
      return done();
    }
    const ranked = x.representation.ranked;
    const latentBox = el('div', { class: 'panel', id: 'latent-conditions' });
    const p = readState().params;
    let latent = Number(p.latent);
    if (!Number.isInteger(latent) || latent < 0) latent = ranked[0]?.latent ?? 0;
    const table = shiftTable(x, colour, W, (j) => {
      setParams({ latent: j });
      void showLatent(j);
    });
    main.append(table, latentBox);
    const showLatent = async (j: number) => {
      perf.busy();
      for (const tr of table.querySelectorAll<HTMLElement>('tr[data-latent]')) tr.classList.toggle('selected', Number(tr.dataset.latent) === j);
      clear(latentBox);
      latentBox.append(el('div', { class: 'muted' }, `encoding the held-out episodes of every condition with the dictionary (latent ${j})…`));
      let v: ConditionLatentView;
      try {
        v = await getJson<ConditionLatentView>(`/api/experiments/${enc(x.name)}/latents/${j}`);
      } catch (err) {
        return fail(latentBox, err);
      }
      clear(latentBox);
      latentPanel(latentBox, x, v, colour, W);
      done();
    };
    await showLatent(latent);
  };
  sel.onchange = () => {
    want = sel.value;
    setParams({ experiment: want, latent: null });
    void go();
  };
  if (current && st.experiment !== current) setParams({ experiment: current });
  await go();
  return () => undefined;
}

function behaviourPanel(x: ExperimentView, colour: Map<string, string>, W: number): HTMLElement {
  const panel = el('div', { class: 'panel', id: 'behaviour-panel' }, el('h3', {}, 'Behaviour per condition'),
    el('div', { class: 'muted' }, 'Pooled over seeds; 95 % bootstrap intervals over (seed, co-player); open circles: one seed each.'));
  const t = el('table', { class: 'list', id: 'behaviour-table' }, el('tr', {}, el('th', {}, 'condition'), el('th', {}, 'test context'), ...x.metrics.map((m) => el('th', {}, m.label))));
  for (const c of x.conditions) {
    const ctx = [c.context !== 'whole' ? `trained ${c.context}` : '', c.prefix ? `memory ${c.prefix}` : '', c.history].filter(Boolean).join(' · ');
    t.append(el('tr', { 'data-condition': c.condition },
      el('td', { style: `color:${colour.get(c.condition)};font-weight:600` }, c.condition + (c.condition === x.baseline ? ' (baseline)' : '')),
      el('td', { class: 'muted' }, ctx || '–'),
      ...x.metrics.map((m) => el('td', { class: 'num', 'data-metric': m.key, 'data-estimate': String(c.metrics[m.key]?.estimate ?? null) }, intervalText(c.metrics[m.key])))));
  }
  panel.append(t);
  const charts = el('div', { id: 'metric-charts', style: 'display:flex;flex-wrap:wrap;gap:8px' });
  const cw = Math.max(300, Math.floor((W - 16) / 2));
  for (const m of x.metrics) {
    const seedKey = m.key as 'fraction' | 'bestRate' | 'defection' | 'firstDefection';
    const rows = x.conditions.map((c) => ({ label: c.condition, ...(c.metrics[m.key] ?? { estimate: null, lo: null, hi: null }), points: c.perSeed.map((s) => (seedKey in s ? s[seedKey] : null)), colour: colour.get(c.condition) }));
    const box = el('div', { class: 'metric-chart', 'data-metric': m.key });
    box.append(intervalChart(rows, { width: cw, axisTitle: m.label, reference: x.conditions.find((c) => c.condition === x.baseline)?.metrics[m.key]?.estimate ?? null }));
    charts.append(box);
  }
  panel.append(charts);
  const withEpisodes = x.conditions.filter((c) => c.defectionByEpisode);
  if (withEpisodes.length) {
    panel.append(el('h3', {}, 'Defection per episode (every recorded episode of every seed)'));
    const hist = smallMultiples(withEpisodes.map((c) => ({ label: c.condition, values: c.defectionByEpisode!, colour: colour.get(c.condition) })), {
      width: Math.max(200, Math.min(300, Math.floor((W - 16) / Math.min(4, withEpisodes.length)) - 8)),
      domain: [0, 1],
      bins: 10,
      axisTitle: "episode's defection rate",
      caption: (mean, n) => `mean ${round(mean)} (${n} episodes)`,
    });
    hist.id = 'defection-hists';
    panel.append(hist);
  }
  if (x.shifts.length) {
    const label = new Map(x.metrics.map((m) => [m.key, m.label]));
    const s = el('table', { class: 'list', id: 'behaviour-shifts' }, el('tr', {}, el('th', {}, 'condition'), el('th', {}, 'metric'), el('th', {}, `Δ from ${x.baseline} [95 % CI]`), el('th', {}, 'd_z'), el('th', {}, 'p'), el('th', {}, 'q')));
    for (const r of x.shifts) {
      s.append(el('tr', { 'data-condition': r.condition, 'data-metric': r.metric, class: r.q !== null && r.q <= x.alpha ? 'significant' : '' },
        el('td', { style: `color:${colour.get(r.condition)}` }, r.condition), el('td', {}, label.get(r.metric) ?? r.metric),
        el('td', { class: 'num delta' }, intervalText(r.delta)), el('td', { class: 'num' }, round(r.effectSize)), el('td', { class: 'num p' }, pText(r.p)), el('td', { class: 'num q' }, pText(r.q))));
    }
    panel.append(el('h3', {}, `Behaviour shift from ${x.baseline}, paired by (seed, co-player); p: sign-flip permutation test, q: Benjamini–Hochberg`), s);
  }
  return panel;
}

function shiftTable(x: ExperimentView, colour: Map<string, string>, W: number, onPick: (latent: number) => void): HTMLElement {
  const rep = x.representation!;
  const panel = el('div', { class: 'panel', id: 'shift-ranked' },
    el('h3', {}, `Representational shift from ${x.baseline}, ranked by |Cohen's d|`),
    el('div', { class: 'muted' }, `Each condition's top latents of one dictionary (${rep.latents ?? '?'} latents) trained across all conditions; per-episode mean activation over held-out episodes (${rep.heldOut}); d with a 95 % bootstrap interval over episodes, p from a permutation test, q Benjamini–Hochberg over ${rep.tests} tests. Click a row: that latent in every condition below.`),
    el('div', { class: 'muted', id: 'shift-conditions' }, rep.conditions.map((c) => `${c.condition}: ${c.significant} latents with q ≤ ${x.alpha} (${c.episodes} vs ${c.baseEpisodes} episodes${c.sameAgent ? '' : '; different weights from the baseline'})`).join(' · ')));
  const t = el('table', { class: 'list', id: 'shift-table' },
    el('tr', {}, el('th', {}, '#'), el('th', {}, 'condition'), el('th', {}, 'latent'), el('th', {}, 'd [95 % CI]'), el('th', {}, 'mean (baseline → condition)'), el('th', {}, 'Δ firing rate'), el('th', {}, 'p'), el('th', {}, 'q')));
  rep.ranked.forEach((s, i) => {
    const tr = el('tr', { class: `run-row${s.q !== null && s.q <= x.alpha ? ' significant' : ''}`, 'data-rank': i + 1, 'data-latent': s.latent, 'data-condition': s.condition, 'data-d': String(s.d.estimate), 'data-p': String(s.p), 'data-q': String(s.q) },
      el('td', {}, String(i + 1)), el('td', { style: `color:${colour.get(s.condition)}` }, s.condition), el('td', { class: 'latent' }, String(s.latent)),
      el('td', { class: 'num d' }, intervalText(s.d)), el('td', { class: 'num' }, `${round(s.baseMean)} → ${round(s.mean)}`), el('td', { class: 'num' }, round(s.deltaRate)),
      el('td', { class: 'num p' }, pText(s.p)), el('td', { class: 'num q' }, pText(s.q)));
    tr.onclick = () => onPick(s.latent);
    t.append(tr);
  });
  panel.append(t);
  const forest = intervalChart(rep.ranked.map((s) => ({ label: `${s.condition} · ${s.latent}`, ...s.d, colour: colour.get(s.condition) })), { width: Math.min(W, 720), labelWidth: 170, rowHeight: 16, reference: 0, axisTitle: "Cohen's d (condition − baseline)", id: 'shift-forest' });
  panel.append(forest);
  return panel;
}

function movesStrip(moves: readonly number[], title: string): HTMLElement {
  const s = el('span', { class: 'moves', title, 'data-moves': moves.map((m) => (m === 1 ? 'D' : m === 0 ? 'C' : '?')).join('') });
  for (const m of moves) s.append(el('i', { style: `display:inline-block;width:9px;height:12px;margin-right:1px;background:${m === 1 ? '#d7191c' : m === 0 ? '#2c7bb6' : '#ccc'}` }));
  return s;
}

function latentPanel(box: HTMLElement, x: ExperimentView, v: ConditionLatentView, colour: Map<string, string>, W: number): void {
  box.dataset.latent = String(v.latent);
  box.append(el('h3', { id: 'latent-title' }, `Latent ${v.latent} in every condition`),
    el('div', { class: 'muted' }, `Mean activation per held-out episode (${v.heldOut}), all seeds; one x scale for all conditions. Red line: the mean (report.json's mean for the condition, baseMean for ${x.baseline}).`));
  const n = v.conditions.length;
  const hist = smallMultiples(v.conditions.map((c) => ({ label: c.condition, values: c.values, colour: colour.get(c.condition) })), {
    width: Math.max(200, Math.min(300, Math.floor((W - 16) / Math.min(4, n)) - 8)),
    axisTitle: `latent ${v.latent}: episode mean activation`,
    caption: (mean, k) => `mean ${round(mean)} (${k} episodes)`,
  });
  hist.id = 'latent-hists';
  box.append(hist);
  const ex = el('div', { id: 'examples' }, el('h3', {}, `Example episodes: the highest activation of latent ${v.latent} first, then the lowest`),
    el('div', { class: 'muted' }, 'Moves per round (blue C, red D) of the agent under the condition and of the same agent without it; the link opens the recorded run (episodes are recorded round by round, so the run view shows the rows that span the episode).'));
  for (const c of v.conditions) {
    const t = el('table', { class: 'list examples', 'data-condition': c.condition }, el('tr', {}, el('th', { style: `color:${colour.get(c.condition)}` }, c.condition), el('th', {}, 'activation'), el('th', {}, 'co-player'), el('th', {}, 'moves (agent / unprimed)'), el('th', {}, '')));
    for (const e of c.examples) {
      const href = `#/run/${enc(e.run)}?from=${e.from}&to=${e.to}`;
      t.append(el('tr', { 'data-run': e.run, 'data-episode': e.episode, 'data-value': String(e.value) },
        el('td', {}, `seed ${e.seed}, episode ${e.episode}`), el('td', { class: 'num' }, round(e.value)), el('td', {}, e.coPlayer === null ? '–' : String(e.coPlayer)),
        el('td', {}, movesStrip(e.moves, 'agent'), el('br'), movesStrip(e.unprimed, 'unprimed')),
        el('td', {}, el('a', { class: 'episode-link', href }, 'open run'))));
    }
    if (!c.examples.length) t.append(el('tr', {}, el('td', { class: 'muted' }, 'no recorded episodes')));
    ex.append(t);
  }
  box.append(ex);
}
