// POST /api/runs: creates a run for an external recorder from a manifest-like JSON
// ({id?, source?, agents:[{id, hiddenSize, columns?}]}). Steps then arrive per agent as
// Arrow IPC streams (appendSteps.ts) and POST /api/runs/:id/finish closes the run.
import { existsSync, mkdirSync } from 'node:fs';
import type { Router } from 'express';
import { createRun, runDirFor, RUNS_DIR, type AgentSpec } from '../../data/index.js';
import { BadRequestError, ConflictError } from '../errors.js';
import type { CreateRunRequest, CreateRunResponse } from '../protocol.js';
import type { Workbench } from '../workbench.js';
import { WorkspacePaths } from '../workspacePaths.js';

export function createRunRoute(router: Router, wb: Workbench): void {
  router.post('/api/runs', (req, res) => {
    const body = req.body as CreateRunRequest | undefined;
    if (!body || typeof body !== 'object' || !Array.isArray(body.agents)) {
      throw new BadRequestError(`send JSON {"id": "...", "agents": [{"id": "A", "hiddenSize": 64, "columns": [...]}]} with Content-Type: application/json`);
    }
    const id = body.id ?? `external-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    WorkspacePaths.checkName('run id', id);
    mkdirSync(`${wb.config.workspace}/${RUNS_DIR}`, { recursive: true });
    wb.paths.inside(RUNS_DIR); // the runs folder itself must not lead outside
    const dir = runDirFor(wb.config.workspace, id);
    if (existsSync(dir)) throw new ConflictError(`a run '${id}' already exists; choose another id`);
    const agents = body.agents.map((a) => (a && typeof a === 'object' ? { ...a, columns: a.columns ?? [] } : a)) as AgentSpec[];
    const source = { kind: typeof body.source?.kind === 'string' ? body.source.kind : 'external', ...(body.source?.params ? { params: body.source.params } : {}) };
    const writer = createRun(dir, { id, source, agents, flushIntervalMs: 0 });
    wb.ingesting.set(id, { writer, busy: new Set(), lastFlush: 0, timer: null });
    wb.events.emit({ type: 'runs', runs: [id] });
    const out: CreateRunResponse = {
      id,
      stepsUrl: Object.fromEntries(agents.map((a) => [a.id, `/api/runs/${id}/agents/${a.id}/steps`])),
      finishUrl: `/api/runs/${id}/finish`,
    };
    res.status(201).json(out);
  });
}
