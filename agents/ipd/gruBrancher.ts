// Look-ahead for a GRU predictor: a node's state is its hidden vector; the recurrent half of
// a step depends only on the parent, so it is computed once for its 4 children.
import type { Gru } from './gru.js';
import type { SearchBrancher } from './searchBrancher.js';
import { sigmoid, type Rollout } from './seqModel.js';

export class GruBrancher implements SearchBrancher {
  private readonly H: number;
  private readonly K: number;
  private readonly w: Record<'wx' | 'wh' | 'b' | 'bhn' | 'wp' | 'bp' | 'wv' | 'bv', Float64Array>;
  private readonly g: Float64Array;
  /** Hidden states per level (n·4^ℓ·H). */
  private h: Float64Array[] = [];
  private n = -1;

  constructor(private readonly gru: Gru) {
    this.H = gru.cfg.hidden;
    this.K = gru.cfg.featuresPerStep;
    const get = (name: string): Float64Array => gru.params.find((p) => p.name === name)!.data;
    this.w = { wx: get('gru.wx'), wh: get('gru.wh'), b: get('gru.b'), bhn: get('gru.bhn'), wp: get('head.wp'), bp: get('head.bp'), wv: get('head.wv'), bv: get('head.bv') };
    this.g = new Float64Array(3 * this.H);
  }

  prepare(n: number, levels: number): void {
    if (this.n === n && this.h.length === levels + 1) return;
    this.n = n;
    this.h = Array.from({ length: levels + 1 }, (_, l) => new Float64Array(n * 4 ** l * this.H));
  }

  root(ro: Rollout, t: number): void {
    this.gru.hiddenAt(ro, t, this.h[0]!);
  }

  expand(l: number, m: number, feats: Int32Array, pOut: Float64Array, vOut: Float64Array): void {
    const { H, K, g } = this;
    const { wx, wh, b, bhn, wp, bp, wv, bv } = this.w;
    const hIn = this.h[l]!;
    const hOut = this.h[l + 1]!;
    const H3 = 3 * H;
    for (let j = 0; j < m; j++) {
      for (let k = 0; k < H3; k++) g[k] = 0;
      for (let q = 0; q < H; q++) {
        const hq = hIn[j * H + q]!;
        if (hq === 0) continue;
        const row = q * H3;
        for (let k = 0; k < H3; k++) g[k]! += hq * wh[row + k]!;
      }
      for (let o = 0; o < 4; o++) {
        const c = j * 4 + o;
        let logit = bp[0]!;
        let value = bv[0]!;
        for (let k = 0; k < H; k++) {
          let ar = b[k]! + g[k]!;
          let az = b[H + k]! + g[H + k]!;
          let an = b[2 * H + k]!;
          for (let f = 0; f < K; f++) {
            const row = feats[c * K + f]! * H3;
            ar += wx[row + k]!;
            az += wx[row + H + k]!;
            an += wx[row + 2 * H + k]!;
          }
          const r = sigmoid(ar);
          const z = sigmoid(az);
          const nv = Math.tanh(an + r * (g[2 * H + k]! + bhn[k]!));
          const h = (1 - z) * nv + z * hIn[j * H + k]!;
          hOut[c * H + k] = h;
          logit += h * wp[k]!;
          value += h * wv[k]!;
        }
        pOut[c] = sigmoid(logit);
        vOut[c] = value;
      }
    }
  }
}
