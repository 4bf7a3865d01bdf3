// Per-agent input normalisation: x̃_a = (x_a − μ_a) / s_a with μ_a the mean and s_a chosen
// so that E‖x̃_a‖ = √d_a, estimated from the first rows of the (shuffled) training stream.
// Stored in the checkpoint (μ in model.safetensors as norm.<A>.mean, s in cfg.json) and
// folded into the weights on export (exportSaelens.ts).
import { removeDense } from './denseSubspace.js';

export interface AgentNorm {
  mean: Float32Array;
  scale: number;
  /**
   * A dense subspace set aside before the dictionary (denseSubspace.ts): r × d orthonormal rows
   * (stored as norm.<A>.dense). Absent or empty: none. The dictionary's input is then
   * x̃ = (x − Q Qᵀ(x − μ) − μ) / s, and it reconstructs x' = x − Q Qᵀ(x − μ).
   */
  dense?: Float32Array;
}

/** The states the dictionary models: x' = x − Q Qᵀ(x − μ) (x itself without a dense subspace). */
export function withoutDense(x: Float32Array, norm: AgentNorm): Float32Array {
  return norm.dense && norm.dense.length ? removeDense(x, norm.mean.length, norm.mean, norm.dense) : x;
}

/** Estimates μ and s from rows×d values (several chunks allowed). */
export function estimateNorm(chunks: Float32Array[], d: number): AgentNorm {
  let rows = 0;
  const sum = new Float64Array(d);
  for (const c of chunks) {
    const n = c.length / d;
    rows += n;
    for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) sum[i]! += c[r * d + i]!;
  }
  const mean = new Float32Array(d);
  for (let i = 0; i < d; i++) mean[i] = rows ? sum[i]! / rows : 0;
  let norms = 0;
  for (const c of chunks) {
    const n = c.length / d;
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += (c[r * d + i]! - mean[i]!) ** 2;
      norms += Math.sqrt(s);
    }
  }
  const meanNorm = rows ? norms / rows : 0;
  const scale = meanNorm > 0 ? meanNorm / Math.sqrt(d) : 1;
  return { mean, scale };
}

/** Writes (x' − μ)/s into out (rows×d; x' = x without the dense subspace, if any), returns out. */
export function applyNorm(x: Float32Array, norm: AgentNorm, out: Float32Array = new Float32Array(x.length)): Float32Array {
  const d = norm.mean.length;
  if (norm.dense && norm.dense.length) x = removeDense(x, d, norm.mean, norm.dense, out);
  const inv = 1 / norm.scale;
  const mean = norm.mean;
  for (let r = 0, o = 0; o < x.length; r++) for (let i = 0; i < d; i++, o++) out[o] = (x[o]! - mean[i]!) * inv;
  return out;
}
