// Multinomial logistic regression for probes: standardised features (mean and sd from the
// training rows), L2 penalty, full-batch Adam. Fitted on one set of rows, it predicts classes
// for another; balancedAccuracy scores the predictions (mean recall over the classes present,
// so chance is 1/classes whatever the class shares).

export interface LogisticProbeOptions {
  iters?: number;
  lr?: number;
  l2?: number;
}

export interface LogisticProbe {
  predict(x: ArrayLike<number>): number;
}

export function fitLogisticProbe(x: readonly ArrayLike<number>[], y: readonly number[], classes: number, o: LogisticProbeOptions = {}): LogisticProbe {
  const d = x[0]?.length ?? 0;
  const N = x.length;
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (const r of x) for (let j = 0; j < d; j++) mean[j]! += r[j]! / N;
  for (const r of x) for (let j = 0; j < d; j++) sd[j]! += (r[j]! - mean[j]!) ** 2 / N;
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j]!) + 1e-6;
  const norm = (r: ArrayLike<number>): Float64Array => Float64Array.from({ length: d }, (_, j) => (r[j]! - mean[j]!) / sd[j]!);
  const A = x.map(norm);
  const W = new Float64Array((d + 1) * classes);
  const m = new Float64Array(W.length);
  const v = new Float64Array(W.length);
  const g = new Float64Array(W.length);
  const p = new Float64Array(classes);
  const softmax = (r: Float64Array): void => {
    let mx = -Infinity;
    for (let c = 0; c < classes; c++) {
      let s = W[d * classes + c]!;
      for (let j = 0; j < d; j++) s += r[j]! * W[j * classes + c]!;
      p[c] = s;
      if (s > mx) mx = s;
    }
    let z = 0;
    for (let c = 0; c < classes; c++) z += p[c] = Math.exp(p[c]! - mx);
    for (let c = 0; c < classes; c++) p[c]! /= z;
  };
  const iters = o.iters ?? 300;
  const lr = o.lr ?? 0.05;
  const l2 = o.l2 ?? 1e-3;
  for (let it = 1; it <= iters && N > 0; it++) {
    g.fill(0);
    A.forEach((r, n) => {
      softmax(r);
      for (let c = 0; c < classes; c++) {
        const e = (p[c]! - (y[n] === c ? 1 : 0)) / N;
        if (e === 0) continue;
        for (let j = 0; j < d; j++) g[j * classes + c]! += e * r[j]!;
        g[d * classes + c]! += e;
      }
    });
    for (let k = 0; k < W.length; k++) {
      const gk = g[k]! + l2 * W[k]!;
      m[k] = 0.9 * m[k]! + 0.1 * gk;
      v[k] = 0.999 * v[k]! + 0.001 * gk * gk;
      W[k]! -= (lr * (m[k]! / (1 - 0.9 ** it))) / (Math.sqrt(v[k]! / (1 - 0.999 ** it)) + 1e-8);
    }
  }
  return {
    predict(r: ArrayLike<number>): number {
      softmax(norm(r));
      let best = 0;
      for (let c = 1; c < classes; c++) if (p[c]! > p[best]!) best = c;
      return best;
    },
  };
}

/** Mean over the classes present in `truth` of the share of their rows predicted right. */
export function balancedAccuracy(predicted: readonly number[], truth: readonly number[]): number {
  const hit = new Map<number, [number, number]>();
  truth.forEach((c, i) => {
    const h = hit.get(c) ?? hit.set(c, [0, 0]).get(c)!;
    h[0] += predicted[i] === c ? 1 : 0;
    h[1]++;
  });
  if (!hit.size) return NaN;
  let s = 0;
  for (const [a, n] of hit.values()) s += a / n;
  return s / hit.size;
}
