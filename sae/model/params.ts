// Parameter names, shapes and seeded initialisation of the paired dictionary. All weights
// live in each agent's normalised space (see normalisation.ts); names carry the agent:
//   enc.<A>.W [d_A, m]   enc.b [m]   dec.<A>.W [m, d_A]   dec.<A>.b [d_A]
// and for the MLP decoder of mode 'jacobian':
//   dec.<A>.U [m, h]   dec.<A>.e [h]   dec.<A>.V [h, d_A]   dec.<A>.b [d_A]
import { makeRng } from '../../util/random.js';
import type { NamedTensor } from '../../data/index.js';
import type { ResolvedSaeConfig } from '../config.js';

export type ParamSet = Record<string, NamedTensor>;

export function paramShapes(cfg: ResolvedSaeConfig): Record<string, number[]> {
  const m = cfg.latents;
  const out: Record<string, number[]> = { 'enc.b': [m] };
  for (const { id, dim } of cfg.agents) {
    out[`enc.${id}.W`] = [dim, m];
    out[`dec.${id}.b`] = [dim];
    if (cfg.mode === 'jacobian') {
      out[`dec.${id}.U`] = [m, cfg.hidden];
      out[`dec.${id}.e`] = [cfg.hidden];
      out[`dec.${id}.V`] = [cfg.hidden, dim];
    } else {
      out[`dec.${id}.W`] = [m, dim];
    }
  }
  return out;
}

/** For mode 'partitioned': 1 where latent j may decode into agent a, else 0 (length m). */
export function decoderRowMask(cfg: ResolvedSaeConfig, agentIndex: number): Float32Array | null {
  if (cfg.mode !== 'partitioned') return null;
  const mask = new Float32Array(cfg.latents);
  mask.fill(1, 0, cfg.blocks.shared);
  let at = cfg.blocks.shared;
  cfg.agents.forEach((a, i) => {
    const n = cfg.blocks.private[a.id]!;
    if (i === agentIndex) mask.fill(1, at, at + n);
    at += n;
  });
  return mask;
}

/**
 * Decoder rows are random unit vectors per agent block (so every latent starts relevant to
 * every agent and training decides); encoders start as the decoder's transpose.
 */
export function initParams(cfg: ResolvedSaeConfig): ParamSet {
  const rng = makeRng(cfg.seed);
  const m = cfg.latents;
  const shapes = paramShapes(cfg);
  const p: ParamSet = {};
  for (const [name, shape] of Object.entries(shapes)) p[name] = { data: new Float32Array(shape.reduce((a, b) => a * b, 1)), shape };
  cfg.agents.forEach(({ id, dim }, a) => {
    const mask = decoderRowMask(cfg, a);
    const enc = p[`enc.${id}.W`]!.data as Float32Array;
    if (cfg.mode === 'jacobian') {
      const h = cfg.hidden;
      const U = p[`dec.${id}.U`]!.data as Float32Array;
      const V = p[`dec.${id}.V`]!.data as Float32Array;
      for (let i = 0; i < U.length; i++) U[i] = rng.normal() / Math.sqrt(h);
      for (let i = 0; i < V.length; i++) V[i] = rng.normal() / Math.sqrt(h);
      for (let i = 0; i < enc.length; i++) enc[i] = rng.normal() / Math.sqrt(dim) / cfg.agents.length;
      return;
    }
    const D = p[`dec.${id}.W`]!.data as Float32Array;
    const row = new Float64Array(dim);
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let i = 0; i < dim; i++) s += (row[i] = rng.normal()) ** 2;
      const keep = mask ? mask[j]! : 1;
      const inv = keep / Math.sqrt(s);
      for (let i = 0; i < dim; i++) {
        D[j * dim + i] = row[i]! * inv;
        enc[i * m + j] = (row[i]! * inv) / cfg.agents.length;
      }
    }
  });
  return p;
}

export function cloneParams(p: ParamSet): ParamSet {
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, { data: v.data.slice(), shape: [...v.shape] }]));
}
