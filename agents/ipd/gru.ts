// A GRU policy/value network with hand-written forward and backprop-through-time kernels.
//   r = σ(x·Wx_r + h·Wh_r + b_r)      z = σ(x·Wx_z + h·Wh_z + b_z)
//   n = tanh(x·Wx_n + b_n + r ⊙ (h·Wh_n + bhn))      h' = (1 − z) ⊙ n + z ⊙ h
//   logit = h'·wp + bp  (P(C) = σ(logit))      value = h'·wv + bv
// x is multi-hot, so x·Wx is a sum of rows of Wx. h' is the recorded hidden state.
import type { Rng } from '../../util/random.js';
import { sigmoid, type ModelConfig, type Param, type Rollout, type SeqModel } from './seqModel.js';

interface GruRollout extends Rollout {
  /** h_0 … h_T, (T+1)·n·H; h_0 = 0. */
  hs: Float64Array;
  r: Float64Array;
  z: Float64Array;
  nn: Float64Array;
  hn: Float64Array;
  feats: Int32Array;
}

export class Gru implements SeqModel {
  readonly params: Param[];
  private readonly H: number;
  private readonly F: number;
  private readonly K: number;
  private readonly Wx: Float64Array;
  private readonly Wh: Float64Array;
  private readonly b: Float64Array;
  private readonly bhn: Float64Array;
  private readonly wp: Float64Array;
  private readonly bp: Float64Array;
  private readonly wv: Float64Array;
  private readonly bv: Float64Array;
  private readonly tmp: Float64Array;

  constructor(
    readonly cfg: ModelConfig,
    rng?: Rng,
  ) {
    const H = (this.H = cfg.hidden);
    const F = (this.F = cfg.inputs);
    this.K = cfg.featuresPerStep;
    const mk = (name: string, shape: number[], scale: number): Param => {
      const data = new Float64Array(shape.reduce((a, b) => a * b, 1));
      if (rng && scale > 0) for (let i = 0; i < data.length; i++) data[i] = (rng.next() * 2 - 1) * scale;
      return { name, shape, data };
    };
    const s = 1 / Math.sqrt(H);
    this.params = [
      mk('gru.wx', [F, 3 * H], s),
      mk('gru.wh', [H, 3 * H], s),
      mk('gru.b', [3 * H], s),
      mk('gru.bhn', [H], s),
      mk('head.wp', [H], 0.1 * s),
      mk('head.bp', [1], 0),
      mk('head.wv', [H], 0.1 * s),
      mk('head.bv', [1], 0),
    ];
    [this.Wx, this.Wh, this.b, this.bhn, this.wp, this.bp, this.wv, this.bv] = this.params.map((p) => p.data) as [
      Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array,
    ];
    this.tmp = new Float64Array(3 * H);
  }

  start(n: number, maxSteps: number): GruRollout {
    const H = this.H;
    return {
      n,
      maxSteps,
      t: 0,
      logit: new Float64Array(maxSteps * n),
      value: new Float64Array(maxSteps * n),
      hs: new Float64Array((maxSteps + 1) * n * H),
      r: new Float64Array(maxSteps * n * H),
      z: new Float64Array(maxSteps * n * H),
      nn: new Float64Array(maxSteps * n * H),
      hn: new Float64Array(maxSteps * n * H),
      feats: new Int32Array(maxSteps * n * this.K),
    };
  }

  step(rollout: Rollout, features: Int32Array): void {
    const ro = rollout as GruRollout;
    const { H, K } = this;
    const n = ro.n;
    const t = ro.t;
    const g = this.tmp;
    ro.feats.set(features.subarray(0, n * K), t * n * K);
    for (let i = 0; i < n; i++) {
      const hp = (t * n + i) * H;
      this.recurrent(ro.hs, hp, g);
      this.cell(g, ro.hs, hp, features, i * K, ro.hs, ((t + 1) * n + i) * H, ro, (t * n + i) * H);
      ro.logit[t * n + i] = this.heads[0]!;
      ro.value[t * n + i] = this.heads[1]!;
    }
    ro.t++;
  }

  /** Logit and value of the last cell(). */
  readonly heads = new Float64Array(2);

  /** g = h·W_h for the hidden row at hs[hp…]: the recurrent half of a step, shared by every input fed from h. */
  recurrent(hs: Float64Array, hp: number, g: Float64Array): void {
    const { H, Wh } = this;
    const H3 = 3 * H;
    for (let k = 0; k < H3; k++) g[k] = 0;
    for (let j = 0; j < H; j++) {
      const hj = hs[hp + j]!;
      if (hj === 0) continue;
      const row = j * H3;
      for (let k = 0; k < H3; k++) g[k]! += hj * Wh[row + k]!;
    }
  }

  /**
   * The rest of a step from g = h·W_h (h at hPrev[hp…]) and the input features[fo…fo+K): writes h'
   * at hOut[ho…], the heads into `heads`, and (for backprop) the gates into cache at c.
   */
  cell(g: Float64Array, hPrev: Float64Array, hp: number, features: Int32Array, fo: number, hOut: Float64Array, ho: number, cache: Pick<GruRollout, 'r' | 'z' | 'nn' | 'hn'> | null, c: number): void {
    const { H, K, Wx, b, bhn, wp, wv } = this;
    const H3 = 3 * H;
    let logit = this.bp[0]!;
    let value = this.bv[0]!;
    for (let k = 0; k < H; k++) {
      let ar = b[k]! + g[k]!;
      let az = b[H + k]! + g[H + k]!;
      let an = b[2 * H + k]!;
      for (let f = 0; f < K; f++) {
        const row = features[fo + f]! * H3;
        ar += Wx[row + k]!;
        az += Wx[row + H + k]!;
        an += Wx[row + 2 * H + k]!;
      }
      const r = sigmoid(ar);
      const z = sigmoid(az);
      const hn = g[2 * H + k]! + bhn[k]!;
      const nv = Math.tanh(an + r * hn);
      const h = (1 - z) * nv + z * hPrev[hp + k]!;
      if (cache) {
        cache.r[c + k] = r;
        cache.z[c + k] = z;
        cache.nn[c + k] = nv;
        cache.hn[c + k] = hn;
      }
      hOut[ho + k] = h;
      logit += h * wp[k]!;
      value += h * wv[k]!;
    }
    this.heads[0] = logit;
    this.heads[1] = value;
  }

  hiddenAt(rollout: Rollout, t: number, out: Float32Array | Float64Array): void {
    const ro = rollout as GruRollout;
    const len = ro.n * this.H;
    const from = (t + 1) * len;
    for (let i = 0; i < len; i++) out[i] = ro.hs[from + i]!;
  }

  backward(rollout: Rollout, dLogit: Float64Array, dValue: Float64Array, grads: Float64Array[]): void {
    const ro = rollout as GruRollout;
    const { H, K, Wh, wp, wv } = this;
    const H3 = 3 * H;
    const n = ro.n;
    const [gWx, gWh, gb, gbhn, gwp, gbp, gwv, gbv] = grads as [
      Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array,
    ];
    const dhNext = new Float64Array(n * H);
    const dpre = new Float64Array(H3);
    for (let t = ro.t - 1; t >= 0; t--) {
      for (let i = 0; i < n; i++) {
        const dl = dLogit[t * n + i]!;
        const dv = dValue[t * n + i]!;
        const hp = (t * n + i) * H;
        const ho = ((t + 1) * n + i) * H;
        const c = (t * n + i) * H;
        gbp[0]! += dl;
        gbv[0]! += dv;
        const dh = dhNext.subarray(i * H, (i + 1) * H);
        for (let k = 0; k < H; k++) {
          const h = ro.hs[ho + k]!;
          gwp[k]! += dl * h;
          gwv[k]! += dv * h;
          const dhk = dh[k]! + dl * wp[k]! + dv * wv[k]!;
          const r = ro.r[c + k]!;
          const z = ro.z[c + k]!;
          const nv = ro.nn[c + k]!;
          const hn = ro.hn[c + k]!;
          const hprev = ro.hs[hp + k]!;
          const dn = dhk * (1 - z);
          const dz = dhk * (hprev - nv);
          const dnPre = dn * (1 - nv * nv);
          const dr = dnPre * hn;
          dpre[k] = dr * r * (1 - r);
          dpre[H + k] = dz * z * (1 - z);
          dpre[2 * H + k] = dnPre * r; // d(hn)
          gbhn[k]! += dnPre * r;
          // input-side pre-activations: r, z as above; n gets dnPre directly
          const dInN = dnPre;
          gb[k]! += dpre[k]!;
          gb[H + k]! += dpre[H + k]!;
          gb[2 * H + k]! += dInN;
          for (let f = 0; f < K; f++) {
            const row = ro.feats[(t * n + i) * K + f]! * H3;
            gWx[row + k]! += dpre[k]!;
            gWx[row + H + k]! += dpre[H + k]!;
            gWx[row + 2 * H + k]! += dInN;
          }
          dh[k] = dhk * z; // direct path to h_prev
        }
        for (let j = 0; j < H; j++) {
          const hj = ro.hs[hp + j]!;
          const row = j * H3;
          let acc = 0;
          for (let k = 0; k < H3; k++) {
            const d = dpre[k]!;
            gWh[row + k]! += hj * d;
            acc += Wh[row + k]! * d;
          }
          dh[j]! += acc;
        }
      }
    }
  }
}
