// GET /api/compare?a=<checkpoint>&b=<checkpoint>: two dictionaries side by side: latents
// matched by decoder cosine similarity, which latents moved between shared and private,
// and the conflict statistics of the reports each checkpoint produced.
import type { Router } from 'express';
import { listRuns } from '../../data/index.js';
import { countClasses } from '../checkpointReader.js';
import { BadRequestError } from '../errors.js';
import { matchLatents } from '../latentMatching.js';
import type { CompareResponse, ConflictStats } from '../protocol.js';
import type { Workbench } from '../workbench.js';
import { loadReports } from './reports.js';
import { basename } from 'node:path';

export function compareRoute(router: Router, wb: Workbench): void {
  const cache = new Map<string, CompareResponse>();
  router.get('/api/compare', (req, res) => {
    const a = req.query.a;
    const b = req.query.b;
    if (typeof a !== 'string' || typeof b !== 'string') throw new BadRequestError(`give two checkpoints: /api/compare?a=<name>&b=<name>`);
    const ca = wb.checkpoint(a);
    const cb = wb.checkpoint(b);
    const key = `${a}\u0000${b}\u0000${ca.createdAt}\u0000${cb.createdAt}`;
    let body = cache.get(key);
    if (!body) {
      const matches = matchLatents(ca, cb).map((m) => ({ ...m, classA: ca.classes[m.a] ?? 'unknown', classB: cb.classes[m.b] ?? 'unknown' }));
      const transitions: Record<string, Record<string, number>> = {};
      for (const m of matches) {
        const row = (transitions[m.classA] ??= {});
        row[m.classB] = (row[m.classB] ?? 0) + 1;
      }
      body = {
        a,
        b,
        matches,
        transitions,
        countsA: countClasses(ca.classes),
        countsB: countClasses(cb.classes),
        meanCosine: matches.length ? matches.reduce((s, m) => s + m.cosine, 0) / matches.length : NaN,
        conflicts: { a: conflictStats(wb, a), b: conflictStats(wb, b) },
      };
      cache.set(key, body);
    } else {
      body = { ...body, conflicts: { a: conflictStats(wb, a), b: conflictStats(wb, b) } };
    }
    res.json({ ...body, meanCosine: Number.isFinite(body.meanCosine) ? body.meanCosine : null });
  });
}

function conflictStats(wb: Workbench, checkpoint: string): ConflictStats {
  const s: ConflictStats = { reports: 0, flags: 0, steps: 0, flagsPer1000: 0, metrics: {} };
  for (const run of listRuns(wb.config.workspace)) {
    const id = basename(run.dir);
    let reports;
    try {
      reports = loadReports(wb, id);
    } catch {
      continue;
    }
    for (const r of reports) {
      if (r.checkpoint !== checkpoint && !(r.checkpoint && basename(r.checkpoint) === checkpoint)) continue;
      s.reports++;
      s.flags += r.flags.length;
      s.steps += run.agents.length ? Math.min(...run.agents.map((x) => x.rows)) : 0;
      if (r.metrics && Object.keys(s.metrics).length === 0) s.metrics = r.metrics;
    }
  }
  s.flagsPer1000 = s.steps ? (1000 * s.flags) / s.steps : 0;
  return s;
}
