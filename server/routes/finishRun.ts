// POST /api/runs/:id/finish: closes a run created over HTTP ({"status": "complete"} by
// default, or {"status": "aborted", "reason": "..."}); the manifest then says so.
import type { Router } from 'express';
import { BadRequestError, ConflictError } from '../errors.js';
import { param } from '../httpHelpers.js';
import type { FinishResponse } from '../protocol.js';
import type { Workbench } from '../workbench.js';
import { WorkspacePaths } from '../workspacePaths.js';

export function finishRunRoute(router: Router, wb: Workbench): void {
  router.post('/api/runs/:id/finish', (req, res) => {
    const id = WorkspacePaths.checkName('run id', param(req, 'id'));
    const session = wb.ingesting.get(id);
    if (!session) {
      wb.paths.runDir(id);
      throw new ConflictError(`run '${id}' is not open for ingestion here (already finished, or not created through this server)`);
    }
    if (session.busy.size > 0) throw new ConflictError(`run '${id}' still receives steps for ${[...session.busy].join(', ')}; finish after those requests end`);
    const b = (req.body ?? {}) as { status?: unknown; reason?: unknown };
    const status = b.status ?? 'complete';
    if (status !== 'complete' && status !== 'aborted') throw new BadRequestError(`status must be "complete" or "aborted", got ${JSON.stringify(status)}`);
    if (session.timer) clearTimeout(session.timer);
    if (status === 'aborted') session.writer.abort(typeof b.reason === 'string' ? b.reason.slice(0, 500) : 'aborted by the client');
    else session.writer.close();
    wb.ingesting.delete(id);
    const rows = Object.values(session.writer.manifest.counts).map((c) => c.rows);
    wb.events.emit({ type: 'run', run: id, rows: rows.length ? Math.min(...rows) : 0, status });
    const body: FinishResponse = { run: id, status, counts: session.writer.manifest.counts };
    res.json(body);
  });
}
