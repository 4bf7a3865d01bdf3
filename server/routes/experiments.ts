// Experiment reports (thoughtlens experiment), read-only, for the conditions view:
//   GET /api/experiments                 → the experiment folders of the workspace
//   GET /api/experiments/:name           → ExperimentView: report.json checked and reshaped, with
//                                          each condition's recorded runs and per-episode defection
//   GET /api/experiments/:name/latents/:n → ConditionLatentView: latent n per held-out episode,
//                                          per condition, with example episodes
// Every path comes from WorkspacePaths (names checked, real paths inside the workspace).
import { statSync } from 'node:fs';
import type { Router } from 'express';
import { ThoughtlensError } from '../../data/index.js';
import type { BehaviourColumns } from '../behaviourCache.js';
import { conditionRuns, experimentLatentStats } from '../conditionLatents.js';
import { BadRequestError } from '../errors.js';
import { readExperimentReport, type ExperimentReportView } from '../experimentReader.js';
import { param } from '../httpHelpers.js';
import type { ConditionEpisode, ConditionLatentView, ExperimentsResponse, ExperimentView } from '../protocol.js';
import type { Workbench } from '../workbench.js';

const reports = new Map<string, { key: string; view: ExperimentReportView }>();

function loadExperiment(wb: Workbench, name: string): ExperimentReportView {
  const file = wb.paths.experimentReport(name);
  const st = statSync(file);
  const key = `${st.size}:${st.mtimeMs}`;
  const hit = reports.get(file);
  if (hit && hit.key === key) return hit.view;
  const view = readExperimentReport(file, name);
  if (reports.size > 32) reports.clear();
  reports.set(file, { key, view });
  return view;
}

/** Rows of each episode of a run, in step order (the experiment runs interleave episodes by round). */
const episodeRows = new WeakMap<BehaviourColumns, { length: number; rows: Map<number, number[]> }>();
function rowsByEpisode(cols: BehaviourColumns): Map<number, number[]> {
  const hit = episodeRows.get(cols);
  if (hit && hit.length === cols.length) return hit.rows;
  const rows = new Map<number, number[]>();
  for (let r = 0; r < cols.length; r++) {
    const e = cols.episode[r]!;
    let list = rows.get(e);
    if (!list) rows.set(e, (list = []));
    list.push(r);
  }
  for (const list of rows.values()) list.sort((a, b) => cols.step[a]! - cols.step[b]!);
  episodeRows.set(cols, { length: cols.length, rows });
  return rows;
}

const moveOf = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : NaN);

/** Per episode (ascending id) of a run: the conditioned agent's defection rate; null without a `move` column. */
function defectionPerEpisode(cols: BehaviourColumns): number[] | null {
  const move = cols.agents.agent?.move;
  if (!move) return null;
  const byEp = rowsByEpisode(cols);
  return [...byEp.keys()].sort((a, b) => a - b).map((e) => {
    const rows = byEp.get(e)!;
    return rows.reduce((s, r) => s + moveOf(move[r]), 0) / rows.length;
  });
}

export function experimentsRoute(router: Router, wb: Workbench): void {
  router.get('/api/experiments', (_req, res) => {
    const body: ExperimentsResponse = {
      experiments: wb.paths.experimentNames().map((name) => {
        try {
          const r = loadExperiment(wb, name);
          return { name, hasReport: true, createdAt: r.createdAt || null, conditions: r.conditions.length };
        } catch (err) {
          if (!(err instanceof ThoughtlensError)) throw err;
          const missing = err.code === 'TL_NOT_FOUND';
          return { name, hasReport: !missing, createdAt: null, conditions: 0, ...(missing ? {} : { error: err.message }) };
        }
      }),
    };
    res.json(body);
  });

  router.get('/api/experiments/:name', (req, res) => {
    const name = param(req, 'name');
    const report = loadExperiment(wb, name);
    const runs = conditionRuns(wb, name, report);
    const body: ExperimentView = {
      ...report,
      conditions: report.conditions.map((c) => {
        const rs = runs.get(c.condition) ?? [];
        let defection: number[] | null = null;
        for (const r of rs) {
          const d = defectionPerEpisode(wb.behaviour.get(r.dir));
          if (d) (defection ??= []).push(...d);
        }
        return { ...c, runs: rs.map((r) => ({ id: r.id, seed: r.seed })), defectionByEpisode: defection };
      }),
    };
    res.json(body);
  });

  router.get('/api/experiments/:name/latents/:n', async (req, res) => {
    const name = param(req, 'name');
    const raw = param(req, 'n');
    if (!/^\d{1,9}$/.test(raw)) throw new BadRequestError(`latent must be a non-negative integer, got '${raw.slice(0, 40)}'`);
    const j = Number(raw);
    const report = loadExperiment(wb, name);
    const stats = await experimentLatentStats(wb, name, report);
    const m = stats.latents;
    if (j >= m) throw new BadRequestError(`experiment '${name}' has a dictionary of ${m} latents (0..${m - 1}); there is no latent ${j}`);
    const body: ConditionLatentView = {
      experiment: name,
      latent: j,
      latents: m,
      heldOut: stats.holdoutEvery >= 2 ? `episode id ≡ ${stats.holdoutEvery - 1} (mod ${stats.holdoutEvery})` : 'all episodes',
      conditions: stats.conditions.map((c) => {
        const values = c.episodes.map((_, e) => c.mean[e * m + j]!);
        const rates = c.episodes.map((_, e) => c.rate[e * m + j]!);
        const order = values.map((_, i) => i).sort((a, b) => values[b]! - values[a]! || a - b);
        const picks = [...order.slice(0, 3), ...(order.length > 3 ? [order[order.length - 1]!] : [])];
        const examples = picks.map((i): ConditionEpisode => {
          const ep = c.episodes[i]!;
          const run = c.runs.find((r) => r.id === ep.run)!;
          const cols = wb.behaviour.get(run.dir);
          const rows = rowsByEpisode(cols).get(ep.episode) ?? [];
          const agent = cols.agents.agent ?? {};
          const unprimed = cols.agents.unprimed ?? {};
          const co = rows.length ? agent.co_player?.[rows[0]!] : null;
          return {
            run: ep.run,
            seed: ep.seed,
            episode: ep.episode,
            value: values[i]!,
            coPlayer: typeof co === 'number' ? co : null,
            moves: rows.map((r) => moveOf(agent.move?.[r])),
            unprimed: rows.map((r) => moveOf(unprimed.move?.[r])),
            from: rows.length ? Math.min(...rows) : 0,
            to: rows.length ? Math.max(...rows) + 1 : 0,
          };
        });
        return { condition: c.condition, values, rates, mean: values.length ? values.reduce((a, b) => a + b, 0) / values.length : null, examples };
      }),
    };
    res.json(body);
  });
}
