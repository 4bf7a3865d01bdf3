// Dictionary checkpoints: GET /api/checkpoints (summaries of checkpoints/ and of those the
// runs' codes and reports name anywhere in the workspace) and GET /api/checkpoints/:name
// (:name a name or a workspace-relative path, URL-encoded; classes, decoder norms per agent,
// relative-norm per latent, split evidence, cfg and metrics).
import type { Router } from 'express';
import { ThoughtlensError } from '../../data/index.js';
import { param } from '../httpHelpers.js';
import type { CheckpointDetail, CheckpointsResponse } from '../protocol.js';
import type { Workbench } from '../workbench.js';
import { listCheckpointRefs } from '../checkpointRefs.js';

export function checkpointsRoute(router: Router, wb: Workbench): void {
  router.get('/api/checkpoints', (_req, res) => {
    const body: CheckpointsResponse = {
      checkpoints: listCheckpointRefs(wb.paths).map((name) => {
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
    void _d;
    const body: CheckpointDetail = { ...detail, relativeNorm: detail.relativeNorm.map((v) => (Number.isFinite(v) ? v : -1)) };
    res.json(body);
  });
}
