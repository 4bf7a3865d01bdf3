// A map with memory (the recurrent family): h_t = φ(leak·R·h_{t−1} + g·M·z_t + b), with
// φ(u) = tanh(u) + slope·u, R a random orthogonal d×d matrix, M a random injective d×k map of
// bounded condition number (gain g set so g·M·z has RMS `scale` on typical thoughts), b a
// small bias and h_{−1} = 0 at each episode's start. The hidden state so carries the
// episode's history; given the previous state, z_t = (g·M)⁺(φ⁻¹(h_t) − leak·R·h_{t−1} − b).
import type { Rng } from '../../util/random.js';
import { layerSummary, type HiddenMap, type MixingSummary } from './hiddenMap.js';
import { randomInjectiveMap, randomOrthonormalColumns } from './linalg.js';
import { invertActivation } from './mixingNetwork.js';

export interface RecurrentMapOptions {
  /** ρ: weight of the previous state, in [0, 1). */
  leak: number;
  condition: number;
  slope: number;
  /** Target RMS of g·M·z on the calibration inputs. */
  scale: number;
  /** Bias standard deviation (default 0.1). */
  biasStd?: number;
}

export class RecurrentMap implements HiddenMap {
  readonly inputSize: number;
  readonly outputSize: number;
  readonly stateSize: number;
  private readonly pre: Float64Array;

  private constructor(
    private readonly mt: Float64Array, // (g·M)ᵀ, k×d
    private readonly pinv: Float64Array, // (g·M)⁺, k×d
    private readonly r: Float64Array, // R, d×d
    private readonly bias: Float64Array,
    private readonly gain: number,
    private readonly singular: Float64Array,
    readonly leak: number,
    readonly slope: number,
  ) {
    this.outputSize = bias.length;
    this.stateSize = bias.length;
    this.inputSize = mt.length / bias.length;
    this.pre = new Float64Array(bias.length);
  }

  /** A random map from k thoughts to d hidden units, its gain calibrated on calRows × k inputs. */
  static random(rng: Rng, k: number, d: number, opts: RecurrentMapOptions, calibration: Float64Array, calRows: number): RecurrentMap {
    const { w, pinv, singular } = randomInjectiveMap(rng, d, k, opts.condition); // w: d×k, pinv: k×d
    const r = randomOrthonormalColumns(rng, d, d);
    const bias = new Float64Array(d);
    for (let i = 0; i < d; i++) bias[i] = (opts.biasStd ?? 0.1) * rng.normal();
    let ss = 0;
    for (let row = 0; row < calRows; row++) {
      for (let o = 0; o < d; o++) {
        let acc = 0;
        for (let i = 0; i < k; i++) acc += w[o * k + i]! * calibration[row * k + i]!;
        ss += acc * acc;
      }
    }
    const rms = Math.sqrt(ss / Math.max(1, calRows * d));
    const g = opts.scale / (rms > 1e-12 ? rms : 1);
    const mt = new Float64Array(k * d);
    for (let o = 0; o < d; o++) for (let i = 0; i < k; i++) mt[i * d + o] = g * w[o * k + i]!;
    for (let i = 0; i < pinv.length; i++) pinv[i]! /= g;
    return new RecurrentMap(mt, pinv, r, bias, g, singular.map((x) => x * g), opts.leak, opts.slope);
  }

  forward(input: Float64Array, rows: number, out: Float64Array, state?: Float64Array): void {
    const d = this.outputSize;
    const k = this.inputSize;
    const h = state ?? new Float64Array(d);
    const { pre, mt, r, bias, leak, slope } = this;
    for (let row = 0; row < rows; row++) {
      for (let o = 0; o < d; o++) {
        let acc = 0;
        for (let i = 0; i < d; i++) acc += r[o * d + i]! * h[i]!;
        pre[o] = bias[o]! + leak * acc;
      }
      for (let i = 0; i < k; i++) {
        const v = input[row * k + i]!;
        if (v === 0) continue;
        for (let o = 0; o < d; o++) pre[o]! += mt[i * d + o]! * v;
      }
      for (let o = 0; o < d; o++) {
        const u = pre[o]!;
        const y = Math.tanh(u) + slope * u;
        h[o] = y;
        out[row * d + o] = y;
      }
    }
  }

  inverse(output: ArrayLike<number>, previous?: ArrayLike<number>): Float64Array {
    const d = this.outputSize;
    const k = this.inputSize;
    const u = new Float64Array(d);
    for (let o = 0; o < d; o++) {
      let acc = 0;
      if (previous) for (let i = 0; i < d; i++) acc += this.r[o * d + i]! * previous[i]!;
      u[o] = invertActivation(output[o]!, this.slope) - this.bias[o]! - this.leak * acc;
    }
    const z = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      let acc = 0;
      for (let o = 0; o < d; o++) acc += this.pinv[i * d + o]! * u[o]!;
      z[i] = acc;
    }
    return z;
  }

  summary(): MixingSummary {
    return {
      nonlinearity: 'leaky-tanh: phi(u) = tanh(u) + slope*u',
      slope: this.slope,
      dims: [this.inputSize, this.outputSize],
      layers: [layerSummary(this.inputSize, this.outputSize, this.gain, this.singular)],
      recurrence: { leak: this.leak, matrix: `random orthogonal ${this.outputSize}x${this.outputSize}: h_t = phi(leak*R*h_{t-1} + W*z_t + b), h_{-1} = 0` },
    };
  }

  describe(): string {
    return `synthetic: recurrent leaky-tanh map ${this.inputSize}→${this.outputSize}, leak ${this.leak}`;
  }
}
