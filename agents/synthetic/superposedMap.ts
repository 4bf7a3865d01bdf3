// A map in superposition (the superposed family): x = g·Q·V·z + b, with V an m×k matrix of
// random unit columns (m < k: more thoughts than dimensions, so the directions cannot be
// orthogonal), Q a d×m matrix of orthonormal columns placing that m-dimensional space in the
// hidden space, g a gain calibrated so g·Q·V·z has RMS `scale` on typical thoughts, and b a
// small bias. Linear but of rank m < k: no inverse exists (`inverse` returns NaN); a thought
// can only be read off when few are on at once.
import type { Rng } from '../../util/random.js';
import { layerSummary, type HiddenMap, type MixingSummary } from './hiddenMap.js';
import { randomOrthonormalColumns, symmetricEigenvalues } from './linalg.js';

export interface SuperposedMapOptions {
  /** Dimension m of the subspace the k directions share (m < k for superposition). */
  subspace: number;
  /** Target RMS of g·Q·V·z on the calibration inputs. */
  scale: number;
  /** Bias standard deviation (default 0.1). */
  biasStd?: number;
}

export class SuperposedMap implements HiddenMap {
  readonly stateSize = 0;

  private constructor(
    /** The k directions g·Q·v_j in hidden space, k×d row-major. */
    private readonly dirs: Float64Array,
    private readonly bias: Float64Array,
    private readonly gain: number,
    private readonly singular: Float64Array,
    readonly subspace: number,
    /** Cosines between directions: largest |cos| and mean |cos| over pairs. */
    readonly coherence: { max: number; meanAbs: number },
  ) {}

  get inputSize(): number {
    return this.dirs.length / this.bias.length;
  }

  get outputSize(): number {
    return this.bias.length;
  }

  /** Agent thought directions as rows of a k×d matrix (gain included). */
  directions(): Float64Array {
    return this.dirs.slice();
  }

  static random(rng: Rng, k: number, d: number, opts: SuperposedMapOptions, calibration: Float64Array, calRows: number): SuperposedMap {
    const m = Math.max(1, Math.min(opts.subspace, d));
    const v = new Float64Array(k * m); // row j: v_j, a unit vector in ℝᵐ
    for (let j = 0; j < k; j++) {
      let n2 = 0;
      while (n2 < 1e-12) {
        n2 = 0;
        for (let i = 0; i < m; i++) {
          const x = rng.normal();
          v[j * m + i] = x;
          n2 += x * x;
        }
      }
      const n = Math.sqrt(n2);
      for (let i = 0; i < m; i++) v[j * m + i]! /= n;
    }
    const q = randomOrthonormalColumns(rng, d, m); // d×m
    const bias = new Float64Array(d);
    for (let i = 0; i < d; i++) bias[i] = (opts.biasStd ?? 0.1) * rng.normal();
    const dirs = new Float64Array(k * d);
    for (let j = 0; j < k; j++) for (let o = 0; o < d; o++) {
      let acc = 0;
      for (let i = 0; i < m; i++) acc += q[o * m + i]! * v[j * m + i]!;
      dirs[j * d + o] = acc;
    }
    let ss = 0;
    const y = new Float64Array(d);
    for (let r = 0; r < calRows; r++) {
      y.fill(0);
      for (let j = 0; j < k; j++) {
        const z = calibration[r * k + j]!;
        if (z !== 0) for (let o = 0; o < d; o++) y[o]! += z * dirs[j * d + o]!;
      }
      for (let o = 0; o < d; o++) ss += y[o]! * y[o]!;
    }
    const rms = Math.sqrt(ss / Math.max(1, calRows * d));
    const g = opts.scale / (rms > 1e-12 ? rms : 1);
    for (let i = 0; i < dirs.length; i++) dirs[i]! *= g;
    // Nonzero singular values of V (m×k): square roots of the eigenvalues of V·Vᵀ (m×m).
    const vvt = new Float64Array(m * m);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) {
      let acc = 0;
      for (let j = 0; j < k; j++) acc += v[j * m + a]! * v[j * m + b]!;
      vvt[a * m + b] = acc;
    }
    const singular = symmetricEigenvalues(vvt, m).map((e) => g * Math.sqrt(Math.max(0, e)));
    let max = 0;
    let sum = 0;
    let pairs = 0;
    for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) {
      let c = 0;
      for (let i = 0; i < m; i++) c += v[a * m + i]! * v[b * m + i]!;
      max = Math.max(max, Math.abs(c));
      sum += Math.abs(c);
      pairs++;
    }
    const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
    return new SuperposedMap(dirs, bias, g, singular, m, { max: r6(max), meanAbs: r6(pairs ? sum / pairs : 0) });
  }

  forward(input: Float64Array, rows: number, out: Float64Array): void {
    const d = this.outputSize;
    const k = this.inputSize;
    const { dirs, bias } = this;
    for (let r = 0; r < rows; r++) {
      const yo = r * d;
      for (let o = 0; o < d; o++) out[yo + o] = bias[o]!;
      for (let j = 0; j < k; j++) {
        const z = input[r * k + j]!;
        if (z === 0) continue;
        for (let o = 0; o < d; o++) out[yo + o]! += z * dirs[j * d + o]!;
      }
    }
  }

  inverse(): Float64Array {
    return new Float64Array(this.inputSize).fill(NaN);
  }

  summary(): MixingSummary {
    const k = this.inputSize;
    return {
      nonlinearity: `none: x = g*Q*V*z + b, rank ${this.subspace} < ${k} thoughts (superposition, not invertible)`,
      slope: 0,
      dims: [k, this.subspace, this.outputSize],
      // The m nonzero singular values of g·Q·V (the other k − m are 0).
      layers: [layerSummary(k, this.outputSize, this.gain, this.singular)],
      superposition: { subspace: this.subspace, thoughts: k, maxAbsCosine: this.coherence.max, meanAbsCosine: this.coherence.meanAbs },
    };
  }

  describe(): string {
    return `synthetic: ${this.inputSize} thoughts superposed in ${this.subspace} of ${this.outputSize} dims (linear, rank ${this.subspace})`;
  }
}
