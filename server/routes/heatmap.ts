// GET /api/runs/:id/codes/:name/heatmap?from=&to=&bins=: the latent heatmap of a row
// range downsampled to `bins` columns (max per bin), as numLatents × bins Float32 bytes
// (latent-major, little-endian); HeatmapHeader as JSON in the X-Heatmap header. With
// ?format=u8 each value is instead one byte, the bin maximum scaled by the latent's largest
// activation (0 = inactive, 1..255), a quarter of the bytes. The web view asks for about one
// bin per pixel column, so 100k steps never travel whole.
import type { Router } from 'express';
import { binCodes, type CodesData } from '../codesCache.js';
import { intParam, param, rowRange } from '../httpHelpers.js';
import type { HeatmapHeader } from '../protocol.js';
import type { Workbench } from '../workbench.js';
import { loadCodes } from './codes.js';

/** Bin maxima scaled per latent to 1..255 (0 stays 0: inactive). */
export function quantise(data: Float32Array, latentMax: Float32Array, bins: number): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let j = 0; j < latentMax.length; j++) {
    const inv = latentMax[j]! > 0 ? 255 / latentMax[j]! : 0;
    for (let b = j * bins; b < (j + 1) * bins; b++) {
      const v = data[b]!;
      if (v > 0) out[b] = Math.max(1, Math.min(255, Math.round(v * inv)));
    }
  }
  return out;
}

export function heatmapRoute(router: Router, wb: Workbench): void {
  // The last heatmap of each codes object (reloads and live re-renders ask for it again).
  const cache = new WeakMap<CodesData, { key: string; bytes: Uint8Array }>();
  router.get('/api/runs/:id/codes/:name/heatmap', (req, res) => {
    const c = loadCodes(wb, param(req, 'id'), param(req, 'name'));
    const { from, to } = rowRange(req, c.rows, Number.MAX_SAFE_INTEGER);
    const bins = Math.max(1, Math.min(intParam(req, 'bins', 1000, 1, 8192), to - from || 1));
    const format = req.query.format === 'u8' ? 'u8' : 'f32';
    const key = `${from}:${to}:${bins}:${format}`;
    let hit = cache.get(c);
    if (!hit || hit.key !== key) {
      const data = binCodes(c, from, to, bins);
      hit = { key, bytes: format === 'u8' ? quantise(data, c.latentMax, bins) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
      cache.set(c, hit);
    }
    const header: HeatmapHeader = { from, to, bins, numLatents: c.numLatents, total: c.rows, format };
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('X-Heatmap', JSON.stringify(header));
    res.end(Buffer.from(hit.bytes.buffer, hit.bytes.byteOffset, hit.bytes.byteLength));
  });
}
