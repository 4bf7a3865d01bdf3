// A one-layer, one-head causal transformer policy/value network with hand-written kernels.
// No positional encoding (a position input would be a clock, which teaches end-game
// defection; causal attention alone still lets it count roughly). No layer norm: one
// residual block is stable at this size.
//   x_t = Σ E[f]      q,k,v = x·Wq, x·Wk, x·Wv      a_t = softmax_{j≤t}(q_t·k_j / √d)
//   y_t = x_t + (Σ_j a_tj v_j)·Wo      h_t = y_t + relu(y_t·W1 + b1)·W2 + b2
//   logit = h_t·wp + bp      value = h_t·wv + bv      (h_t is the recorded hidden state)
import type { Rng } from '../../util/random.js';
import { type ModelConfig, type Param, type Rollout, type SeqModel } from './seqModel.js';

export interface TfRollout extends Rollout {
  x: Float64Array;
  q: Float64Array;
  k: Float64Array;
  v: Float64Array;
  att: Float64Array; // [t][i][j ≤ t] stored as (t·n + i)·T + j
  c: Float64Array;
  y: Float64Array;
  u: Float64Array;
  h: Float64Array;
  feats: Int32Array;
}

export class CausalTransformer implements SeqModel {
  readonly params: Param[];
  private readonly d: number;
  private readonly m: number;
  private readonly K: number;
  private readonly p: Record<string, Float64Array>;

  constructor(
    readonly cfg: ModelConfig,
    rng?: Rng,
  ) {
    const d = (this.d = cfg.hidden);
    const m = (this.m = cfg.ffn ?? 2 * d);
    this.K = cfg.featuresPerStep;
    const mk = (name: string, shape: number[], scale: number): Param => {
      const data = new Float64Array(shape.reduce((a, b) => a * b, 1));
      if (rng && scale > 0) for (let i = 0; i < data.length; i++) data[i] = (rng.next() * 2 - 1) * scale;
      return { name, shape, data };
    };
    const s = 1 / Math.sqrt(d);
    this.params = [
      mk('tf.embed', [cfg.inputs, d], 1),
      mk('tf.wq', [d, d], s),
      mk('tf.wk', [d, d], s),
      mk('tf.wv', [d, d], s),
      mk('tf.wo', [d, d], s),
      mk('tf.w1', [d, m], s),
      mk('tf.b1', [m], 0),
      mk('tf.w2', [m, d], 1 / Math.sqrt(m)),
      mk('tf.b2', [d], 0),
      mk('head.wp', [d], 0.1 * s),
      mk('head.bp', [1], 0),
      mk('head.wv', [d], 0.1 * s),
      mk('head.bv', [1], 0),
    ];
    this.p = Object.fromEntries(this.params.map((q) => [q.name, q.data]));
  }

  start(n: number, maxSteps: number): TfRollout {
    const { d, m } = this;
    const N = maxSteps * n;
    return {
      n,
      maxSteps,
      t: 0,
      logit: new Float64Array(N),
      value: new Float64Array(N),
      x: new Float64Array(N * d),
      q: new Float64Array(N * d),
      k: new Float64Array(N * d),
      v: new Float64Array(N * d),
      att: new Float64Array(N * maxSteps),
      c: new Float64Array(N * d),
      y: new Float64Array(N * d),
      u: new Float64Array(N * m),
      h: new Float64Array(N * d),
      feats: new Int32Array(N * this.K),
    };
  }

  step(rollout: Rollout, features: Int32Array): void {
    const ro = rollout as TfRollout;
    const { d, m, K } = this;
    const n = ro.n;
    const t = ro.t;
    const T = ro.maxSteps;
    const scale = 1 / Math.sqrt(d);
    ro.feats.set(features.subarray(0, n * K), t * n * K);
    for (let i = 0; i < n; i++) {
      const r = (t * n + i) * d;
      this.embedQkv(features, i * K, ro.x, ro.q, ro.k, ro.v, r);
      const ab = (t * n + i) * T;
      let mx = -Infinity;
      for (let j = 0; j <= t; j++) {
        const kr = (j * n + i) * d;
        let s = 0;
        for (let a = 0; a < d; a++) s += ro.q[r + a]! * ro.k[kr + a]!;
        s *= scale;
        ro.att[ab + j] = s;
        if (s > mx) mx = s;
      }
      let z = 0;
      for (let j = 0; j <= t; j++) z += ro.att[ab + j] = Math.exp(ro.att[ab + j]! - mx);
      for (let j = 0; j <= t; j++) ro.att[ab + j]! /= z;
      for (let a = 0; a < d; a++) ro.c[r + a] = 0;
      for (let j = 0; j <= t; j++) {
        const w = ro.att[ab + j]!;
        const vr = (j * n + i) * d;
        for (let a = 0; a < d; a++) ro.c[r + a]! += w * ro.v[vr + a]!;
      }
      this.finishToken(ro.x, ro.c, ro.y, ro.u, ro.h, r, (t * n + i) * m);
      ro.logit[t * n + i] = this.heads[0]!;
      ro.value[t * n + i] = this.heads[1]!;
    }
    ro.t++;
  }

  /** Logit and value of the last finishToken. */
  readonly heads = new Float64Array(2);

  /** A token's input x = Σ embed[features[fo…fo+K)] and its query, key and value rows, all at offset r. */
  embedQkv(features: Int32Array, fo: number, x: Float64Array, q: Float64Array, k: Float64Array, v: Float64Array, r: number): void {
    const { d, K } = this;
    const P = this.p;
    const E = P['tf.embed']!;
    for (let a = 0; a < d; a++) x[r + a] = 0;
    for (let f = 0; f < K; f++) {
      const row = features[fo + f]! * d;
      for (let a = 0; a < d; a++) x[r + a]! += E[row + a]!;
    }
    matVec(x, r, P['tf.wq']!, d, d, q, r);
    matVec(x, r, P['tf.wk']!, d, d, k, r);
    matVec(x, r, P['tf.wv']!, d, d, v, r);
  }

  /**
   * The rest of a token after attention (context c at r): y = x + c·Wo, h = y + relu(y·W1 + b1)·W2 + b2
   * (u at ur keeps the pre-activation), then the heads into `heads` (logit, value).
   */
  finishToken(x: Float64Array, c: Float64Array, y: Float64Array, u: Float64Array, h: Float64Array, r: number, ur: number): void {
    const { d, m } = this;
    const P = this.p;
    const [W1, b1, W2, b2, wp, wv] = [P['tf.w1']!, P['tf.b1']!, P['tf.w2']!, P['tf.b2']!, P['head.wp']!, P['head.wv']!];
    matVec(c, r, P['tf.wo']!, d, d, y, r);
    for (let a = 0; a < d; a++) y[r + a]! += x[r + a]!;
    matVec(y, r, W1, d, m, u, ur);
    for (let b = 0; b < m; b++) u[ur + b]! += b1[b]!;
    for (let a = 0; a < d; a++) h[r + a] = y[r + a]! + b2[a]!;
    for (let b = 0; b < m; b++) {
      const ub = u[ur + b]!;
      if (ub <= 0) continue;
      const row = b * d;
      for (let a = 0; a < d; a++) h[r + a]! += ub * W2[row + a]!;
    }
    let logit = P['head.bp']![0]!;
    let value = P['head.bv']![0]!;
    for (let a = 0; a < d; a++) {
      logit += h[r + a]! * wp[a]!;
      value += h[r + a]! * wv[a]!;
    }
    this.heads[0] = logit;
    this.heads[1] = value;
  }

  hiddenAt(rollout: Rollout, t: number, out: Float32Array | Float64Array): void {
    const ro = rollout as TfRollout;
    const len = ro.n * this.d;
    for (let i = 0; i < len; i++) out[i] = ro.h[t * len + i]!;
  }

  backward(rollout: Rollout, dLogit: Float64Array, dValue: Float64Array, grads: Float64Array[]): void {
    const ro = rollout as TfRollout;
    const { d, m, K } = this;
    const P = this.p;
    const G = Object.fromEntries(this.params.map((q, i) => [q.name, grads[i]!])) as Record<string, Float64Array>;
    const n = ro.n;
    const T = ro.t;
    const TT = ro.maxSteps;
    const scale = 1 / Math.sqrt(d);
    const dq = new Float64Array(T * d);
    const dk = new Float64Array(T * d);
    const dv = new Float64Array(T * d);
    const dh = new Float64Array(d);
    const dy = new Float64Array(d);
    const du = new Float64Array(m);
    const dc = new Float64Array(d);
    const dx = new Float64Array(d);
    const da = new Float64Array(TT);
    for (let i = 0; i < n; i++) {
      dk.fill(0);
      dv.fill(0);
      for (let t = T - 1; t >= 0; t--) {
        const row = t * n + i;
        const r = row * d;
        const ur = row * m;
        const dl = dLogit[row]!;
        const dvl = dValue[row]!;
        G['head.bp']![0]! += dl;
        G['head.bv']![0]! += dvl;
        for (let a = 0; a < d; a++) {
          G['head.wp']![a]! += dl * ro.h[r + a]!;
          G['head.wv']![a]! += dvl * ro.h[r + a]!;
          dh[a] = dl * P['head.wp']![a]! + dvl * P['head.wv']![a]!;
          G['tf.b2']![a]! += dh[a]!;
          dy[a] = dh[a]!;
        }
        // FFN
        const W2 = P['tf.w2']!;
        const W1 = P['tf.w1']!;
        for (let b = 0; b < m; b++) {
          const ub = ro.u[ur + b]!;
          if (ub <= 0) {
            du[b] = 0;
            continue;
          }
          let s = 0;
          for (let a = 0; a < d; a++) {
            G['tf.w2']![b * d + a]! += ub * dh[a]!;
            s += W2[b * d + a]! * dh[a]!;
          }
          du[b] = s;
          G['tf.b1']![b]! += s;
        }
        for (let a = 0; a < d; a++) {
          const ya = ro.y[r + a]!;
          let s = 0;
          for (let b = 0; b < m; b++) {
            G['tf.w1']![a * m + b]! += ya * du[b]!;
            s += W1[a * m + b]! * du[b]!;
          }
          dy[a]! += s;
        }
        // output projection
        const Wo = P['tf.wo']!;
        for (let a = 0; a < d; a++) {
          const ca = ro.c[r + a]!;
          let s = 0;
          for (let b = 0; b < d; b++) {
            G['tf.wo']![a * d + b]! += ca * dy[b]!;
            s += Wo[a * d + b]! * dy[b]!;
          }
          dc[a] = s;
          dx[a] = dy[a]!; // residual
        }
        // attention
        const ab = row * TT;
        let dot = 0;
        for (let j = 0; j <= t; j++) {
          const vr = (j * n + i) * d;
          let s = 0;
          for (let a = 0; a < d; a++) s += dc[a]! * ro.v[vr + a]!;
          da[j] = s;
          dot += ro.att[ab + j]! * s;
        }
        for (let j = 0; j <= t; j++) {
          const w = ro.att[ab + j]!;
          const ds = w * (da[j]! - dot) * scale;
          const kr = (j * n + i) * d;
          for (let a = 0; a < d; a++) {
            dv[j * d + a]! += w * dc[a]!;
            dq[t * d + a]! += ds * ro.k[kr + a]!;
            dk[j * d + a]! += ds * ro.q[r + a]!;
          }
        }
        // stash the residual part of dx in dq's slot? keep separately: apply embedding now
        for (let f = 0; f < K; f++) {
          const er = ro.feats[row * K + f]! * d;
          for (let a = 0; a < d; a++) G['tf.embed']![er + a]! += dx[a]!;
        }
      }
      // projections q, k, v of every step (dq is final once all later steps are done: it only gets row t)
      for (let t = 0; t < T; t++) {
        const row = t * n + i;
        const r = row * d;
        dx.fill(0);
        for (const [w, gname, src] of [
          ['tf.wq', 'tf.wq', dq],
          ['tf.wk', 'tf.wk', dk],
          ['tf.wv', 'tf.wv', dv],
        ] as const) {
          const W = P[w]!;
          const GW = G[gname]!;
          for (let a = 0; a < d; a++) {
            const xa = ro.x[r + a]!;
            let s = 0;
            for (let b = 0; b < d; b++) {
              const g = src[t * d + b]!;
              GW[a * d + b]! += xa * g;
              s += W[a * d + b]! * g;
            }
            dx[a]! += s;
          }
        }
        for (let f = 0; f < K; f++) {
          const er = ro.feats[row * K + f]! * d;
          for (let a = 0; a < d; a++) G['tf.embed']![er + a]! += dx[a]!;
        }
      }
      dq.fill(0);
    }
  }
}

/** out[o..o+cols) = x[xo..xo+rows) · W (rows × cols, row-major). */
function matVec(x: Float64Array, xo: number, W: Float64Array, rows: number, cols: number, out: Float64Array, o: number): void {
  for (let b = 0; b < cols; b++) out[o + b] = 0;
  for (let a = 0; a < rows; a++) {
    const xa = x[xo + a]!;
    if (xa === 0) continue;
    const row = a * cols;
    for (let b = 0; b < cols; b++) out[o + b]! += xa * W[row + b]!;
  }
}
