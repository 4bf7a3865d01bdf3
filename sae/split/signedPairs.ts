// Signed pairs: a nonnegative dictionary (TopK/ReLU codes) reads a variable that takes both signs
// with two latents, one per side — decoder directions pointing opposite ways, never firing on the
// same row, encoder pre-activations moving against each other. Scored one-to-one against the
// variable each half reaches only |r| ≈ 0.7 and the split counts the variable twice. A pair is
//   decoder      cos(D[j], D[k]) ≤ −signedCosine over the concatenated agent blocks (normalised units)
//   exclusive    rows where both fire ≤ COFIRE × the rows of the rarer one
//   encoder      Pearson r of the pre-activations over the sample ≤ −PRE_CORRELATION
// matched greedily among the latents the split keeps (not rare or dead), most opposite first, each
// latent in at most one pair. The pair's value is the
// signed code z_j‖D[j]‖ − z_k‖D[k]‖ (signedCodes). Models without linear decoders (jacobian) have none.
import * as tf from '@tensorflow/tfjs';
import type { SaeModel } from '../checkpoint/checkpoint.js';
import { preActivationTensor } from '../model/inference.js';
import type { EpisodeSample } from './heldOut.js';

/** At most this share of the rarer latent's rows may have both latents firing. */
export const COFIRE = 0.05;
/** The pre-activations must correlate at r ≤ −this over the sample rows. */
export const PRE_CORRELATION = 0.8;

/**
 * Per agent, per latent: the agent's decoder block D_a[j], from each agent's flat m × d_a decoder
 * (null when one is missing or not linear, as in MLP decoders).
 */
export function decoderBlocks(decoders: (Float32Array | undefined)[], dims: number[], m: number): Float64Array[][] | null {
  if (decoders.some((W, a) => !W || W.length !== m * dims[a]!)) return null;
  return decoders.map((W, a) => {
    const d = dims[a]!;
    return Array.from({ length: m }, (_, j) => Float64Array.from(W!.subarray(j * d, (j + 1) * d)));
  });
}

/** decoderBlocks of a model's agents. */
export function modelDecoderBlocks(model: SaeModel): Float64Array[][] | null {
  return decoderBlocks(
    model.cfg.agents.map((a) => model.params[`dec.${a.id}.W`]?.data as Float32Array | undefined),
    model.cfg.agents.map((a) => a.dim),
    model.cfg.latents,
  );
}

/** Per latent: its concatenated decoder row over all agents (null for MLP decoders). */
export function decoderRows(model: SaeModel): Float64Array[] | null {
  const blocks = modelDecoderBlocks(model);
  if (!blocks) return null;
  const D = blocks.reduce((s, rows) => s + (rows[0]?.length ?? 0), 0);
  return Array.from({ length: model.cfg.latents }, (_, j) => {
    const v = new Float64Array(D);
    let o = 0;
    for (const rows of blocks) {
      v.set(rows[j]!, o);
      o += rows[j]!.length;
    }
    return v;
  });
}

/** Two latents that pass every signed-pair test, and their decoder cosine. */
export interface SignedCandidate {
  j: number;
  k: number;
  cos: number;
}

/**
 * Every pair of latents that passes the three signed-pair tests (matchSignedPairs pairs them). `codes` are
 * the sample's codes (rows × m), `eligible` the latents that may pair (e.g. those firing on at
 * least minActive rows).
 */
export function signedPairCandidates(
  model: SaeModel,
  sample: EpisodeSample,
  codes: Float32Array,
  eligible: (j: number) => boolean,
  signedCosine: number,
): SignedCandidate[] {
  const m = model.cfg.latents;
  const rows = sample.rows;
  if (!(signedCosine < 1)) return [];
  const dec = decoderRows(model);
  if (!dec) return [];
  const js = [...Array(m).keys()].filter(eligible);
  const unit = new Map(js.map((j) => [j, normalise(dec[j]!)]));
  const active = new Map(js.map((j) => [j, countActive(codes, m, rows, j)]));
  const candidates: SignedCandidate[] = [];
  for (let x = 0; x < js.length; x++) {
    for (let y = x + 1; y < js.length; y++) {
      const j = js[x]!;
      const k = js[y]!;
      const c = dot(unit.get(j)!, unit.get(k)!);
      if (c > -signedCosine) continue;
      let both = 0;
      for (let r = 0; r < rows; r++) if (codes[r * m + j]! > 0 && codes[r * m + k]! > 0) both++;
      if (both > COFIRE * Math.min(active.get(j)!, active.get(k)!)) continue;
      candidates.push({ j, k, cos: c });
    }
  }
  if (!candidates.length) return [];
  const pre = preActivationTensor(model, sample.xs, rows);
  const P = pre.dataSync() as Float32Array;
  tf.dispose(pre);
  return candidates.filter(({ j, k }) => columnCorrelation(P, m, rows, j, k) <= -PRE_CORRELATION);
}

/** Greedy matching of the candidates among the latents `keep` admits, most opposite first: per latent its partner or −1. */
export function matchSignedPairs(candidates: SignedCandidate[], m: number, keep: (j: number) => boolean = () => true): Int32Array {
  const partner = new Int32Array(m).fill(-1);
  for (const { j, k } of [...candidates].sort((a, b) => a.cos - b.cos)) {
    if (!keep(j) || !keep(k) || partner[j]! >= 0 || partner[k]! >= 0) continue;
    partner[j] = k;
    partner[k] = j;
  }
  return partner;
}

/**
 * Codes with every signed pair folded into its lower-numbered latent, z_j‖D[j]‖ − z_k‖D[k]‖ (in
 * place of z_j), and the partner's column zeroed. `partner` as from matchSignedPairs.
 */
export function signedCodes(
  codes: Float32Array,
  m: number,
  rows: number,
  partner: ArrayLike<number>,
  decoderNorm: ArrayLike<number>,
): Float32Array {
  const out = Float32Array.from(codes);
  for (let j = 0; j < m; j++) {
    const k = partner[j]!;
    if (!(k > j)) continue;
    for (let r = 0; r < rows; r++) {
      out[r * m + j] = codes[r * m + j]! * decoderNorm[j]! - codes[r * m + k]! * decoderNorm[k]!;
      out[r * m + k] = 0;
    }
  }
  return out;
}

/** Per latent: the norm of its concatenated decoder row (1 where the decoder is not linear). */
export function decoderNorms(model: SaeModel): Float64Array {
  const dec = decoderRows(model);
  return Float64Array.from({ length: model.cfg.latents }, (_, j) =>
    dec ? Math.sqrt(dot(dec[j]!, dec[j]!)) : 1,
  );
}

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** v / ‖v‖ (a zero vector stays zero). */
export function normalise(v: Float64Array): Float64Array {
  const n = Math.sqrt(dot(v, v)) || 1;
  return v.map((x) => x / n);
}

function countActive(codes: Float32Array, m: number, rows: number, j: number): number {
  let n = 0;
  for (let r = 0; r < rows; r++) if (codes[r * m + j]! > 0) n++;
  return n;
}

function columnCorrelation(P: Float32Array, m: number, rows: number, j: number, k: number): number {
  let sx = 0;
  let sy = 0;
  for (let r = 0; r < rows; r++) {
    sx += P[r * m + j]!;
    sy += P[r * m + k]!;
  }
  const mx = sx / rows;
  const my = sy / rows;
  let xy = 0;
  let xx = 0;
  let yy = 0;
  for (let r = 0; r < rows; r++) {
    const a = P[r * m + j]! - mx;
    const b = P[r * m + k]! - my;
    xy += a * b;
    xx += a * a;
    yy += b * b;
  }
  return xx > 0 && yy > 0 ? xy / Math.sqrt(xx * yy) : 0;
}
