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

  apply(x: ArrayLike<number>, rows: number): Float32Array {
    const { dIn, units, dOut, R, b, mean, scale } = this;
    const out = new Float32Array(rows * dOut);
    const z = new Float64Array(dIn);
    for (let r = 0; r < rows; r++) {
      const o = r * dOut;
      for (let i = 0; i < dIn; i++) {
        const v = x[r * dIn + i]!;
        out[o + i] = v;
        z[i] = (v - mean[i]!) * scale[i]!;
      }
      for (let u = 0; u < units; u++) {
        let acc = b[u]!;
        const w = u * dIn;
        for (let i = 0; i < dIn; i++) acc += R[w + i]! * z[i]!;
        out[o + dIn + u] = Math.tanh(acc);
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
