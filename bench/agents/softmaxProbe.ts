// The probe used by probe.bench.ts: multinomial logistic regression (standardised features, L2,
// full-batch Adam; agents/games/logisticProbe.ts) fitted on the training rows. Returns test accuracy.
import { fitLogisticProbe } from '../../agents/games/logisticProbe.js';

export function probeAccuracy(
  xTrain: Float64Array[],
  yTrain: number[],
  xTest: Float64Array[],
  yTest: number[],
  classes: number,
  opts: { iters?: number; lr?: number; l2?: number } = {},
): number {
  const probe = fitLogisticProbe(xTrain, yTrain, classes, opts);
  let right = 0;
  xTest.forEach((x, n) => (right += probe.predict(x) === yTest[n] ? 1 : 0));
  return right / Math.max(1, xTest.length);
}
