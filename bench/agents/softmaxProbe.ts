// Multinomial logistic regression (standardised features, L2, full-batch Adam): the probe
// used by probe.bench.ts. Returns test accuracy.
export function probeAccuracy(
  xTrain: Float64Array[],
  yTrain: number[],
  xTest: Float64Array[],
  yTest: number[],
  classes: number,
  opts: { iters?: number; lr?: number; l2?: number } = {},
): number {
  const d = xTrain[0]!.length;
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (const x of xTrain) for (let j = 0; j < d; j++) mean[j]! += x[j]! / xTrain.length;
  for (const x of xTrain) for (let j = 0; j < d; j++) sd[j]! += (x[j]! - mean[j]!) ** 2 / xTrain.length;
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j]!) + 1e-6;
  const norm = (x: Float64Array): Float64Array => x.map((v, j) => (v - mean[j]!) / sd[j]!);
  const A = xTrain.map(norm);
  const B = xTest.map(norm);
  const W = new Float64Array((d + 1) * classes);
  const m = new Float64Array(W.length);
  const v = new Float64Array(W.length);
  const g = new Float64Array(W.length);
  const iters = opts.iters ?? 300;
  const lr = opts.lr ?? 0.05;
  const l2 = opts.l2 ?? 1e-3;
  const logits = new Float64Array(classes);
  const forward = (x: Float64Array): void => {
    for (let c = 0; c < classes; c++) {
      let s = W[d * classes + c]!;
      for (let j = 0; j < d; j++) s += x[j]! * W[j * classes + c]!;
      logits[c] = s;
    }
    const mx = Math.max(...logits);
    let z = 0;
    for (let c = 0; c < classes; c++) z += logits[c] = Math.exp(logits[c]! - mx);
    for (let c = 0; c < classes; c++) logits[c]! /= z;
  };
  for (let it = 1; it <= iters; it++) {
    g.fill(0);
    A.forEach((x, n) => {
      forward(x);
      for (let c = 0; c < classes; c++) {
        const e = (logits[c]! - (yTrain[n] === c ? 1 : 0)) / A.length;
        for (let j = 0; j < d; j++) g[j * classes + c]! += e * x[j]!;
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
  let right = 0;
  B.forEach((x, n) => {
    forward(x);
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[c]! > logits[best]!) best = c;
    if (best === yTest[n]) right++;
  });
  return right / B.length;
}
