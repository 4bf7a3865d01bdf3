// A transformer-like map (the layernorm-residual family): an embedding and LayerNorm, then one
// residual block with a ReLU MLP,
//   u = A·z + b,   y = γ ⊙ (u − mean(u)) / √(var(u) + ε) + β,   x = y + W₂·relu(W₁·y + b₁).
// A = c·E·diag(g): E a random injective d×k map of bounded condition number with unit columns,
// g the agent's per-thought read gains, c calibrated so A·z has RMS `scale` on typical
// thoughts; b a random bias of RMS offset·scale (without it LayerNorm would erase the scale of
// z); γ = exp(0.1·N), β = 0.1·N. W₁ (width×d) and W₂ (d×width) are Gaussian, W₁ calibrated so
// W₁·y has RMS 1 and W₂ so the branch has RMS mlp × the RMS of y.
// Inverse: when the branch is a contraction (‖W₂‖·‖W₁‖ < 1, ReLU being 1-Lipschitz), y is the
// fixed point of y = x − W₂·relu(W₁·y + b₁); then (y − β)/γ = (u − μ)/s, and A·z − μ·1 − s·n = −b
// is d linear equations in the k + 2 unknowns (z, μ, s), solved by least squares (needs
// d ≥ k + 2 and offset > 0). Otherwise `inverse` returns NaN (no inverse is guaranteed).
import { choleskySolve } from '../../util/choleskySolve.js';
import type { Rng } from '../../util/random.js';
import { layerSummary, type HiddenMap, type MixingSummary } from './hiddenMap.js';
import { randomInjectiveMap, symmetricEigenvalues } from './linalg.js';

export interface LayerNormResidualOptions {
  /** Per input thought, the gain it is read at (> 0). */
  gains: ArrayLike<number>;
  /** Largest condition number of E before its columns are set to unit length. */
  condition: number;
  /** Target RMS of A·z on the calibration inputs. */
  scale: number;
  /** RMS of the bias b relative to `scale` (0: no bias). */
  offset: number;
  /** Width of the MLP's hidden layer. */
  width: number;
  /** RMS of the MLP branch relative to the RMS of the LayerNorm output (0: no branch). */
  mlp: number;
  /** LayerNorm ε (default 1e-5). */
  epsilon?: number;
}

const FIXED_POINT_ITERATIONS = 20000;

export class LayerNormResidualMap implements HiddenMap {
  readonly stateSize = 0;
  private scratch = new Float64Array(0);

  private constructor(
    /** Aᵀ, k×d row-major (column j of A = what thought j adds before the LayerNorm). */
    private readonly at: Float64Array,
    private readonly bias: Float64Array,
    private readonly gamma: Float64Array,
    private readonly beta: Float64Array,
    /** W₁, width×d row-major. */
    private readonly w1: Float64Array,
    private readonly b1: Float64Array,
    /** W₂ᵀ, width×d row-major. */
    private readonly w2t: Float64Array,
    private readonly epsilon: number,
    private readonly info: {
      gains: number[];
      offset: number;
      mlp: number;
      lipschitzBound: number;
      layers: MixingSummary['layers'];
    },
  ) {}

  get inputSize(): number {
    return this.at.length / this.bias.length;
  }

  get outputSize(): number {
    return this.bias.length;
  }

  get width(): number {
    return this.b1.length;
  }

  /** ‖W₂‖·‖W₁‖: a bound on the Lipschitz constant of the MLP branch. */
  get lipschitzBound(): number {
    return this.info.lipschitzBound;
  }

  /** Whether `inverse` recovers the thoughts (a contracting branch, a bias, d ≥ k + 2). */
  get invertible(): boolean {
    return this.info.lipschitzBound < 1 && this.info.offset > 0 && this.outputSize >= this.inputSize + 2;
  }

  /** A (d×k) as rows of Aᵀ: row j is thought j's direction before the LayerNorm, length ∝ its gain. */
  embedding(): Float64Array {
    return this.at.slice();
  }

  static random(rng: Rng, k: number, d: number, opts: LayerNormResidualOptions, calibration: Float64Array, calRows: number): LayerNormResidualMap {
    const eps = opts.epsilon ?? 1e-5;
    const width = Math.max(1, opts.width);
    // Embedding: unit columns of a well-conditioned injective map, times the gains, times c.
    const { w: e } = randomInjectiveMap(rng, d, k, opts.condition); // d×k
    const at = new Float64Array(k * d);
    for (let j = 0; j < k; j++) {
      let n2 = 0;
      for (let o = 0; o < d; o++) n2 += e[o * k + j]! * e[o * k + j]!;
      const f = opts.gains[j]! / Math.sqrt(n2);
      for (let o = 0; o < d; o++) at[j * d + o] = e[o * k + j]! * f;
    }
    const u = new Float64Array(calRows * d);
    embed(at, new Float64Array(d), calibration, calRows, k, d, u);
    const c = opts.scale / nonzero(rms(u));
    for (let i = 0; i < at.length; i++) at[i]! *= c;
    const bias = new Float64Array(d);
    for (let o = 0; o < d; o++) bias[o] = rng.normal();
    const bScale = (opts.offset * opts.scale) / nonzero(rms(bias));
    for (let o = 0; o < d; o++) bias[o]! *= bScale;
    const gamma = new Float64Array(d);
    const beta = new Float64Array(d);
    for (let o = 0; o < d; o++) gamma[o] = Math.exp(0.1 * rng.normal());
    for (let o = 0; o < d; o++) beta[o] = 0.1 * rng.normal();
    // The LayerNorm output on the calibration rows.
    const y = new Float64Array(calRows * d);
    embed(at, bias, calibration, calRows, k, d, y);
    for (let r = 0; r < calRows; r++) layerNorm(y, r * d, d, gamma, beta, eps);
    // MLP: W₁ with W₁·y of RMS 1, W₂ with a branch of RMS mlp·RMS(y).
    const w1 = gaussian(rng, width * d);
    const b1 = new Float64Array(width);
    for (let i = 0; i < width; i++) b1[i] = 0.1 * rng.normal();
    const pre = new Float64Array(calRows * width);
    for (let r = 0; r < calRows; r++) matVec(w1, width, d, y, r * d, null, pre, r * width);
    const g1 = 1 / nonzero(rms(pre));
    for (let i = 0; i < w1.length; i++) w1[i]! *= g1;
    const w2t = gaussian(rng, width * d);
    const branch = new Float64Array(calRows * d);
    const h = new Float64Array(width);
    for (let r = 0; r < calRows; r++) {
      matVec(w1, width, d, y, r * d, b1, h, 0);
      for (let i = 0; i < width; i++) if (h[i]! < 0) h[i] = 0;
      accumulate(w2t, width, d, h, branch, r * d);
    }
    const g2 = (opts.mlp * rms(y)) / nonzero(rms(branch));
    for (let i = 0; i < w2t.length; i++) w2t[i]! *= g2;
    const sA = singularValues(at, k, d);
    const s1 = singularValues(w1, width, d);
    const s2 = singularValues(w2t, width, d);
    const lipschitzBound = round(s1[0]! * s2[0]!);
    // Without a branch (mlp = 0) only the embedding is a layer worth describing.
    const layers = [layerSummary(k, d, c, sA), ...(g2 > 0 ? [layerSummary(d, width, g1, s1), layerSummary(width, d, g2, s2)] : [])];
    return new LayerNormResidualMap(at, bias, gamma, beta, w1, b1, w2t, eps, {
      gains: Array.from(opts.gains, round),
      offset: opts.offset,
      mlp: opts.mlp,
      lipschitzBound,
      layers,
    });
  }

  forward(input: Float64Array, rows: number, out: Float64Array): void {
    const k = this.inputSize;
    const d = this.outputSize;
    const width = this.width;
    if (this.scratch.length < width) this.scratch = new Float64Array(width);
    const h = this.scratch;
    embed(this.at, this.bias, input, rows, k, d, out);
    for (let r = 0; r < rows; r++) {
      layerNorm(out, r * d, d, this.gamma, this.beta, this.epsilon);
      matVec(this.w1, width, d, out, r * d, this.b1, h, 0);
      for (let i = 0; i < width; i++) if (h[i]! < 0) h[i] = 0;
      accumulate(this.w2t, width, d, h, out, r * d);
    }
  }

  inverse(output: ArrayLike<number>): Float64Array {
    const k = this.inputSize;
    const d = this.outputSize;
    const fail = () => new Float64Array(k).fill(NaN);
    if (!this.invertible) return fail();
    const width = this.width;
    const x = Float64Array.from(output);
    // y = x − W₂·relu(W₁·y + b₁): a contraction, so plain iteration converges.
    const y = Float64Array.from(x);
    const next = new Float64Array(d);
    const h = new Float64Array(width);
    let converged = false;
    for (let it = 0; it < FIXED_POINT_ITERATIONS && !converged; it++) {
      matVec(this.w1, width, d, y, 0, this.b1, h, 0);
      for (let i = 0; i < width; i++) if (h[i]! < 0) h[i] = 0;
      next.set(x);
      for (let i = 0; i < width; i++) {
        const v = h[i]!;
        if (v === 0) continue;
        for (let o = 0; o < d; o++) next[o]! -= this.w2t[i * d + o]! * v;
      }
      let change = 0;
      let size = 0;
      for (let o = 0; o < d; o++) {
        change = Math.max(change, Math.abs(next[o]! - y[o]!));
        size = Math.max(size, Math.abs(next[o]!));
      }
      y.set(next);
      converged = change <= 1e-14 * (1 + size);
    }
    if (!converged) return fail();
    // (y − β)/γ = n = (u − μ)/s; least squares for (z, μ, s) in A·z − μ·1 − s·n = −b.
    const p = k + 2;
    const m = new Float64Array(d * p);
    for (let o = 0; o < d; o++) {
      for (let j = 0; j < k; j++) m[o * p + j] = this.at[j * d + o]!;
      m[o * p + k] = -1;
      m[o * p + k + 1] = -(y[o]! - this.beta[o]!) / this.gamma[o]!;
    }
    const mtm = new Float64Array(p * p);
    const rhs = new Float64Array(p);
    for (let a = 0; a < p; a++) {
      for (let b = a; b < p; b++) {
        let acc = 0;
        for (let o = 0; o < d; o++) acc += m[o * p + a]! * m[o * p + b]!;
        mtm[a * p + b] = acc;
        mtm[b * p + a] = acc;
      }
      let acc = 0;
      for (let o = 0; o < d; o++) acc -= m[o * p + a]! * this.bias[o]!;
      rhs[a] = acc;
    }
    const sol = choleskySolve(mtm, p, rhs, 1);
    if (!sol || !(sol[k + 1]! > 0)) return fail();
    return sol.slice(0, k);
  }

  summary(): MixingSummary {
    const { offset, mlp, lipschitzBound, layers } = this.info;
    return {
      nonlinearity: 'layer norm, then a residual ReLU MLP block: x = y + W2*relu(W1*y + b1), y = LayerNorm(A*z + b)',
      slope: 0,
      dims: [this.inputSize, this.outputSize, this.width, this.outputSize],
      layers,
      layerNorm: { epsilon: this.epsilon, offset, mlp, lipschitzBound, invertible: this.invertible },
    };
  }

  describe(): string {
    return `synthetic: embedding + LayerNorm + residual ReLU MLP ${this.inputSize}→${this.outputSize}→${this.width}→${this.outputSize}`;
  }
}

/** y[r] = b + Σ_j z[r, j]·Aᵀ[j] (sparse z: zeros skipped). */
function embed(at: Float64Array, bias: Float64Array, z: Float64Array, rows: number, k: number, d: number, y: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    const yo = r * d;
    y.set(bias, yo);
    for (let j = 0; j < k; j++) {
      const v = z[r * k + j]!;
      if (v === 0) continue;
      for (let o = 0; o < d; o++) y[yo + o]! += at[j * d + o]! * v;
    }
  }
}

/** In place on y[at .. at + d): γ ⊙ (y − mean) / √(var + ε) + β. */
function layerNorm(y: Float64Array, at: number, d: number, gamma: Float64Array, beta: Float64Array, eps: number): void {
  let mean = 0;
  for (let o = 0; o < d; o++) mean += y[at + o]!;
  mean /= d;
  let v = 0;
  for (let o = 0; o < d; o++) v += (y[at + o]! - mean) ** 2;
  const inv = 1 / Math.sqrt(v / d + eps);
  for (let o = 0; o < d; o++) y[at + o] = gamma[o]! * (y[at + o]! - mean) * inv + beta[o]!;
}

/** out[oo .. oo + m) = W·x[xo .. xo + n) (+ bias), W m×n row-major. */
function matVec(w: Float64Array, m: number, n: number, x: Float64Array, xo: number, bias: Float64Array | null, out: Float64Array, oo: number): void {
  for (let i = 0; i < m; i++) {
    let acc = bias ? bias[i]! : 0;
    for (let o = 0; o < n; o++) acc += w[i * n + o]! * x[xo + o]!;
    out[oo + i] = acc;
  }
}

/** out[oo .. oo + d) += Σ_i h_i·Wᵀ[i] (Wᵀ width×d row-major; zeros of h skipped). */
function accumulate(wt: Float64Array, width: number, d: number, h: Float64Array, out: Float64Array, oo: number): void {
  for (let i = 0; i < width; i++) {
    const v = h[i]!;
    if (v === 0) continue;
    for (let o = 0; o < d; o++) out[oo + o]! += wt[i * d + o]! * v;
  }
}

function gaussian(rng: Rng, n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = rng.normal();
  return w;
}

/** Nonzero singular values (descending) of an m×n row-major matrix, from the smaller Gram matrix. */
function singularValues(a: Float64Array, m: number, n: number): Float64Array {
  const small = Math.min(m, n);
  const g = new Float64Array(small * small);
  for (let p = 0; p < small; p++) {
    for (let q = p; q < small; q++) {
      let acc = 0;
      if (m <= n) for (let o = 0; o < n; o++) acc += a[p * n + o]! * a[q * n + o]!;
      else for (let o = 0; o < m; o++) acc += a[o * n + p]! * a[o * n + q]!;
      g[p * small + q] = acc;
      g[q * small + p] = acc;
    }
  }
  return symmetricEigenvalues(g, small).map((e) => Math.sqrt(Math.max(0, e)));
}

function rms(x: Float64Array): number {
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += x[i]! * x[i]!;
  return Math.sqrt(ss / Math.max(1, x.length));
}

function nonzero(x: number): number {
  return x > 1e-12 ? x : 1;
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
