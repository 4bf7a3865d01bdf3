// Dictionary checkpoints: GET /api/checkpoints (summaries) and GET /api/checkpoints/:name
// (classes, decoder norms per agent, relative-norm per latent, cfg and metrics).
import type { Router } from 'express';
import { ThoughtlensError } from '../../data/index.js';
import { param } from '../httpHelpers.js';
import type { CheckpointDetail, CheckpointsResponse } from '../protocol.js';
import type { Workbench } from '../workbench.js';

export function checkpointsRoute(router: Router, wb: Workbench): void {
  router.get('/api/checkpoints', (_req, res) => {
    const body: CheckpointsResponse = {
      checkpoints: wb.paths.checkpointNames().map((name) => {
        try {
          const c = wb.checkpoint(name);
          return { name, numLatents: c.numLatents, agents: c.agents, counts: c.counts, createdAt: c.createdAt };
        } catch (err) {
          if (!(err instanceof ThoughtlensError)) throw err;
          return { name, agents: [], counts: {}, error: err.message };
        }
      }),
    };
    res.json(body);
  });

  router.get('/api/checkpoints/:name', (req, res) => {
    const { decoders: _d, ...detail } = wb.checkpoint(param(req, 'name'));
    const body: CheckpointDetail = { ...detail, relativeNorm: detail.relativeNorm.map((v) => (Number.isFinite(v) ? v : -1)) };
    res.json(body);
  });
}
