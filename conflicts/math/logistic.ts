// L2-regularised logistic regression by Newton's method on standardised features: small
// (tens of features), deterministic, no learning rate to tune.
import { choleskySolve } from './linalg.js';

export interface LogisticModel {
  mean: number[];
  std: number[];
  weights: number[];
  bias: number;
}

/** x: rows × F (row-major), y: 0/1 per row. */
export function fitLogistic(x: Float64Array, y: ArrayLike<number>, F: number, l2 = 1, iters = 30): LogisticModel {
  const n = y.length;
  const mean = new Array<number>(F).fill(0);
  const std = new Array<number>(F).fill(0);
  for (let r = 0; r < n; r++) for (let f = 0; f < F; f++) mean[f]! += x[r * F + f]! / n;
  for (let r = 0; r < n; r++) for (let f = 0; f < F; f++) std[f]! += (x[r * F + f]! - mean[f]!) ** 2 / Math.max(1, n - 1);
  for (let f = 0; f < F; f++) std[f] = Math.sqrt(std[f]!) > 1e-9 ? Math.sqrt(std[f]!) : 1;
  const P = F + 1;
  const w = new Float64Array(P); // last = bias
  const z = new Float64Array(P);
  let pos = 0;
  for (let r = 0; r < n; r++) pos += y[r]!;
  const b0 = Math.log((pos + 0.5) / (n - pos + 0.5));
  w[F] = b0;
  for (let it = 0; it < iters; it++) {
    const g = new Float64Array(P);
    const H = new Float64Array(P * P);
    for (let r = 0; r < n; r++) {
      for (let f = 0; f < F; f++) z[f] = clampZ((x[r * F + f]! - mean[f]!) / std[f]!);
      z[F] = 1;
      let eta = 0;
      for (let f = 0; f < P; f++) eta += w[f]! * z[f]!;
      const p = 1 / (1 + Math.exp(-eta));
      const wt = Math.max(p * (1 - p), 1e-9);
      const resid = y[r]! - p;
      for (let i = 0; i < P; i++) {
        g[i]! += resid * z[i]!;
        const zi = z[i]! * wt;
        for (let j = i; j < P; j++) H[i * P + j]! += zi * z[j]!;
      }
    }
    for (let i = 0; i < P; i++) for (let j = 0; j < i; j++) H[i * P + j] = H[j * P + i]!;
    for (let f = 0; f < F; f++) {
      g[f]! -= l2 * w[f]!;
      H[f * P + f]! += l2;
    }
    // The bias is held toward the base rate's log-odds as well: on (nearly) separable rows an
    // unpenalised bias runs off to ±1e8 and with it every score and the threshold.
    g[F]! -= l2 * (w[F]! - b0);
    H[F * P + F]! += l2;
    const step = choleskySolve(H, P, g, 1);
    if (!step) break;
    let maxStep = 0;
    for (let i = 0; i < P; i++) {
      w[i]! += step[i]!;
      maxStep = Math.max(maxStep, Math.abs(step[i]!));
    }
    if (maxStep < 1e-8) break;
  }
  return { mean, std, weights: Array.from(w.subarray(0, F)), bias: w[F]! };
}

/**
 * Standardised features are clipped to ±Z_CLIP training spreads: a feature far outside
 * anything seen in training (a latent almost never active there) must not swing the
 * log-odds by orders of magnitude, which would make scores (and the threshold) meaningless.
 */
export const Z_CLIP = 8;

function clampZ(z: number): number {
  return z > Z_CLIP ? Z_CLIP : z < -Z_CLIP ? -Z_CLIP : z;
}

/** Linear predictor (log-odds) of one feature row. */
export function logisticScore(m: LogisticModel, row: ArrayLike<number>): number {
  let eta = m.bias;
  for (let f = 0; f < m.weights.length; f++) eta += m.weights[f]! * clampZ((row[f]! - m.mean[f]!) / m.std[f]!);
  return eta;
}
