// A random 2-layer MLP (the hierarchical family): x = W₂·gelu(W₁·z + b₁) + b₂, with W₁ a
// width×k and W₂ a d×width random map of bounded condition number (linalg.ts), each scaled so
// its output has RMS `scale` on typical thoughts, and gelu(u) = u·Φ(u) in its tanh form. GELU
// is not monotone (it dips to −0.17 near u = −0.75), so the map is not invertible: `inverse`
// returns NaN.
import type { Rng } from '../../util/random.js';
import { layerSummary, type HiddenMap, type MixingSummary } from './hiddenMap.js';
import { randomInjectiveMap } from './linalg.js';

export interface MlpMapOptions {
  condition: number;
  /** Target RMS of W₁·z and of W₂·h on the calibration inputs. */
  scale: number;
  /** Bias standard deviation (default 0.1). */
  biasStd?: number;
}

interface Dense {
  n: number;
  m: number;
  /** Wᵀ, n×m row-major (gain included). */
  wt: Float64Array;
  bias: Float64Array;
  gain: number;
  singular: Float64Array;
}

const C = Math.sqrt(2 / Math.PI);

/** gelu(u) = ½u(1 + tanh(√(2/π)(u + 0.044715u³))). */
export function gelu(u: number): number {
  return 0.5 * u * (1 + Math.tanh(C * (u + 0.044715 * u * u * u)));
}

export class MlpMap implements HiddenMap {
  readonly stateSize = 0;
  private hidden = new Float64Array(0);

  private constructor(
    private readonly l1: Dense,
    private readonly l2: Dense,
  ) {}

  get inputSize(): number {
    return this.l1.n;
  }

  get outputSize(): number {
    return this.l2.m;
  }

  /** A random MLP k → width → d (k ≤ width ≤ d), gains calibrated on calRows × k inputs. */
  static random(rng: Rng, k: number, width: number, d: number, opts: MlpMapOptions, calibration: Float64Array, calRows: number): MlpMap {
    const l1 = dense(rng, k, width, opts);
    const h = new Float64Array(calRows * width);
    calibrate(l1, calibration, calRows, h, opts.scale);
    apply(l1, calibration, calRows, h, true);
    for (let i = 0; i < h.length; i++) h[i] = gelu(h[i]!);
    const l2 = dense(rng, width, d, opts);
    calibrate(l2, h, calRows, new Float64Array(calRows * d), opts.scale);
    return new MlpMap(l1, l2);
  }

  forward(input: Float64Array, rows: number, out: Float64Array): void {
    if (this.hidden.length < rows * this.l1.m) this.hidden = new Float64Array(rows * this.l1.m);
    const h = this.hidden;
    apply(this.l1, input, rows, h, true);
    for (let i = 0; i < rows * this.l1.m; i++) h[i] = gelu(h[i]!);
    apply(this.l2, h, rows, out, true);
  }

  inverse(): Float64Array {
    return new Float64Array(this.inputSize).fill(NaN);
  }

  summary(): MixingSummary {
    return {
      nonlinearity: 'gelu (not monotone, so the map is not invertible): x = W2*gelu(W1*z + b1) + b2',
      slope: 0,
      dims: [this.l1.n, this.l1.m, this.l2.m],
      layers: [this.l1, this.l2].map((l) => layerSummary(l.n, l.m, l.gain, l.singular)),
    };
  }

  describe(): string {
    return `synthetic: random 2-layer GELU MLP ${this.l1.n}→${this.l1.m}→${this.l2.m}`;
  }
}

function dense(rng: Rng, n: number, m: number, opts: MlpMapOptions): Dense {
  const { w, singular } = randomInjectiveMap(rng, m, n, opts.condition);
  const wt = new Float64Array(n * m);
  for (let o = 0; o < m; o++) for (let i = 0; i < n; i++) wt[i * m + o] = w[o * n + i]!;
  const bias = new Float64Array(m);
  for (let i = 0; i < m; i++) bias[i] = (opts.biasStd ?? 0.1) * rng.normal();
  return { n, m, wt, bias, gain: 1, singular };
}

/** Scales the layer so that W·x (no bias) has RMS `scale` over the calibration rows. */
function calibrate(l: Dense, x: Float64Array, rows: number, scratch: Float64Array, scale: number): void {
  apply(l, x, rows, scratch, false);
  let ss = 0;
  for (let i = 0; i < rows * l.m; i++) ss += scratch[i]! * scratch[i]!;
  const rms = Math.sqrt(ss / Math.max(1, rows * l.m));
  const g = scale / (rms > 1e-12 ? rms : 1);
  for (let i = 0; i < l.wt.length; i++) l.wt[i]! *= g;
  l.gain = g;
  l.singular = l.singular.map((s) => s * g);
}

/** y = x·Wᵀ (+ bias), skipping zero inputs. */
function apply(l: Dense, x: Float64Array, rows: number, y: Float64Array, withBias: boolean): void {
  const { n, m, wt, bias } = l;
  for (let r = 0; r < rows; r++) {
    const yo = r * m;
    for (let o = 0; o < m; o++) y[yo + o] = withBias ? bias[o]! : 0;
    for (let i = 0; i < n; i++) {
      const v = x[r * n + i]!;
      if (v === 0) continue;
      for (let o = 0; o < m; o++) y[yo + o]! += wt[i * m + o]! * v;
    }
  }
}
