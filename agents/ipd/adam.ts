// Adam over flat Float64Array parameters, with global-norm gradient clipping.
import type { Param } from './seqModel.js';

export interface AdamConfig {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Clip the global gradient norm to this value (0 = off). */
  clip?: number;
}

export class Adam {
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private t = 0;
  /** Learning-rate multiplier (for schedules). */
  lrScale = 1;

  constructor(
    private readonly params: Param[],
    private readonly cfg: AdamConfig,
  ) {
    this.m = params.map((p) => new Float64Array(p.data.length));
    this.v = params.map((p) => new Float64Array(p.data.length));
  }

  /** Applies grads (then zeroes them). Returns the gradient norm before clipping. */
  step(grads: Float64Array[]): number {
    const { lr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, clip = 0 } = this.cfg;
    let sq = 0;
    for (const g of grads) for (let i = 0; i < g.length; i++) sq += g[i]! * g[i]!;
    const norm = Math.sqrt(sq);
    const scale = clip > 0 && norm > clip ? clip / norm : 1;
    this.t++;
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    this.params.forEach((p, k) => {
      const g = grads[k]!;
      const m = this.m[k]!;
      const v = this.v[k]!;
      const w = p.data;
      for (let i = 0; i < w.length; i++) {
        const gi = g[i]! * scale;
        m[i] = beta1 * m[i]! + (1 - beta1) * gi;
        v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi;
        w[i]! -= (lr * this.lrScale * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + eps);
        g[i] = 0;
      }
    });
    return norm;
  }
}
