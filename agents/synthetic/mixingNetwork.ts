// An agent's random invertible nonlinear mixing: layers h_l = φ(W_l h_{l−1} + b_l) with
// φ(u) = tanh(u) + α·u (strictly increasing, so a bijection of ℝ) and W_l = g_l·Q·diag(s)·R
// (Q orthonormal columns, R orthogonal, s log-uniform in [1/condition, 1]): injective with a
// bounded condition number. Gains g_l are calibrated so pre-activations have RMS `scale`
// (default 1) on typical thoughts, which keeps φ in its nonlinear range. Dimensions never decrease, so the
// whole map is injective and `inverse` recovers the thoughts from a noise-free state.
// With activation 'identity' (the linear-correlated family) every φ is the identity.
import type { Rng } from '../../util/random.js';
import { layerSummary, type HiddenMap, type MixingSummary } from './hiddenMap.js';
import { randomInjectiveMap } from './linalg.js';
import { transpose } from '../../util/matrix.js';

export type MixingActivation = 'leaky-tanh' | 'identity';

export interface MixingLayer {
  inSize: number;
  outSize: number;
  /** Wᵀ, in×out row-major (the sparse forward pass accumulates rows of it). */
  wt: Float64Array;
  /** W, out×in row-major (the dense forward pass takes dot products with its rows). */
  w: Float64Array;
  bias: Float64Array;
  /** W⁺ = W's left inverse, in×out row-major. */
  pinv: Float64Array;
  gain: number;
  /** Singular values of W (gain included), descending. */
  singular: Float64Array;
}

export interface MixingBuildOptions {
  condition: number;
  slope: number;
  /** Target RMS of each layer's pre-activations on the calibration inputs (default 1). */
  scale?: number;
  /** Bias standard deviation (default 0.1). */
  biasStd?: number;
  /** The nonlinearity φ of every layer (default 'leaky-tanh'). */
  activation?: MixingActivation;
}

export class MixingNetwork implements HiddenMap {
  readonly layers: readonly MixingLayer[];
  readonly slope: number;
  readonly activation: MixingActivation;
  readonly stateSize = 0;
  private scratch: Float64Array[] = [];

  constructor(layers: MixingLayer[], slope: number, activation: MixingActivation = 'leaky-tanh') {
    this.layers = layers;
    this.slope = slope;
    this.activation = activation;
  }

  get inputSize(): number {
    return this.layers[0]!.inSize;
  }

  get outputSize(): number {
    return this.layers[this.layers.length - 1]!.outSize;
  }

  /**
   * A random network through `dims` (non-decreasing), gains calibrated on `calibration`
   * (calRows × dims[0] typical inputs).
   */
  static random(rng: Rng, dims: number[], opts: MixingBuildOptions, calibration: Float64Array, calRows: number): MixingNetwork {
    const layers: MixingLayer[] = [];
    let h: Float64Array = calibration;
    for (let l = 0; l + 1 < dims.length; l++) {
      const n = dims[l]!;
      const m = dims[l + 1]!;
      const { w, pinv, singular: s } = randomInjectiveMap(rng, m, n, opts.condition);
      const bias = new Float64Array(m);
      for (let i = 0; i < m; i++) bias[i] = (opts.biasStd ?? 0.1) * rng.normal();
      const layer: MixingLayer = { inSize: n, outSize: m, wt: transpose(w, m, n), w, bias, pinv, gain: 1, singular: s };
      // Calibrate: RMS of W·h over the calibration inputs = scale.
      const pre = new Float64Array(calRows * m);
      linear(layer, h, calRows, pre, false);
      let ss = 0;
      for (let i = 0; i < pre.length; i++) ss += pre[i]! * pre[i]!;
      const rms = Math.sqrt(ss / Math.max(1, pre.length));
      const g = (opts.scale ?? 1) / (rms > 1e-12 ? rms : 1);
      for (let i = 0; i < layer.wt.length; i++) {
        layer.wt[i]! *= g;
        layer.w[i]! *= g;
      }
      for (let i = 0; i < layer.pinv.length; i++) layer.pinv[i]! /= g;
      layer.gain = g;
      layer.singular = s.map((x) => x * g);
      layers.push(layer);
      const next = new Float64Array(calRows * m);
      linear(layer, h, calRows, next, true);
      if (opts.activation !== 'identity') activate(next, next.length, opts.slope);
      h = next;
    }
    return new MixingNetwork(layers, opts.slope, opts.activation);
  }

  /** Maps `rows` inputs (rows × inputSize) to outputs (rows × outputSize), noise-free. */
  forward(input: Float64Array, rows: number, out: Float64Array): void {
    let x = input;
    this.layers.forEach((layer, l) => {
      const last = l === this.layers.length - 1;
      const y = last ? out : this.buffer(l, rows * layer.outSize);
      // The first layer sees sparse thoughts: skip zeros. Later layers are dense.
      if (l === 0) linear(layer, x, rows, y, true);
      else linearDense(layer, x, rows, y);
      if (this.activation !== 'identity') activate(y, rows * layer.outSize, this.slope);
      x = y;
    });
  }

  /** Recovers the input of one noise-free output row (least squares at each linear map). */
  inverse(output: ArrayLike<number>): Float64Array {
    let y = Float64Array.from(output as ArrayLike<number>);
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const layer = this.layers[l]!;
      const n = layer.inSize;
      const m = layer.outSize;
      const u = new Float64Array(m);
      const linear = this.activation === 'identity';
      for (let o = 0; o < m; o++) u[o] = (linear ? y[o]! : invertActivation(y[o]!, this.slope)) - layer.bias[o]!;
      const x = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let acc = 0;
        for (let o = 0; o < m; o++) acc += layer.pinv[i * m + o]! * u[o]!;
        x[i] = acc;
      }
      y = x;
    }
    return y;
  }

  summary(): MixingSummary {
    return {
      nonlinearity: this.activation === 'identity' ? 'identity: a linear map W h + b per layer' : 'leaky-tanh: phi(u) = tanh(u) + slope*u',
      slope: this.slope,
      dims: [this.inputSize, ...this.layers.map((l) => l.outSize)],
      layers: this.layers.map((l) => layerSummary(l.inSize, l.outSize, l.gain, l.singular)),
    };
  }

  describe(): string {
    const inner = this.layers.slice(0, -1).map((l) => l.outSize);
    return this.activation === 'identity'
      ? `synthetic: linear map ${this.inputSize}→${this.outputSize}`
      : `synthetic: invertible leaky-tanh mixing, depth ${this.layers.length}${inner.length ? `, width ${inner[0]}` : ''}`;
  }

  private buffer(l: number, size: number): Float64Array {
    let b = this.scratch[l];
    if (!b || b.length < size) {
      b = new Float64Array(size);
      this.scratch[l] = b;
    }
    return b;
  }
}

/** y = x·Wᵀ (+ bias), skipping zero inputs (thoughts are sparse). */
function linear(layer: MixingLayer, x: Float64Array, rows: number, y: Float64Array, withBias: boolean): void {
  const { inSize: n, outSize: m, wt, bias } = layer;
  for (let r = 0; r < rows; r++) {
    const yo = r * m;
    const xo = r * n;
    if (withBias) for (let o = 0; o < m; o++) y[yo + o] = bias[o]!;
    else y.fill(0, yo, yo + m);
    for (let i = 0; i < n; i++) {
      const v = x[xo + i]!;
      if (v === 0) continue;
      const wo = i * m;
      for (let o = 0; o < m; o++) y[yo + o]! += wt[wo + o]! * v;
    }
  }
}

/** y = x·Wᵀ + bias for dense x: dot products, four rows at a time to reuse each weight load. */
function linearDense(layer: MixingLayer, x: Float64Array, rows: number, y: Float64Array): void {
  const { inSize: n, outSize: m, w, bias } = layer;
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const x0 = r * n;
    const x1 = x0 + n;
    const x2 = x1 + n;
    const x3 = x2 + n;
    for (let o = 0; o < m; o++) {
      const wo = o * n;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let i = 0; i < n; i++) {
        const wv = w[wo + i]!;
        a0 += wv * x[x0 + i]!;
        a1 += wv * x[x1 + i]!;
        a2 += wv * x[x2 + i]!;
        a3 += wv * x[x3 + i]!;
      }
      const b = bias[o]!;
      y[r * m + o] = a0 + b;
      y[(r + 1) * m + o] = a1 + b;
      y[(r + 2) * m + o] = a2 + b;
      y[(r + 3) * m + o] = a3 + b;
    }
  }
  for (; r < rows; r++) {
    const xo = r * n;
    for (let o = 0; o < m; o++) {
      const wo = o * n;
      let acc = 0;
      for (let i = 0; i < n; i++) acc += w[wo + i]! * x[xo + i]!;
      y[r * m + o] = acc + bias[o]!;
    }
  }
}

function activate(y: Float64Array, n: number, slope: number): void {
  for (let i = 0; i < n; i++) {
    const u = y[i]!;
    y[i] = Math.tanh(u) + slope * u;
  }
}

/** Solves tanh(u) + α·u = y (safeguarded Newton; the root lies in [(y−1)/α, (y+1)/α]). */
export function invertActivation(y: number, slope: number): number {
  let lo = (y - 1) / slope;
  let hi = (y + 1) / slope;
  let u = y / (1 + slope);
  for (let it = 0; it < 100; it++) {
    const t = Math.tanh(u);
    const f = t + slope * u - y;
    if (f === 0) return u;
    if (f > 0) hi = u;
    else lo = u;
    let next = u - f / (1 - t * t + slope);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - u) <= 1e-15 * Math.max(1, Math.abs(u))) return next;
    u = next;
  }
  return u;
}
