// GET /api/runs/:id: manifest, agents with their columns, and the run's summary.
import type { Router } from 'express';
import { describeRun, readManifest } from '../../data/index.js';
import { param } from '../httpHelpers.js';
import type { RunDetail } from '../protocol.js';
import type { Workbench } from '../workbench.js';
import { runSummary } from './runsList.js';

export function runDetailRoute(router: Router, wb: Workbench): void {
  router.get('/api/runs/:id', (req, res) => {
    const dir = wb.paths.runDir(param(req, 'id'));
    const m = readManifest(dir);
    const body: RunDetail = {
      ...runSummary(wb, describeRun(dir, m.id)),
      id: param(req, 'id'),
      source: m.source,
      agentSpecs: m.agents.map((a) => ({ id: a.id, hiddenSize: a.hiddenSize, model: a.model, layer: a.layer, columns: a.columns })),
      notes: m.notes ?? [],
      truth: m.truth ?? [],
    };
    res.json(body);
  });
}
