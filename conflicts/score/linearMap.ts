// An affine map of one agent's state onto K view coordinates: v = (x − mean) · W + bias.
// Weights are float32 from the moment they are fitted, so a detector scores the same
// before and after a JSON round trip.
import { fromBase64F32, toBase64F32 } from '../math/base64.js';

export interface LinearMapJson {
  dIn: number;
  dOut: number;
  mean: string;
  weight: string;
  bias: string;
}

export class LinearMap {
  constructor(
    readonly dIn: number,
    readonly dOut: number,
    /** dIn */
    readonly mean: Float32Array,
    /** dIn × dOut, row-major */
    readonly weight: Float32Array,
    /** dOut */
    readonly bias: Float32Array,
  ) {}

  static fromFloat64(dIn: number, dOut: number, mean: ArrayLike<number>, weight: ArrayLike<number>, bias: ArrayLike<number>): LinearMap {
    return new LinearMap(dIn, dOut, Float32Array.from(mean), Float32Array.from(weight), Float32Array.from(bias));
  }

  /** rows × dOut views of rows × dIn states. */
  apply(x: ArrayLike<number>, rows: number, out = new Float32Array(rows * this.dOut)): Float32Array {
    const { dIn, dOut, mean, weight, bias } = this;
    const acc = new Float64Array(dOut);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < dOut; j++) acc[j] = bias[j]!;
      const base = r * dIn;
      for (let i = 0; i < dIn; i++) {
        const xi = x[base + i]! - mean[i]!;
        if (xi === 0) continue;
        const w = i * dOut;
        for (let j = 0; j < dOut; j++) acc[j]! += xi * weight[w + j]!;
      }
      for (let j = 0; j < dOut; j++) out[r * dOut + j] = acc[j]!;
    }
    return out;
  }

  /** The same map restricted to some outputs (in the given order). */
  select(outputs: readonly number[]): LinearMap {
    const k = outputs.length;
    const w = new Float32Array(this.dIn * k);
    for (let i = 0; i < this.dIn; i++) outputs.forEach((j, c) => (w[i * k + c] = this.weight[i * this.dOut + j]!));
    return new LinearMap(this.dIn, k, this.mean, w, Float32Array.from(outputs, (j) => this.bias[j]!));
  }

  toJSON(): LinearMapJson {
    return { dIn: this.dIn, dOut: this.dOut, mean: toBase64F32(this.mean), weight: toBase64F32(this.weight), bias: toBase64F32(this.bias) };
  }

  static fromJSON(j: LinearMapJson): LinearMap {
    return new LinearMap(j.dIn, j.dOut, fromBase64F32(j.mean, j.dIn), fromBase64F32(j.weight, j.dIn * j.dOut), fromBase64F32(j.bias, j.dOut));
  }
}
