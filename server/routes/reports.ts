// Conflict reports of a run:
//   GET /api/runs/:id/reports                        → names, files, flag counts
//   GET /api/runs/:id/reports/:report                → ReportView (flags on the time axis)
//   GET /api/runs/:id/reports/:report/files/:file    → the file itself, as a download
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Router } from 'express';
import { ThoughtlensError } from '../../data/index.js';
import { param } from '../httpHelpers.js';
import type { ReportView, ReportsResponse } from '../protocol.js';
import { readReport } from '../reportReader.js';
import type { Workbench } from '../workbench.js';

const TYPES: Record<string, string> = {
  'report.json': 'application/json; charset=utf-8',
  'flags.csv': 'text/csv; charset=utf-8',
  'report.md': 'text/markdown; charset=utf-8',
  'report.html': 'text/html; charset=utf-8',
};

const cache = new Map<string, { key: string; view: ReportView }>();

export function loadReport(wb: Workbench, runId: string, report: string): ReportView {
  const dir = wb.paths.runDir(runId);
  const file = wb.paths.reportFile(runId, report, 'report.json');
  const rows = wb.behaviour.get(dir);
  const st = statSync(file);
  const files = wb.paths.reportFiles(runId, report);
  // Flags are mapped onto rows of the run: a run that grew may map more of them.
  const key = `${st.size}:${st.mtimeMs}:${rows.length}:${files.join(',')}`;
  const hit = cache.get(file);
  if (hit && hit.key === key) return hit.view;
  const view = readReport(file, report, runId, rows, files);
  if (cache.size > 64) cache.clear();
  cache.set(file, { key, view });
  return view;
}

/** Every readable report of a run (unreadable ones are skipped). */
export function loadReports(wb: Workbench, runId: string): ReportView[] {
  const out: ReportView[] = [];
  for (const name of wb.paths.reportNames(runId)) {
    try {
      out.push(loadReport(wb, runId, name));
    } catch (err) {
      if (!(err instanceof ThoughtlensError)) throw err;
    }
  }
  return out;
}

export function reportsRoute(router: Router, wb: Workbench): void {
  router.get('/api/runs/:id/reports', (req, res) => {
    const id = param(req, 'id');
    wb.paths.runDir(id);
    const body: ReportsResponse = {
      reports: wb.paths.reportNames(id).map((name) => {
        let flags = 0;
        let checkpoint: string | undefined;
        try {
          const r = loadReport(wb, id, name);
          flags = r.flags.length;
          checkpoint = r.checkpoint;
        } catch (err) {
          if (!(err instanceof ThoughtlensError)) throw err;
        }
        return { name, files: wb.paths.reportFiles(id, name), flags, checkpoint };
      }),
    };
    res.json(body);
  });

  router.get('/api/runs/:id/reports/:report', (req, res) => {
    res.json(loadReport(wb, param(req, 'id'), param(req, 'report')));
  });

  router.get('/api/runs/:id/reports/:report/files/:file', (req, res) => {
    const id = param(req, 'id');
    wb.paths.runDir(id);
    const file = wb.paths.reportFile(id, param(req, 'report'), param(req, 'file'));
    const name = `${id}-${param(req, 'report')}-${basename(file)}`;
    res.setHeader('Content-Type', TYPES[basename(file)] ?? 'application/octet-stream');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // HTML reports are downloaded, never rendered in the workbench's origin.
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    res.sendFile(file);
  });
}
