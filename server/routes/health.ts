// GET /api/health: liveness and what this server serves.
import type { Router } from 'express';
import type { Workbench } from '../workbench.js';

export function healthRoute(router: Router, wb: Workbench): void {
  router.get('/api/health', (_req, res) => {
    res.json({ ok: true, auth: wb.config.token !== null, web: wb.config.webRoot !== null });
  });
}
