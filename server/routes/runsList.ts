// GET /api/runs: every run of the workspace with status, live mark, sizes, codes and reports.
import { basename } from 'node:path';
import type { Router } from 'express';
import { ID_PATTERN, listRuns, type RunEntry } from '../../data/index.js';
import { runHealth } from '../runHealth.js';
import type { RunSummary, RunsResponse } from '../protocol.js';
import type { Workbench } from '../workbench.js';
import { loadReports } from './reports.js';

export function runSummary(wb: Workbench, e: RunEntry): RunSummary {
  const id = basename(e.dir);
  const safe = (f: () => string[]) => {
    try {
      return f();
    } catch {
      return [];
    }
  };
  // Health from the data: a stream that is not Arrow or breaks off in garbage makes the run
  // corrupt, whatever its manifest says (runHealth.ts).
  const corrupt = e.status === 'unreadable' ? null : runHealth(wb).reason(e.dir);
  const status: RunSummary['status'] = corrupt ? 'corrupt' : e.status;
  const error = corrupt ?? e.error;
  return {
    id,
    status,
    live: status === 'recording',
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    sourceKind: e.source?.kind,
    agents: e.agents,
    steps: e.agents.length ? Math.min(...e.agents.map((a) => a.rows)) : 0,
    bytes: e.bytes,
    codes: safe(() => wb.paths.codesNames(id)),
    reports: safe(() => wb.paths.reportNames(id)),
    ...(error ? { error } : {}),
  };
}

const warming = new WeakSet<Workbench>();

export function prewarm(wb: Workbench, ids: string[]): void {
  if (warming.has(wb) || ids.length === 0) return;
  warming.add(wb);
  const queue = [...ids];
  const next = () => {
    const id = queue.shift();
    if (id === undefined) {
      warming.delete(wb);
      return;
    }
    try {
      wb.behaviour.get(wb.paths.runDir(id));
      for (const name of wb.paths.codesNames(id)) {
        const f = wb.paths.codesFiles(id, name);
        wb.codes.get(f.arrows, f.json);
      }
      loadReports(wb, id);
    } catch {
      // a broken run is reported when it is opened
    }
    setImmediate(next);
  };
  setImmediate(next);
}

export function runsListRoute(router: Router, wb: Workbench): void {
  router.get('/api/runs', (_req, res) => {
    // Links that lead nowhere or out of the workspace come back as unreadable entries
    // (listRuns); only names the server could never address are left out.
    const runs = listRuns(wb.config.workspace)
      .filter((e) => ID_PATTERN.test(basename(e.dir)))
      .map((e) => runSummary(wb, e));
    const body: RunsResponse = { workspace: basename(wb.config.workspace), runs };
    res.json(body);
    // While the person looks at the list, read the newest runs into the caches so the run
    // they open next renders from memory.
    prewarm(wb, runs.slice(0, 3).map((r) => r.id));
  });
}

