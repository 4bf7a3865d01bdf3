// A hand-built dictionary for tests: a 2-d agent A with the given encoder (input i, latent j,
// row-major 2 × m) and decoder (m × 2), and an empty 1-d agent B (zero weights, zero state).
import { resolveSaeConfig } from '../../sae/index.js';
import type { SaeModel } from '../../sae/checkpoint/checkpoint.js';

export function handModel(encA: number[], decA: number[], latents: number, k: number): SaeModel {
  const cfg = resolveSaeConfig({
    agents: [
      { id: 'A', dim: 2 },
      { id: 'B', dim: 1 },
    ],
    latents,
    k,
    seed: 1,
  });
  return {
    cfg,
    params: {
      'enc.A.W': { data: Float32Array.from(encA), shape: [2, latents] },
      'enc.b': { data: new Float32Array(latents), shape: [latents] },
      'dec.A.W': { data: Float32Array.from(decA), shape: [latents, 2] },
      'dec.A.b': { data: new Float32Array(2), shape: [2] },
      'enc.B.W': { data: new Float32Array(latents), shape: [1, latents] },
      'dec.B.W': { data: new Float32Array(latents), shape: [latents, 1] },
      'dec.B.b': { data: new Float32Array(1), shape: [1] },
    },
    norms: [
      { mean: new Float32Array(2), scale: 1 },
      { mean: new Float32Array(1), scale: 1 },
    ],
    threshold: NaN,
    meta: {} as SaeModel['meta'],
  };
}
