// Random tanh features: the blocked apply equals the formula row by row, bit for bit.
import { describe, expect, it } from 'vitest';
import { FeatureMap } from '../../../conflicts/score/featureMap.js';
import { makeRng } from '../../../util/random.js';

describe('FeatureMap.apply', () => {
  it('is the raw state followed by tanh(R (x − μ)/σ + b), for any number of rows', () => {
    const rng = makeRng(2);
    const dIn = 11;
    const units = 5;
    for (const rows of [1, 3, 4, 9]) {
      const x = Float32Array.from({ length: rows * dIn }, () => rng.normal() * 2 + 1);
      const fm = FeatureMap.fit(x, rows, dIn, units, 7);
      const out = fm.apply(x, rows);
      // the same draws as the constructor: R row-major units × dIn scaled by 1/√dIn, then b
      const g = makeRng(7);
      const R = Float32Array.from({ length: units * dIn }, () => g.normal() / Math.sqrt(dIn));
      const b = Float32Array.from({ length: units }, () => g.normal());
      const want = new Float32Array(rows * (dIn + units));
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < dIn; i++) want[r * (dIn + units) + i] = x[r * dIn + i]!;
        for (let u = 0; u < units; u++) {
          let acc = b[u]!;
          for (let i = 0; i < dIn; i++) acc += R[u * dIn + i]! * ((x[r * dIn + i]! - fm.mean[i]!) * fm.scale[i]!);
          want[r * (dIn + units) + dIn + u] = Math.tanh(acc);
        }
      }
      expect(Array.from(out)).toEqual(Array.from(want));
    }
  });
});
