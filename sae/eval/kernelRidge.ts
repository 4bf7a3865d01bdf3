// Kernel ridge regression with an RBF kernel (bandwidth: median pairwise distance), the
// held-out nonlinear regressor of the block R² matrix. Solves (K + λI) α = Y by Cholesky.

export interface KernelRidgeOptions {
  lambda?: number;
}

function sqDist(a: Float64Array, i: number, b: Float64Array, j: number, p: number): number {
  let s = 0;
  for (let k = 0; k < p; k++) s += (a[i * p + k]! - b[j * p + k]!) ** 2;
  return s;
}

function medianSqDist(x: Float64Array, n: number, p: number): number {
  const ds: number[] = [];
  const step = Math.max(1, Math.floor(n / 200));
  for (let i = 0; i < n; i += step) for (let j = i + step; j < n; j += step) ds.push(sqDist(x, i, x, j, p));
  ds.sort((a, b) => a - b);
  return ds.length ? ds[Math.floor(ds.length / 2)]! || 1 : 1;
}

/** In-place Cholesky of a symmetric positive definite n × n matrix (lower triangle). */
function cholesky(A: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    let s = A[j * n + j]!;
    for (let k = 0; k < j; k++) s -= A[j * n + k]! ** 2;
    const d = Math.sqrt(Math.max(s, 1e-12));
    A[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let t = A[i * n + j]!;
      for (let k = 0; k < j; k++) t -= A[i * n + k]! * A[j * n + k]!;
      A[i * n + j] = t / d;
    }
  }
}

/**
 * Fits on (xTrain rows × p, yTrain rows × q) and returns R² per output column on the test
 * set (1 − SSE/SST with the test mean). Inputs are standardised with training statistics.
 */
export function kernelRidgeR2(
  xTrain: Float64Array, yTrain: Float64Array, nTrain: number,
  xTest: Float64Array, yTest: Float64Array, nTest: number,
  p: number, q: number, o: KernelRidgeOptions = {},
): number[] {
  if (p === 0) return new Array<number>(q).fill(0);
  const lambda = o.lambda ?? 1e-2;
  const mu = new Float64Array(p);
  const sd = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    let s = 0;
    for (let i = 0; i < nTrain; i++) s += xTrain[i * p + k]!;
    mu[k] = s / nTrain;
    let v = 0;
    for (let i = 0; i < nTrain; i++) v += (xTrain[i * p + k]! - mu[k]!) ** 2;
    sd[k] = Math.sqrt(v / nTrain) || 1;
  }
  const st = (x: Float64Array) => Float64Array.from(x, (v, i) => (v - mu[i % p]!) / sd[i % p]!);
  const a = st(xTrain);
  const b = st(xTest);
  const gamma = 1 / medianSqDist(a, nTrain, p);
  const K = new Float64Array(nTrain * nTrain);
  for (let i = 0; i < nTrain; i++) {
    for (let j = 0; j <= i; j++) {
      const k = Math.exp(-gamma * sqDist(a, i, a, j, p));
      K[i * nTrain + j] = k;
      K[j * nTrain + i] = k;
    }
    K[i * nTrain + i]! += lambda;
  }
  cholesky(K, nTrain);
  const ym = new Float64Array(q);
  for (let c = 0; c < q; c++) {
    let s = 0;
    for (let i = 0; i < nTrain; i++) s += yTrain[i * q + c]!;
    ym[c] = s / nTrain;
  }
  // Solve L Lᵀ α = Y − ȳ column by column.
  const alpha = new Float64Array(nTrain * q);
  for (let c = 0; c < q; c++) {
    const z = new Float64Array(nTrain);
    for (let i = 0; i < nTrain; i++) {
      let s = yTrain[i * q + c]! - ym[c]!;
      for (let k = 0; k < i; k++) s -= K[i * nTrain + k]! * z[k]!;
      z[i] = s / K[i * nTrain + i]!;
    }
    for (let i = nTrain - 1; i >= 0; i--) {
      let s = z[i]!;
      for (let k = i + 1; k < nTrain; k++) s -= K[k * nTrain + i]! * alpha[k * q + c]!;
      alpha[i * q + c] = s / K[i * nTrain + i]!;
    }
  }
  const r2: number[] = [];
  const pred = new Float64Array(nTest * q);
  for (let t = 0; t < nTest; t++) {
    for (let i = 0; i < nTrain; i++) {
      const k = Math.exp(-gamma * sqDist(b, t, a, i, p));
      for (let c = 0; c < q; c++) pred[t * q + c]! += k * alpha[i * q + c]!;
    }
  }
  for (let c = 0; c < q; c++) {
    let mean = 0;
    for (let t = 0; t < nTest; t++) mean += yTest[t * q + c]!;
    mean /= nTest;
    let sse = 0;
    let sst = 0;
    for (let t = 0; t < nTest; t++) {
      sse += (yTest[t * q + c]! - (pred[t * q + c]! + ym[c]!)) ** 2;
      sst += (yTest[t * q + c]! - mean) ** 2;
    }
    r2.push(sst > 0 ? 1 - sse / sst : 0);
  }
  return r2;
}
