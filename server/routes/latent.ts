// GET /api/runs/:id/codes/:name/latents/:latent: one latent's detail: activation
// histogram, top-activating steps with both agents' behaviour around them, decoder norms
// per agent (from the checkpoint the codes came from), and the flags it drove.
import type { Router } from 'express';
import { BadRequestError } from '../errors.js';
import { intParam, param } from '../httpHelpers.js';
import type { LatentDetail } from '../protocol.js';
import type { Workbench } from '../workbench.js';
import { loadCodes } from './codes.js';
import { loadReports } from './reports.js';

export function latentRoute(router: Router, wb: Workbench): void {
  router.get('/api/runs/:id/codes/:name/latents/:latent', (req, res) => {
    const id = param(req, 'id');
    const c = loadCodes(wb, id, param(req, 'name'));
    const raw = param(req, 'latent');
    const j = Number(raw);
    if (!/^\d+$/.test(raw) || j >= c.numLatents) throw new BadRequestError(`latent must be an integer in 0..${c.numLatents - 1}, got '${raw.slice(0, 20)}'`);
    const topN = intParam(req, 'top', 10, 1, 100);
    const hits: { row: number; value: number }[] = [];
    for (let r = 0; r < c.rows; r++) {
      for (let k = c.rowPtr[r]!; k < c.rowPtr[r + 1]!; k++) if (c.indices[k] === j && c.values[k]! !== 0) hits.push({ row: r, value: c.values[k]! });
    }
    const max = hits.reduce((m, h) => Math.max(m, h.value), 0);
    const min = hits.reduce((m, h) => Math.min(m, h.value), max);
    const nb = 30;
    const width = max > min ? (max - min) / nb : 1;
    const histogram = Array.from({ length: nb }, (_, b) => ({ x0: min + b * width, x1: min + (b + 1) * width, count: 0 }));
    for (const h of hits) histogram[Math.min(nb - 1, Math.floor((h.value - min) / width))]!.count++;
    const beh = wb.behaviour.get(wb.paths.runDir(id));
    const top = [...hits].sort((a, b) => b.value - a.value).slice(0, topN);
    const topSteps = top.map((h) => {
      const context: Record<string, Record<string, unknown>> = {};
      for (const [agent, cols] of Object.entries(beh.agents)) {
        context[agent] = Object.fromEntries(
          Object.entries(cols).map(([name, v]) => [name, v.slice(Math.max(0, h.row - 3), h.row + 4)]),
        );
      }
      return { row: h.row, episode: c.episode[h.row]!, step: c.step[h.row]!, value: h.value, context };
    });
    let decoderNorms: Record<string, number> | undefined;
    if (c.checkpoint) {
      try {
        const ck = wb.checkpoint(c.checkpoint);
        decoderNorms = Object.fromEntries(Object.entries(ck.decoderNorms).map(([a, n]) => [a, n[j] ?? NaN]));
      } catch {
        decoderNorms = undefined; // checkpoint not in this workspace
      }
    }
    const flags: LatentDetail['flags'] = [];
    for (const rep of loadReports(wb, id)) {
      for (const f of rep.flags) {
        const a = f.latents.find((l) => l.latent === j);
        if (a) flags.push({ report: rep.name, row: f.row, score: f.score, weight: a.weight });
      }
    }
    const body: LatentDetail = {
      codes: param(req, 'name'),
      latent: j,
      class: c.classes[j] ?? 'unknown',
      activeFraction: c.rows ? hits.length / c.rows : 0,
      max,
      histogram,
      topSteps,
      decoderNorms,
      flags,
    };
    res.json(body);
  });
}
