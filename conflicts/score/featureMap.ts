// Optional nonlinear expansion of one agent's state before the linear view map: the raw
// state followed by `units` random tanh features of the standardised state,
// tanh(R (x − μ)/σ + b), with R, b drawn from a seeded generator. Linear views of a
// nonlinearly mixed state carry a systematic misfit that no smoothing removes; random
// features shrink it (a cheap kernel approximation) for every view source alike.
import { makeRng } from '../../util/random.js';
import { fromBase64F32, toBase64F32 } from '../math/base64.js';

export interface FeatureMapJson {
  dIn: number;
  units: number;
  seed: number;
  mean: string;
  scale: string;
}

export class FeatureMap {
  readonly dOut: number;
  private readonly R: Float32Array;
  private readonly b: Float32Array;

  constructor(
    readonly dIn: number,
    readonly units: number,
    readonly seed: number,
    readonly mean: Float32Array,
    readonly scale: Float32Array,
  ) {
    this.dOut = dIn + units;
    const rng = makeRng(seed);
    const s = 1 / Math.sqrt(dIn);
    this.R = Float32Array.from({ length: units * dIn }, () => rng.normal() * s);
    this.b = Float32Array.from({ length: units }, () => rng.normal());
  }

  /** Fitted on reference states: per-dimension mean and standard deviation. */
  static fit(x: ArrayLike<number>, rows: number, dIn: number, units: number, seed: number): FeatureMap {
    const mean = new Float64Array(dIn);
    const sq = new Float64Array(dIn);
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < dIn; i++) {
        const v = x[r * dIn + i]!;
        mean[i]! += v;
        sq[i]! += v * v;
      }
    }
    const scale = new Float32Array(dIn);
    for (let i = 0; i < dIn; i++) {
      mean[i]! /= Math.max(1, rows);
      const sd = Math.sqrt(Math.max(0, sq[i]! / Math.max(1, rows) - mean[i]! ** 2));
      scale[i] = sd > 1e-8 ? 1 / sd : 1;
    }
    return new FeatureMap(dIn, units, seed, Float32Array.from(mean), scale);
  }

  /**
   * The raw state followed by the features, for `rows` rows. Four rows at a time: each row of R is
   * read once for four dot products (independent accumulators, so the adds do not wait on each
   * other); the sums are the same as one row at a time, in the same order.
   */
  apply(x: ArrayLike<number>, rows: number): Float32Array {
    const { dIn, units, dOut, R, b, mean, scale } = this;
    const out = new Float32Array(rows * dOut);
    const z = new Float64Array(4 * dIn);
    for (let r0 = 0; r0 < rows; r0 += 4) {
      const nr = Math.min(4, rows - r0);
      for (let t = 0; t < 4; t++) {
        const r = r0 + Math.min(t, nr - 1); // a short last block repeats its last row
        const o = r * dOut;
        for (let i = 0; i < dIn; i++) {
          const v = x[r * dIn + i]!;
          out[o + i] = v;
          z[t * dIn + i] = (v - mean[i]!) * scale[i]!;
        }
      }
      const z1 = dIn;
      const z2 = 2 * dIn;
      const z3 = 3 * dIn;
      for (let u = 0; u < units; u++) {
        let a0 = b[u]!;
        let a1 = a0;
        let a2 = a0;
        let a3 = a0;
        const w = u * dIn;
        for (let i = 0; i < dIn; i++) {
          const rw = R[w + i]!;
          a0 += rw * z[i]!;
          a1 += rw * z[z1 + i]!;
          a2 += rw * z[z2 + i]!;
          a3 += rw * z[z3 + i]!;
        }
        const o = r0 * dOut + dIn + u;
        out[o] = Math.tanh(a0);
        if (nr > 1) out[o + dOut] = Math.tanh(a1);
        if (nr > 2) out[o + 2 * dOut] = Math.tanh(a2);
        if (nr > 3) out[o + 3 * dOut] = Math.tanh(a3);
      }
    }
    return out;
  }

  toJSON(): FeatureMapJson {
    return { dIn: this.dIn, units: this.units, seed: this.seed, mean: toBase64F32(this.mean), scale: toBase64F32(this.scale) };
  }

  static fromJSON(j: FeatureMapJson): FeatureMap {
    return new FeatureMap(j.dIn, j.units, j.seed, fromBase64F32(j.mean, j.dIn), fromBase64F32(j.scale, j.dIn));
  }
}
