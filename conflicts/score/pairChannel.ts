// The representational channel for one agent pair. Per step t and shared latent j:
//   d_j(t) = (v_Aj(t) − v_Bj(t) − μ_j) / σ_j            (views disagree, in reference spreads)
// With level bins, σ_j depends on the lower of the two readings, m = min(v_Aj, v_Bj): a
// dictionary latent is off most of the time, and its views disagree far less while it is
// off than while it is on. The lower reading is the one an agent that drifts upwards does
// not move, so a latent that only one agent reads as active keeps the smaller spread.
//   e_j(t) = (1−λ) e_j(t−1) + λ d_j(t),   ê_j = e_j / τ_j (causal smoothing, re-normalised)
//   a_j(t) = EWMA of the mean view, normalised the same way (latent activation)
// The disagreement score is a multivariate EWMA statistic (MEWMA): the smoothed vector e
// whitened by its own covariance on reference null steps, S = √(eᵀ Σ_e⁻¹ e / K). View errors
// of different latents are correlated (they come from the same maps), so whitening matters;
// above 256 latents only the diagonal is used. The 'sparse' statistic instead asks whether
// one agent reads one or two latents higher than the other does: the largest matched-filter
// response over single latents and same-sign pairs, max |1_Sᵀ Σ_e⁻¹ e| / √(1_Sᵀ Σ_e⁻¹ 1_S)
// (S = {i} or {i, k}), the GLR statistic for a shift along those latents under correlated
// noise. It uses what a dictionary offers and a rotation of the views (canonical
// correlation) does not: each latent is one thing, and "more active" has a sign.
// Features: [S, |ê_1..K|, â_1..K]: the first is the disagreement score, the others are
// candidate precursors. States reset at each episode.
import { fromBase64F32 } from '../math/base64.js';
import type { Channel, LatentAttribution, StepRows } from './channel.js';
import type { SharedViewModel, ViewModelJson } from './viewModel.js';

export interface PairNorm {
  diffMean: number[];
  diffStd: number[];
  actMean: number[];
  actStd: number[];
  /** Reference RMS of the smoothed normalised disagreement / activation. */
  ewmaDiffRms: number[];
  ewmaActRms: number[];
  /** K×K symmetric whitening Σ_e^(-1/2) of the smoothed difference (base64 float32), or null for diagonal. */
  whiten: string | null;
  /** Disagreement statistic: 'mewma' (default when absent) or 'sparse' (see the file header). */
  statistic?: PairStatistic;
  /** Per latent, ascending upper edges of the level bins of min(v_A, v_B) (bins − 1 each); absent: one spread per latent. */
  levelEdges?: number[][];
  /** Per latent, the spread of the view difference in each level bin (bins each). */
  levelStd?: number[][];
}

export const PAIR_STATISTICS = ['mewma', 'sparse'] as const;
export type PairStatistic = (typeof PAIR_STATISTICS)[number];

export interface PairChannelJson {
  kind: 'pair';
  agentIndex: [number, number];
  lambda: number;
  viewModel: ViewModelJson;
  norm: PairNorm;
}

export interface PairState {
  e: Float64Array;
  a: Float64Array;
  va: Float64Array;
  vb: Float64Array;
  /** Each agent's view of each latent when the pair last agreed on it (|smoothed z| < 1). */
  ba: Float64Array;
  bb: Float64Array;
  started: boolean;
}

interface PairPrep {
  va: Float32Array;
  vb: Float32Array;
}

export class PairChannel implements Channel<PairState, PairPrep> {
  readonly kind = 'pair';
  readonly name: string;
  readonly agents: readonly string[];
  readonly featureNames: string[];
  readonly K: number;
  private readonly P: Float32Array | null;
  private readonly pe: Float64Array;
  /** Σ_e⁻¹ (sparse statistic only). */
  private readonly Si: Float64Array | null;
  private readonly g: Float64Array;

  constructor(
    readonly viewModel: SharedViewModel,
    /** Indices of the pair's agents in the run's agent order. */
    readonly agentIndex: [number, number],
    readonly lambda: number,
    readonly norm: PairNorm,
  ) {
    this.agents = viewModel.agents;
    this.name = `${viewModel.agents[0]}~${viewModel.agents[1]}`;
    this.K = viewModel.latents.length;
    this.P = norm.whiten ? fromBase64F32(norm.whiten, this.K * this.K) : null;
    this.pe = new Float64Array(this.K);
    this.g = new Float64Array(this.K);
    this.Si = norm.statistic === 'sparse' ? inverseCovariance(this.P, norm.ewmaDiffRms, this.K) : null;
    this.featureNames = [
      'disagreement',
      ...viewModel.latents.map((l) => `|Δ| ${l.label}`),
      ...viewModel.latents.map((l) => `act ${l.label}`),
    ];
  }

  newState(): PairState {
    const K = this.K;
    return { e: new Float64Array(K), a: new Float64Array(K), va: new Float64Array(K), vb: new Float64Array(K), ba: new Float64Array(K), bb: new Float64Array(K), started: false };
  }

  prepare(batch: StepRows): PairPrep {
    const [va, vb] = this.viewModel.views([batch.hidden[this.agentIndex[0]]!, batch.hidden[this.agentIndex[1]]!], batch.length);
    return { va, vb };
  }

  step(s: PairState, p: PairPrep, _batch: StepRows, r: number, out: Float64Array): void {
    const K = this.K;
    const lam = this.lambda;
    const n = this.norm;
    for (let j = 0; j < K; j++) {
      const a = p.va[r * K + j]!;
      const b = p.vb[r * K + j]!;
      s.va[j] = a;
      s.vb[j] = b;
      const d = (a - b - n.diffMean[j]!) / this.spread(j, a < b ? a : b);
      const act = ((a + b) / 2 - n.actMean[j]!) / n.actStd[j]!;
      s.e[j] = (1 - lam) * s.e[j]! + lam * d;
      s.a[j] = (1 - lam) * s.a[j]! + lam * act;
      const ez = s.e[j]! / n.ewmaDiffRms[j]!;
      const az = s.a[j]! / n.ewmaActRms[j]!;
      out[1 + j] = Math.abs(ez);
      out[1 + K + j] = az;
      if (!s.started || Math.abs(ez) < 1) {
        s.ba[j] = a;
        s.bb[j] = b;
      }
    }
    out[0] = this.Si ? this.sparse(s.e) : this.mewma(s.e);
    s.started = true;
  }

  /** σ_j of the view difference at level m (the lower reading). */
  spread(j: number, m: number): number {
    const n = this.norm;
    if (!n.levelEdges) return n.diffStd[j]!;
    const ed = n.levelEdges[j]!;
    let b = 0;
    while (b < ed.length && m > ed[b]!) b++;
    return n.levelStd![j]![b]!;
  }

  sparse(e: Float64Array): number {
    return sparseStatistic(this.Si!, this.K, e, this.g);
  }

  /** √(eᵀ Σ⁻¹ e / K) with Σ^(-1/2) = P (or the diagonal RMS when P is absent). */
  mewma(e: Float64Array): number {
    const K = this.K;
    let q = 0;
    if (this.P) {
      const P = this.P;
      for (let i = 0; i < K; i++) {
        let v = 0;
        for (let j = 0; j < K; j++) v += P[i * K + j]! * e[j]!;
        this.pe[i] = v;
        q += v * v;
      }
    } else {
      for (let j = 0; j < K; j++) q += (e[j]! / this.norm.ewmaDiffRms[j]!) ** 2;
    }
    return Math.sqrt(q / K);
  }

  attribute(s: PairState, top: number): LatentAttribution[] {
    const K = this.K;
    const idx = Array.from({ length: K }, (_, j) => j);
    const z = (j: number) => s.e[j]! / this.norm.ewmaDiffRms[j]!;
    // Share of the score: e_j (Σ⁻¹ e)_j / K, which sums to S² over latents.
    const share = new Float64Array(K);
    if (this.P) {
      this.mewma(s.e);
      for (let j = 0; j < K; j++) {
        let w = 0;
        for (let i = 0; i < K; i++) w += this.P[i * K + j]! * this.pe[i]!;
        share[j] = (s.e[j]! * w) / K;
      }
    } else {
      for (let j = 0; j < K; j++) share[j] = z(j) ** 2 / K;
    }
    idx.sort((x, y) => share[y]! - share[x]!);
    return idx.slice(0, top).map((j) => {
      const l = this.viewModel.latents[j]!;
      return {
        latent: l.id,
        label: l.label,
        class: l.class,
        disagreement: round(z(j)),
        share: round(share[j]!),
        views: { [this.agents[0]!]: round(s.va[j]!), [this.agents[1]!]: round(s.vb[j]!) },
      };
    });
  }

  /**
   * The agent whose copy moved: over the given latents, the one whose view departed further
   * (in reference spreads) from its reading when the pair last agreed on that latent. The
   * other agent's view moves only as much as the shared thought itself does.
   */
  movedAgent(s: PairState, latents: readonly LatentAttribution[]): string | null {
    let da = 0;
    let db = 0;
    for (const l of latents) {
      const j = this.viewModel.latents.findIndex((v) => v.id === l.latent);
      if (j < 0) continue;
      const sd = this.norm.diffStd[j]! || 1;
      da += Math.abs(s.va[j]! - s.ba[j]!) / sd;
      db += Math.abs(s.vb[j]! - s.bb[j]!) / sd;
    }
    if (da === db) return null;
    return da > db ? this.agents[0]! : this.agents[1]!;
  }

  toJSON(): PairChannelJson {
    return { kind: 'pair', agentIndex: [...this.agentIndex], lambda: this.lambda, viewModel: this.viewModel.toJSON(), norm: this.norm };
  }
}

/** Σ⁻¹ = P·P from the symmetric whitening P = Σ^(-1/2), or the diagonal 1/rms² without it. */
function inverseCovariance(P: Float32Array | null, rms: readonly number[], K: number): Float64Array {
  const Si = new Float64Array(K * K);
  if (!P) {
    for (let j = 0; j < K; j++) Si[j * K + j] = 1 / rms[j]! ** 2;
    return Si;
  }
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) {
      let v = 0;
      for (let k = 0; k < K; k++) v += P[i * K + k]! * P[k * K + j]!;
      Si[i * K + j] = v;
    }
  }
  return Si;
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/**
 * The sparse statistic: max over S = {i} or {i, k} of |1_Sᵀ Σ⁻¹ e| / √(1_Sᵀ Σ⁻¹ 1_S), the
 * matched-filter response of a shift in one shared latent or two moving the same way.
 * `Si` is Σ⁻¹ (K × K, row-major); `g` is scratch of length K.
 */
export function sparseStatistic(Si: Float64Array, K: number, e: Float64Array, g: Float64Array): number {
  for (let i = 0; i < K; i++) {
    let v = 0;
    for (let j = 0; j < K; j++) v += Si[i * K + j]! * e[j]!;
    g[i] = v;
  }
  let best = 0;
  for (let i = 0; i < K; i++) {
    const sii = Si[i * K + i]!;
    best = Math.max(best, Math.abs(g[i]!) / Math.sqrt(sii));
    for (let k = i + 1; k < K; k++) {
      const den = sii + Si[k * K + k]! + 2 * Si[i * K + k]!;
      if (den > 1e-12) best = Math.max(best, Math.abs(g[i]! + g[k]!) / Math.sqrt(den));
    }
  }
  return best;
}
