// Look-ahead for a GRU predictor: a node's state is its hidden vector; the recurrent half of
// a step depends only on the parent, so it is computed once for its 4 children.
import type { Gru } from './gru.js';
import type { SearchBrancher } from './searchBrancher.js';
import { sigmoid, type Rollout } from './seqModel.js';

export class GruBrancher implements SearchBrancher {
  private readonly H: number;
  private readonly K: number;
  private readonly g: Float64Array;
  /** Hidden states per level (n·4^ℓ·H). */
  private h: Float64Array[] = [];
  private n = -1;

  constructor(private readonly gru: Gru) {
    this.H = gru.cfg.hidden;
    this.K = gru.cfg.featuresPerStep;
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
    const { H, K, g, gru } = this;
    const hIn = this.h[l]!;
    const hOut = this.h[l + 1]!;
    for (let j = 0; j < m; j++) {
      gru.recurrent(hIn, j * H, g);
      for (let o = 0; o < 4; o++) {
        const c = j * 4 + o;
        gru.cell(g, hIn, j * H, feats, c * K, hOut, c * H, null, 0);
        pOut[c] = sigmoid(gru.heads[0]!);
        vOut[c] = gru.heads[1]!;
      }
    }
  }
}
