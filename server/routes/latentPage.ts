// GET /runs/:id/latents/:latent: a latent's own page address. The web app routes with the
// URL hash, so this answers with a redirect to the run view with that latent's panel open
// (#/runs/<id>/latents/<n>), keeping the page query (?token=, ?static=1).
import type { Router } from 'express';
import { BadRequestError } from '../errors.js';
import { param } from '../httpHelpers.js';
import { WorkspacePaths } from '../workspacePaths.js';
import type { Workbench } from '../workbench.js';

export function latentPageRoute(router: Router, wb: Workbench): void {
  router.get('/runs/:id/latents/:latent', (req, res) => {
    const id = WorkspacePaths.checkName('run id', param(req, 'id'));
    wb.paths.runDir(id);
    const raw = param(req, 'latent');
    if (!/^\d{1,9}$/.test(raw)) throw new BadRequestError(`latent must be a non-negative integer, got '${raw.slice(0, 20)}'`);
    const q = new URLSearchParams();
    for (const k of ['token', 'static']) if (typeof req.query[k] === 'string') q.set(k, req.query[k] as string);
    const codes = typeof req.query.codes === 'string' ? `?codes=${encodeURIComponent(req.query.codes)}` : '';
    res.redirect(302, `/${q.size ? `?${q}` : ''}#/runs/${encodeURIComponent(id)}/latents/${raw}${codes}`);
  });
}
