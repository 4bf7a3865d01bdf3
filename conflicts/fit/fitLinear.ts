// Fits the linear view maps: ridge regression of targets on one agent's state, and
// canonical correlation between two agents' raw states (the no-dictionary baseline).
import type { CrossMoments } from '../math/covariance.js';
import { choleskySolve, inverseSqrt, symmetricEigen } from '../math/linalg.js';
import { matMul, transpose } from '../../util/matrix.js';
import { LinearMap } from '../score/linearMap.js';
import { DetectorDataError } from '../errors.js';

/**
 * Ridge map x → y from accumulated moments. The penalty is relative: λ · mean(diag Cxx),
 * so it means the same for any scale of x.
 */
export function ridgeFromMoments(m: CrossMoments, lambda = 1e-2): LinearMap {
  const { p, q } = m;
  if (m.n < 2) throw new DetectorDataError(`ridge view map needs at least 2 reference steps, got ${m.n}`);
  const C = m.covXX();
  let tr = 0;
  for (let i = 0; i < p; i++) tr += C[i * p + i]!;
  const pen = lambda * Math.max(tr / p, 1e-12);
  for (let i = 0; i < p; i++) C[i * p + i]! += pen;
  const W = choleskySolve(C, p, m.covXY(), q);
  if (!W) throw new DetectorDataError('ridge view map: reference covariance is not positive definite (constant or NaN states?)');
  return LinearMap.fromFloat64(p, q, m.meanX(), W, m.meanY());
}

export interface CcaFit {
  maps: [LinearMap, LinearMap];
  /** Canonical correlations of the kept components, descending. */
  correlations: number[];
}

/** Regularised CCA between x (p) and y (q); keeps the top `k` canonical pairs (unit variance each). */
export function ccaFromMoments(m: CrossMoments, k: number, reg = 1e-3): CcaFit {
  const { p, q } = m;
  if (m.n < 2) throw new DetectorDataError(`canonical correlation needs at least 2 reference steps, got ${m.n}`);
  const cxx = m.covXX();
  const cyy = m.covYY();
  addRelativeRidge(cxx, p, reg);
  addRelativeRidge(cyy, q, reg);
  const ix = inverseSqrt(cxx, p);
  const iy = inverseSqrt(cyy, q);
  const T = matMul(matMul(ix, m.covXY(), p, p, q), iy, p, q, q); // p×q
  const TT = matMul(T, transpose(T, p, q), p, q, p); // p×p
  const { values, vectors: U } = symmetricEigen(TT, p);
  const kk = Math.min(k, p, q);
  const Uk = new Float64Array(p * kk);
  const s: number[] = [];
  for (let c = 0; c < kk; c++) {
    s.push(Math.sqrt(Math.max(values[c]!, 0)));
    for (let i = 0; i < p; i++) Uk[i * kk + c] = U[i * p + c]!;
  }
  // V = Tᵀ U / s
  const Vk = matMul(transpose(T, p, q), Uk, q, p, kk);
  for (let c = 0; c < kk; c++) {
    const sc = s[c]! > 1e-12 ? 1 / s[c]! : 0;
    for (let j = 0; j < q; j++) Vk[j * kk + c]! *= sc;
  }
  const Wx = matMul(ix, Uk, p, p, kk);
  const Wy = matMul(iy, Vk, q, q, kk);
  const zero = new Float64Array(kk);
  return {
    maps: [LinearMap.fromFloat64(p, kk, m.meanX(), Wx, zero), LinearMap.fromFloat64(q, kk, m.meanY(), Wy, zero)],
    correlations: s,
  };
}

function addRelativeRidge(C: Float64Array, p: number, reg: number): void {
  let tr = 0;
  for (let i = 0; i < p; i++) tr += C[i * p + i]!;
  const pen = reg * Math.max(tr / p, 1e-12);
  for (let i = 0; i < p; i++) C[i * p + i]! += pen;
}
