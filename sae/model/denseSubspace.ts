// A dense subspace set aside before the dictionary (config `denseSubspace: 'auto'`, `train
// --dense-subspace auto`). Per agent: the principal components of the centred states above
// DENSE_MIN_SHARE of the variance are whitened and unmixed by FastICA (tanh contrast, symmetric
// decorrelation, fixed start); components whose activity is Gaussian (|excess kurtosis| <
// DENSE_MAX_KURTOSIS) are dense, not sparse thoughts, and their span is projected out of the
// agent's states before normalisation: x' = x − Q Qᵀ (x − μ), Q orthonormal (d × r). A sparse on/off
// thought has excess kurtosis 3–25 along its direction; a Gaussian background 0. The dictionary
// then models x' (its FVU is of x'), and the set-aside share is reported. Measured offline on
// 19 runs before it was built (docs/RESULTS.md, "Setting aside a dense subspace").
import { makeRng } from '../../util/random.js';
import { inverseSqrt } from '../../util/inverseSqrt.js';
import { matMul, transpose } from '../../util/matrix.js';
import { symmetricEigen } from '../../util/symmetricEigen.js';

export const DENSE_MIN_SHARE = 0.01;
export const DENSE_MAX_KURTOSIS = 1;
/** Above this hidden size the step is skipped (the d×d eigendecomposition runs in JavaScript). */
export const DENSE_MAX_DIM = 1024;
const ICA_ITERATIONS = 200;

export interface DenseSubspace {
  /** r × d, row-major: each row a unit vector; the rows are orthonormal. */
  basis: Float32Array;
  rank: number;
  /** Excess kurtosis of every unmixed component examined (ascending). */
  kurtosis: number[];
  /** Share of the centred states' variance in the subspace set aside. */
  share: number;
}

/** The dense subspace of rows × d states x with mean μ (rank 0 when none). */
export function estimateDenseSubspace(x: Float32Array, d: number, mean: Float32Array): DenseSubspace {
  const n = Math.floor(x.length / d);
  const none = (kurtosis: number[] = []): DenseSubspace => ({ basis: new Float32Array(0), rank: 0, kurtosis, share: 0 });
  if (n < 10 || d > DENSE_MAX_DIM) return none();
  const C = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) row[i] = x[r * d + i]! - mean[i]!;
    for (let i = 0; i < d; i++) {
      const v = row[i]!;
      if (v === 0) continue;
      for (let j = i; j < d; j++) C[i * d + j]! += v * row[j]!;
    }
  }
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) C[j * d + i] = C[i * d + j]! /= n;
  const { values, vectors } = symmetricEigen(C, d);
  let total = 0;
  for (let i = 0; i < d; i++) total += Math.max(values[i]!, 0);
  if (!(total > 0)) return none();
  let p = 0;
  while (p < d && values[p]! > DENSE_MIN_SHARE * total) p++;
  if (p === 0) return none();
  // Whitened scores of the top p components: z = Vᵀ(x − μ) / √λ.
  const Z = new Float64Array(n * p);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < p; c++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += (x[r * d + i]! - mean[i]!) * vectors[i * d + c]!;
      Z[r * p + c] = s / Math.sqrt(values[c]!);
    }
  }
  const W = fastIca(Z, n, p);
  // Unmixed components y = W z, their excess kurtosis.
  const m2 = new Float64Array(p);
  const m4 = new Float64Array(p);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < p; c++) {
      let y = 0;
      for (let k = 0; k < p; k++) y += W[c * p + k]! * Z[r * p + k]!;
      const y2 = y * y;
      m2[c]! += y2;
      m4[c]! += y2 * y2;
    }
  }
  const kurt = Array.from({ length: p }, (_, c) => (m4[c]! / n) / (m2[c]! / n) ** 2 - 3);
  const dense = kurt.map((k, c) => (Math.abs(k) < DENSE_MAX_KURTOSIS ? c : -1)).filter((c) => c >= 0);
  const sorted = [...kurt].sort((a, b) => a - b).map((k) => Math.round(k * 100) / 100);
  if (dense.length === 0) return none(sorted);
  // Each dense component's direction in state space: the mixing column a_c = V √Λ W[c]ᵀ (W is
  // orthogonal, so the mixing matrix is its transpose), then Gram–Schmidt.
  const basis = new Float64Array(dense.length * d);
  let rank = 0;
  for (const c of dense) {
    const a = new Float64Array(d);
    for (let k = 0; k < p; k++) {
      const w = W[c * p + k]! * Math.sqrt(values[k]!);
      for (let i = 0; i < d; i++) a[i]! += vectors[i * d + k]! * w;
    }
    for (let q = 0; q < rank; q++) {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += a[i]! * basis[q * d + i]!;
      for (let i = 0; i < d; i++) a[i]! -= dot * basis[q * d + i]!;
    }
    let nn = 0;
    for (let i = 0; i < d; i++) nn += a[i]! * a[i]!;
    if (!(nn > 1e-20)) continue;
    const inv = 1 / Math.sqrt(nn);
    for (let i = 0; i < d; i++) basis[rank * d + i] = a[i]! * inv;
    rank++;
  }
  // Share of the variance in the span: Σ_q qᵀ C q.
  let inSpan = 0;
  for (let q = 0; q < rank; q++) {
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += C[i * d + j]! * basis[q * d + j]!;
      inSpan += basis[q * d + i]! * s;
    }
  }
  return { basis: Float32Array.from(basis.subarray(0, rank * d)), rank, kurtosis: sorted, share: inSpan / total };
}

/**
 * Symmetric FastICA with the tanh contrast on n × p whitened scores: W ← orth(E[g(Wz) zᵀ] −
 * diag(E[g'(Wz)]) W), from a seeded random orthogonal start, until the rows stop turning.
 */
function fastIca(Z: Float64Array, n: number, p: number): Float64Array {
  const rng = makeRng(0x64656e73);
  let W = orthonormalRows(Float64Array.from({ length: p * p }, () => rng.normal()), p);
  const y = new Float64Array(p);
  for (let it = 0; it < ICA_ITERATIONS; it++) {
    const G = new Float64Array(p * p);
    const gp = new Float64Array(p);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < p; c++) {
        let s = 0;
        for (let k = 0; k < p; k++) s += W[c * p + k]! * Z[r * p + k]!;
        y[c] = Math.tanh(s);
      }
      for (let c = 0; c < p; c++) {
        const g = y[c]!;
        gp[c]! += 1 - g * g;
        for (let k = 0; k < p; k++) G[c * p + k]! += g * Z[r * p + k]!;
      }
    }
    for (let c = 0; c < p; c++) for (let k = 0; k < p; k++) G[c * p + k] = G[c * p + k]! / n - (gp[c]! / n) * W[c * p + k]!;
    const next = orthonormalRows(G, p);
    let worst = 0;
    for (let c = 0; c < p; c++) {
      let dot = 0;
      for (let k = 0; k < p; k++) dot += next[c * p + k]! * W[c * p + k]!;
      worst = Math.max(worst, Math.abs(Math.abs(dot) - 1));
    }
    W = next;
    if (worst < 1e-6) break;
  }
  return W;
}

/** (M Mᵀ)^(-1/2) M: the symmetric orthonormalisation of p × p M's rows. */
function orthonormalRows(M: Float64Array, p: number): Float64Array {
  return matMul(inverseSqrt(matMul(M, transpose(M, p, p), p, p, p), p, 1e-300), M, p, p, p);
}

/** x' = x − Q Qᵀ (x − μ) for rows × d x (a copy; x itself when the basis is empty). */
export function removeDense(x: Float32Array, d: number, mean: Float32Array, basis: Float32Array | undefined, out?: Float32Array): Float32Array {
  const r = basis ? basis.length / d : 0;
  if (r === 0) {
    if (out && out !== x) out.set(x);
    return out ?? x;
  }
  const o = out ?? new Float32Array(x.length);
  const n = x.length / d;
  const coef = new Float64Array(r);
  for (let row = 0; row < n; row++) {
    const base = row * d;
    for (let q = 0; q < r; q++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += (x[base + i]! - mean[i]!) * basis![q * d + i]!;
      coef[q] = s;
    }
    for (let i = 0; i < d; i++) {
      let v = x[base + i]!;
      for (let q = 0; q < r; q++) v -= coef[q]! * basis![q * d + i]!;
      o[base + i] = v;
    }
  }
  return o;
}
