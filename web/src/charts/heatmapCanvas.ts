// The latent heatmap on a canvas: rows = latents in band order, columns = time. Binned
// images (one column per bin, one pixel row per latent) are built once per fetch into an
// offscreen canvas and then only scaled/translated while panning and zooming, so a frame
// costs two drawImage calls however long the run is.
import { interpolateMagma, rgb } from 'd3';
import type { HeatmapHeader } from '../../../server/protocol.js';
import type { BandLayout } from './bandLayout.js';

const LUT = (() => {
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const c = rgb(interpolateMagma(1 - 0.92 * (i / 255)));
    lut[i * 3] = c.r;
    lut[i * 3 + 1] = c.g;
    lut[i * 3 + 2] = c.b;
  }
  return lut;
})();

export interface HeatImage {
  from: number;
  to: number;
  canvas: HTMLCanvasElement;
}

/** Quantised value (0..255 of the latent's maximum) → LUT index (square-root scale). */
const LEVEL = Uint8Array.from({ length: 256 }, (_, v) => (v === 0 ? 0 : Math.min(255, Math.max(24, Math.round(Math.sqrt(v / 255) * 255)))));

/** Builds the image of one binned fetch (u8: already scaled per latent by its maximum). */
export function heatImage(header: HeatmapHeader, data: Uint8Array, layout: BandLayout): HeatImage {
  const { bins, numLatents } = header;
  const canvas = document.createElement('canvas');
  canvas.width = bins;
  canvas.height = numLatents;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(bins, numLatents);
  const px = img.data;
  for (let p = 0; p < numLatents; p++) {
    const j = layout.order[p]!;
    const src = j * bins;
    let at = p * bins * 4;
    for (let b = 0; b < bins; b++, at += 4) {
      const v = data[src + b]!;
      if (v === 0) {
        px[at] = 255;
        px[at + 1] = 255;
        px[at + 2] = 255;
      } else {
        const s = LEVEL[v]!;
        px[at] = LUT[s * 3]!;
        px[at + 1] = LUT[s * 3 + 1]!;
        px[at + 2] = LUT[s * 3 + 2]!;
      }
      px[at + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
  return { from: header.from, to: header.to, canvas };
}

/** Draws the overview and the detail image for the visible row domain [d0, d1). */
export function drawHeatmap(ctx: CanvasRenderingContext2D, width: number, height: number, d0: number, d1: number, images: (HeatImage | null)[]): void {
  ctx.imageSmoothingEnabled = false;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  const k = width / Math.max(1e-9, d1 - d0);
  for (const im of images) {
    if (!im || im.to <= d0 || im.from >= d1) continue;
    // Draw only the part of the image inside the view (keeps drawImage cheap when zoomed in).
    const perBin = (im.to - im.from) / im.canvas.width;
    const b0 = Math.max(0, Math.floor((d0 - im.from) / perBin));
    const b1 = Math.min(im.canvas.width, Math.ceil((d1 - im.from) / perBin));
    if (b1 <= b0) continue;
    const x0 = (im.from + b0 * perBin - d0) * k;
    const x1 = (im.from + b1 * perBin - d0) * k;
    ctx.drawImage(im.canvas, b0, 0, b1 - b0, im.canvas.height, x0, 0, Math.max(1, x1 - x0), height);
  }
}
