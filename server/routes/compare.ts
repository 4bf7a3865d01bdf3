// GET /api/compare?a=<checkpoint>&b=<checkpoint>[&reportA=<run>/<report>&reportB=…]: two
// dictionaries side by side: latents matched by decoder cosine similarity (the counts may
// differ), which latents moved between classes, class counts from each split.json, and the
// conflict numbers of one report made with each checkpoint (the one asked for, else the newest).
import type { Router } from 'express';
import { matchLatents } from '../../sae/index.js';
import { conflictStatsOf, listReportRefs, type ReportRef } from '../conflictStats.js';
import { BadRequestError } from '../errors.js';
import type { CompareResponse, ConflictStats } from '../protocol.js';
import type { Workbench } from '../workbench.js';

type Body = Omit<CompareResponse, 'conflicts' | 'reports'>;

export function compareRoute(router: Router, wb: Workbench): void {
  const cache = new Map<string, Body>();
  router.get('/api/compare', (req, res) => {
    const { a, b, reportA, reportB } = req.query;
    if (typeof a !== 'string' || typeof b !== 'string') throw new BadRequestError(`give two checkpoints: /api/compare?a=<name>&b=<name>`);
    for (const r of [reportA, reportB]) if (r !== undefined && typeof r !== 'string') throw new BadRequestError(`reportA / reportB must be '<run>/<report>'`);
    const ca = wb.checkpoint(a);
    const cb = wb.checkpoint(b);
    const key = `${a}\u0000${b}\u0000${ca.createdAt}\u0000${cb.createdAt}`;
    let body = cache.get(key);
    if (!body) {
      const matches = matchLatents(ca, cb).map((m) => ({ ...m, classA: ca.classes[m.a]!, classB: cb.classes[m.b]! }));
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
        countsA: ca.counts,
        countsB: cb.counts,
        numLatentsA: ca.numLatents,
        numLatentsB: cb.numLatents,
        meanCosine: matches.length ? matches.reduce((s, m) => s + m.cosine, 0) / matches.length : NaN,
      };
      if (cache.size > 32) cache.clear();
      cache.set(key, body);
    }
    const reports = listReportRefs(wb.paths);
    const pick = (ck: string, want: string | undefined) => {
      const made = reports.filter((r) => r.checkpoint === ck);
      if (want !== undefined && want !== '' && !made.some((r) => r.id === want)) throw new BadRequestError(`report '${want.slice(0, 80)}' was not made with checkpoint '${ck.slice(0, 80)}'`);
      const chosen = want ? made.find((r) => r.id === want)! : made[0];
      return { ids: made.map((r) => r.id), stats: chosen ? statsOf(wb, chosen) : null };
    };
    const pa = pick(a, reportA as string | undefined);
    const pb = pick(b, reportB as string | undefined);
    const out: CompareResponse = { ...body, conflicts: { a: pa.stats, b: pb.stats }, reports: { a: pa.ids, b: pb.ids } };
    res.json({ ...out, meanCosine: Number.isFinite(out.meanCosine) ? out.meanCosine : null });
  });
}

function statsOf(wb: Workbench, r: ReportRef): ConflictStats {
  let rows = 0;
  try {
    rows = wb.behaviour.get(wb.paths.runDir(r.run)).length;
  } catch {
    rows = 0;
  }
  return conflictStatsOf(r, rows);
}
