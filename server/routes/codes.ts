// Latent codes of a run:
//   GET /api/runs/:id/codes                 → names
//   GET /api/runs/:id/codes/:name           → CodesInfo (classes, per-latent max and activity)
//   GET /api/runs/:id/codes/:name/rows?from=&to= → sparse rows (CSR JSON, or the Arrow columns)
import type { Router } from 'express';
import { Field, Float32, Int32, List, makeData, makeVector, Table } from 'apache-arrow';
import { param, rowRange, sendArrow, wantsArrow } from '../httpHelpers.js';
import type { CodesInfo, CodesRangeResponse } from '../protocol.js';
import type { CodesData } from '../codesCache.js';
import type { Workbench } from '../workbench.js';
import { refOfPath } from '../checkpointRefs.js';

export function loadCodes(wb: Workbench, runId: string, name: string): CodesData {
  wb.paths.runDir(runId);
  const f = wb.paths.codesFiles(runId, name);
  return wb.codes.get(f.arrows, f.json);
}

export function codesRoute(router: Router, wb: Workbench): void {
  router.get('/api/runs/:id/codes', (req, res) => {
    const id = param(req, 'id');
    wb.paths.runDir(id);
    res.json({ codes: wb.paths.codesNames(id) });
  });

  router.get('/api/runs/:id/codes/:name', (req, res) => {
    const c = loadCodes(wb, param(req, 'id'), param(req, 'name'));
    const body: CodesInfo = {
      name: param(req, 'name'),
      checkpoint: (c.checkpointPath && refOfPath(wb.paths, c.checkpointPath)) || c.checkpoint,
      numLatents: c.numLatents,
      classes: c.classes,
      agents: c.agents,
      rows: c.rows,
      latentMax: Array.from(c.latentMax),
      activeFraction: Array.from(c.activeCount, (n) => (c.rows ? n / c.rows : 0)),
    };
    res.json(body);
  });

  router.get('/api/runs/:id/codes/:name/rows', (req, res) => {
    const c = loadCodes(wb, param(req, 'id'), param(req, 'name'));
    const { from, to } = rowRange(req, c.rows, 50_000);
    const k0 = c.rowPtr[from]!;
    const k1 = c.rowPtr[to]!;
    const rowPtr = Int32Array.from(c.rowPtr.subarray(from, to + 1), (v) => v - k0);
    if (wantsArrow(req)) {
      const list = (child: Float32 | Int32, values: Int32Array | Float32Array) =>
        makeVector(
          makeData({
            type: new List(new Field('item', child, false)),
            length: to - from,
            nullCount: 0,
            valueOffsets: rowPtr,
            child: makeData({ type: child as Int32, length: k1 - k0, nullCount: 0, data: values.subarray(k0, k1) as Int32Array }),
          }),
        );
      sendArrow(
        res,
        new Table({
          episode: makeVector(c.episode.subarray(from, to)),
          step: makeVector(c.step.subarray(from, to)),
          indices: list(new Int32(), c.indices),
          values: list(new Float32(), c.values),
        }),
      );
      return;
    }
    const body: CodesRangeResponse = {
      name: param(req, 'name'),
      from,
      to,
      total: c.rows,
      rowPtr: Array.from(rowPtr),
      indices: Array.from(c.indices.subarray(k0, k1)),
      values: Array.from(c.values.subarray(k0, k1)),
    };
    res.json(body);
  });
}
