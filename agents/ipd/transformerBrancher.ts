// Look-ahead for a causal-transformer predictor: a search node's state is the real episode's
// keys and values up to round t (read from the rollout, never copied) plus one key/value per
// outcome on its path, kept per level. A child attends over the prefix, its ancestors and itself.
import type { SearchBrancher } from './searchBrancher.js';
import { sigmoid, type Rollout } from './seqModel.js';
import type { CausalTransformer, TfRollout } from './transformer.js';

export class TransformerBrancher implements SearchBrancher {
  private readonly d: number;
  /** Path keys and values per level (n·4^ℓ·d; level 0 has none). */
  private keys: Float64Array[] = [];
  private values: Float64Array[] = [];
  private n = -1;
  private ro: TfRollout | null = null;
  private t = 0;
  // one token's activations (offset 0)
  private readonly x: Float64Array;
  private readonly q: Float64Array;
  private readonly k: Float64Array;
  private readonly v: Float64Array;
  private readonly c: Float64Array;
  private readonly y: Float64Array;
  private readonly u: Float64Array;
  private readonly h: Float64Array;
  private scores = new Float64Array(0);
  /** A child's node index at each level of its path (0 = its episode … L = itself). */
  private path = new Int32Array(0);

  constructor(private readonly tf: CausalTransformer) {
    const d = (this.d = tf.cfg.hidden);
    const row = (): Float64Array => new Float64Array(d);
    [this.x, this.q, this.k, this.v, this.c, this.y, this.h] = [row(), row(), row(), row(), row(), row(), row()];
    this.u = new Float64Array(tf.cfg.ffn ?? 2 * d);
  }

  prepare(n: number, levels: number): void {
    if (this.n === n && this.keys.length === levels + 1) return;
    this.n = n;
    this.path = new Int32Array(levels + 1);
    this.keys = Array.from({ length: levels + 1 }, (_, l) => new Float64Array(l === 0 ? 0 : n * 4 ** l * this.d));
    this.values = Array.from({ length: levels + 1 }, (_, l) => new Float64Array(l === 0 ? 0 : n * 4 ** l * this.d));
  }

  root(ro: Rollout, t: number): void {
    this.ro = ro as TfRollout;
    this.t = t;
    if (this.scores.length < t + this.keys.length + 1) this.scores = new Float64Array(ro.maxSteps + this.keys.length + 1);
  }

  expand(l: number, m: number, feats: Int32Array, pOut: Float64Array, vOut: Float64Array): void {
    const { d, tf, x, q, k, v, c, y, u, h, scores, path } = this;
    const ro = this.ro!;
    const { n } = ro;
    const t = this.t;
    const K = tf.cfg.featuresPerStep;
    const L = l + 1;
    const scale = 1 / Math.sqrt(d);
    const kk = this.keys[L]!;
    const vv = this.values[L]!;
    for (let cIdx = 0; cIdx < 4 * m; cIdx++) {
      for (let lv = L, a = cIdx; lv >= 0; lv--, a = a >> 2) path[lv] = a;
      const i = path[0]!;
      tf.embedQkv(feats, cIdx * K, x, q, k, v, 0);
      kk.set(k, cIdx * d);
      vv.set(v, cIdx * d);
      // scores over the real prefix 0..t, then the path's levels 1..L (the last is the child itself)
      let mx = -Infinity;
      let s = 0;
      for (let j = 0; j <= t; j++) {
        const kr = (j * n + i) * d;
        let dot = 0;
        for (let a = 0; a < d; a++) dot += q[a]! * ro.k[kr + a]!;
        scores[s] = dot * scale;
        if (scores[s]! > mx) mx = scores[s]!;
        s++;
      }
      for (let lv = 1; lv <= L; lv++) {
        const kr = path[lv]! * d;
        const kl = this.keys[lv]!;
        let dot = 0;
        for (let a = 0; a < d; a++) dot += q[a]! * kl[kr + a]!;
        scores[s] = dot * scale;
        if (scores[s]! > mx) mx = scores[s]!;
        s++;
      }
      let z = 0;
      for (let j = 0; j < s; j++) z += scores[j] = Math.exp(scores[j]! - mx);
      c.fill(0);
      for (let j = 0; j <= t; j++) {
        const w = scores[j]! / z;
        const vr = (j * n + i) * d;
        for (let a = 0; a < d; a++) c[a]! += w * ro.v[vr + a]!;
      }
      for (let lv = 1; lv <= L; lv++) {
        const w = scores[t + lv]! / z;
        const vr = path[lv]! * d;
        const vl = this.values[lv]!;
        for (let a = 0; a < d; a++) c[a]! += w * vl[vr + a]!;
      }
      tf.finishToken(x, c, y, u, h, 0, 0);
      pOut[cIdx] = sigmoid(tf.heads[0]!);
      vOut[cIdx] = tf.heads[1]!;
    }
  }
}
