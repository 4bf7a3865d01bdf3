// GET /api/runs/:id/codes/:name/heatmap?from=&to=&bins=: the latent heatmap of a row
// range downsampled to `bins` columns (max per bin), as numLatents × bins Float32 bytes
// (latent-major, little-endian); HeatmapHeader as JSON in the X-Heatmap header. The web
// view asks for about one bin per pixel column, so 100k steps never travel whole.
import type { Router } from 'express';
import { binCodes } from '../codesCache.js';
import { intParam, param, rowRange } from '../httpHelpers.js';
import type { HeatmapHeader } from '../protocol.js';
import type { Workbench } from '../workbench.js';
import { loadCodes } from './codes.js';

export function heatmapRoute(router: Router, wb: Workbench): void {
  router.get('/api/runs/:id/codes/:name/heatmap', (req, res) => {
    const c = loadCodes(wb, param(req, 'id'), param(req, 'name'));
    const { from, to } = rowRange(req, c.rows, Number.MAX_SAFE_INTEGER);
    const bins = Math.max(1, Math.min(intParam(req, 'bins', 1000, 1, 8192), to - from || 1));
    const data = binCodes(c, from, to, bins);
    const header: HeatmapHeader = { from, to, bins, numLatents: c.numLatents, total: c.rows };
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('X-Heatmap', JSON.stringify(header));
    res.setHeader('Access-Control-Expose-Headers', 'X-Heatmap');
    res.end(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  });
}
