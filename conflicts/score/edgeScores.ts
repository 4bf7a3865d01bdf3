// Per-edge representational divergence between neighbours, per step: how differently two
// nodes read the coordinates they share (fitNodeViews.ts), in units of each coordinate's
// reference spread, d_uv(t) = mean_j ((r_u,j(t) − r_v,j(t)) / s_j)². Neighbours need not
// read alike (in colouring they must differ), so the score is the divergence against what
// the same edge shows at the same step of clean reference episodes:
// z_uv(t) = (d_uv(t) − μ_uv,t) / √(σ²_uv,t + (σ_uv/4)²), σ_uv pooled over steps (so an edge
// that is constant at one step does not divide by zero). Strictly causal: step t only.
import type { Episode } from '../input/episodes.js';
import type { NodeViews } from '../fit/fitNodeViews.js';

/** Per edge: the pairs (index in u's coords, index in v's coords, coordinate) both read. */
export interface EdgeCoords {
  edges: readonly (readonly [number, number])[];
  common: { ku: Int32Array; kv: Int32Array; j: Int32Array }[];
}

export function edgeCoords(views: NodeViews, edges: readonly (readonly [number, number])[]): EdgeCoords {
  const common = edges.map(([u, v]) => {
    const pos = new Map(views.coords[v]!.map((j, k) => [j, k]));
    const ku: number[] = [];
    const kv: number[] = [];
    const js: number[] = [];
    views.coords[u]!.forEach((j, k) => {
      const k2 = pos.get(j);
      if (k2 === undefined || !(views.scale[j]! > 1e-9)) return;
      ku.push(k);
      kv.push(k2);
      js.push(j);
    });
    return { ku: Int32Array.from(ku), kv: Int32Array.from(kv), j: Int32Array.from(js) };
  });
  return { edges, common };
}

/** Every node's readings over an episode (T × |coords| each). */
export function nodeReadings(views: NodeViews, e: Episode): Float32Array[] {
  return e.hidden.map((h, a) => views.maps[a]!.apply(h, e.length));
}

/** Per edge, the divergence at every step of the episode (NaN for an edge with no common coordinate). */
export function edgeDivergences(views: NodeViews, ec: EdgeCoords, readings: readonly Float32Array[], T: number): Float64Array[] {
  return ec.edges.map(([u, v], i) => {
    const { ku, kv, j } = ec.common[i]!;
    const ru = readings[u]!;
    const rv = readings[v]!;
    const cu = views.coords[u]!.length;
    const cv = views.coords[v]!.length;
    const out = new Float64Array(T);
    for (let t = 0; t < T; t++) {
      if (j.length === 0) {
        out[t] = NaN;
        continue;
      }
      let s = 0;
      for (let k = 0; k < j.length; k++) {
        const d = (ru[t * cu + ku[k]!]! - rv[t * cv + kv[k]!]!) / views.scale[j[k]!]!;
        s += d * d;
      }
      out[t] = s / j.length;
    }
    return out;
  });
}

/** Mean and spread of each edge's divergence at each step over clean reference episodes. */
export class EdgeBaseline {
  private constructor(
    readonly T: number,
    readonly mean: Float64Array[],
    readonly denom: Float64Array[],
  ) {}

  /** `episodes`: per reference episode, per edge, the T-step divergence series. */
  static fit(episodes: readonly Float64Array[][], T: number): EdgeBaseline {
    const E = episodes[0]?.length ?? 0;
    const mean: Float64Array[] = [];
    const denom: Float64Array[] = [];
    for (let e = 0; e < E; e++) {
      const s = new Float64Array(T);
      const s2 = new Float64Array(T);
      const c = new Float64Array(T);
      let ps = 0;
      let ps2 = 0;
      let pc = 0;
      for (const ep of episodes) {
        const x = ep[e]!;
        for (let t = 0; t < Math.min(T, x.length); t++) {
          const v = x[t]!;
          if (!Number.isFinite(v)) continue;
          s[t]! += v;
          s2[t]! += v * v;
          c[t]!++;
          ps += v;
          ps2 += v * v;
          pc++;
        }
      }
      const pooled = pc > 1 ? Math.max(ps2 / pc - (ps / pc) ** 2, 0) : 0;
      const m = Float64Array.from(s, (v, t) => (c[t]! ? v / c[t]! : NaN));
      mean.push(m);
      denom.push(Float64Array.from(s2, (v, t) => Math.sqrt(Math.max((c[t]! ? v / c[t]! : 0) - (m[t]! || 0) ** 2, 0) + pooled / 16) || 1e-9));
    }
    return new EdgeBaseline(T, mean, denom);
  }

  /** z-scores of one episode's per-edge series (steps past the reference length use the last step's baseline). */
  score(series: readonly Float64Array[]): Float64Array[] {
    return series.map((x, e) =>
      Float64Array.from(x, (v, t) => {
        const tt = Math.min(t, this.T - 1);
        const m = this.mean[e]![tt]!;
        return Number.isFinite(v) && Number.isFinite(m) ? (v - m) / this.denom[e]![tt]! : NaN;
      }),
    );
  }
}
