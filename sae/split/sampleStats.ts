// One pass of a trained dictionary over a sample of joined steps, collecting what the split
// and the metrics need: per latent firing frequency, per agent decoder relevance, the
// least-squares latent-scaling fit of each agent's residual on each latent, and per agent
// reconstruction error. Residuals are in the agent's normalised units.
import * as tf from '@tensorflow/tfjs';
import type { SaeModel } from '../checkpoint/checkpoint.js';
import { decodeAgent, decoderBlockNorms, encodeJoint, modeContext } from '../model/inference.js';
import { jacobianBlocks } from '../model/modes.js';
import { tidyData } from '../model/ops.js';

export interface SampleStats {
  rows: number;
  /** Per latent: fraction of rows with z_j > 0. */
  frequency: Float64Array;
  /** Mean active latents per row. */
  l0: number;
  /** Per agent, per latent: r_{a,j} = ‖D_a[j]‖/√d_a (MLP decoder: E[z_j‖J_a[j,:]‖]/E[z_j]/√d_a). */
  blockNorm: Float64Array[];
  /** Per agent, per latent: ‖v_{a,j}‖/√d_a, v the least-squares decoder of a's residual (+ own block) on z_j. */
  scaledNorm: Float64Array[];
  /** Per agent, per latent: fraction of a's residual energy on j's active rows that β·z_j explains. */
  explained: Float64Array[];
  /** Per agent: fraction of variance unexplained, Σ‖x − x̂‖² / Σ‖x − x̄‖² over the sample. */
  fvu: number[];
}

export function collectSampleStats(model: SaeModel, xs: Float32Array[], rows: number): SampleStats {
  const cfg = model.cfg;
  const m = cfg.latents;
  const z = encodeJoint(model, xs, rows);
  const frequency = new Float64Array(m);
  const zsq = new Float64Array(m);
  let active = 0;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < m; j++) {
      const v = z[r * m + j]!;
      if (v > 0) {
        frequency[j]!++;
        zsq[j]! += v * v;
        active++;
      }
    }
  }
  for (let j = 0; j < m; j++) frequency[j]! /= rows;
  let blockNorm = decoderBlockNorms(model);
  if (cfg.mode === 'jacobian') blockNorm = jacobianRelevance(model, z, rows);
  const fvu: number[] = [];
  const scaledNorm: Float64Array[] = [];
  const explained: Float64Array[] = [];
  cfg.agents.forEach((ag, a) => {
    const d = ag.dim;
    const xhat = decodeAgent(model, a, z, rows);
    const x = xs[a]!;
    const mean = new Float64Array(d);
    for (let r = 0; r < rows; r++) for (let i = 0; i < d; i++) mean[i]! += x[r * d + i]!;
    for (let i = 0; i < d; i++) mean[i]! /= rows;
    let err = 0;
    let tot = 0;
    const inv = 1 / model.norms[a]!.scale;
    const e = new Float32Array(rows * d);
    const q = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let i = 0; i < d; i++) {
        const o = r * d + i;
        const diff = x[o]! - xhat[o]!;
        err += diff * diff;
        tot += (x[o]! - mean[i]!) ** 2;
        e[o] = diff * inv;
        s += (diff * inv) ** 2;
      }
      q[r] = s;
    }
    fvu.push(tot > 0 ? err / tot : NaN);
    // ZᵀE (m × d) and Aᵀq (m): one matmul each.
    const Z = tf.tensor2d(z, [rows, m]);
    const Zt = tf.transpose(Z);
    const ZtE = tidyData(() => tf.matMul(Zt, tf.tensor2d(e, [rows, d])));
    const Atq = tidyData(() => tf.matMul(tf.transpose(tf.step(Z)), tf.tensor2d(q, [rows, 1])));
    Z.dispose();
    Zt.dispose();
    const D = cfg.mode === 'jacobian' ? null : (model.params[`dec.${ag.id}.W`]!.data as Float32Array);
    const sn = new Float64Array(m);
    const ef = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      if (zsq[j]! === 0) continue;
      let vv = 0;
      let eD = 0;
      let DD = 0;
      for (let i = 0; i < d; i++) {
        const dj = D ? D[j * d + i]! * (blockNorm[a]![j]! === 0 ? 0 : 1) : 0;
        const zte = ZtE[j * d + i]!;
        const v = zte / zsq[j]! + dj;
        vv += v * v;
        eD += zte * dj;
        DD += dj * dj;
      }
      sn[j] = Math.sqrt(vv / d);
      const resid = Atq[j]! + 2 * eD + zsq[j]! * DD;
      ef[j] = resid > 0 ? Math.min(1, (zsq[j]! * vv) / resid) : 0;
    }
    scaledNorm.push(sn);
    explained.push(ef);
  });
  return { rows, frequency, l0: active / rows, blockNorm, scaledNorm, explained, fvu };
}

/** MLP decoder: r_{a,j} = Σ_s z_j^s ‖J_a^s[j,:]‖ / Σ_s z_j^s / √d_a over up to 512 sample rows. */
function jacobianRelevance(model: SaeModel, z: Float32Array, rows: number): Float64Array[] {
  const m = model.cfg.latents;
  const S = Math.min(512, rows);
  const ctx = modeContext(model);
  return model.cfg.agents.map((ag, a) => {
    let out = new Float64Array(m);
    tf.tidy(() => {
      const zs = tf.tensor2d(z.subarray(0, S * m), [S, m]);
      const J = jacobianBlocks(zs, a, ctx, 'group');
      const num = tf.sum(tf.mul(zs, J), 0).dataSync();
      const den = tf.sum(zs, 0).dataSync();
      out = Float64Array.from(num, (v, j) => (den[j]! > 0 ? v / den[j]! / Math.sqrt(ag.dim) : 0));
    });
    return out;
  });
}
