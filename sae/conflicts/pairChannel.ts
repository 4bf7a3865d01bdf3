// The representational channel for one agent pair. Per step t and shared latent j:
//   d_j(t) = (v_Aj(t) − v_Bj(t) − μ_j) / σ_j            (views disagree, in reference spreads)
//   e_j(t) = (1−λ) e_j(t−1) + λ d_j(t),   ê_j = e_j / τ_j (causal smoothing, re-normalised)
//   a_j(t) = EWMA of the mean view, normalised the same way (latent activation)
// Features: [max_j |ê_j|, |ê_1..K|, â_1..K]. The first is the disagreement score; the
// others are candidate precursors. States reset at each episode.
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
}

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
    this.featureNames = [
      'disagreement',
      ...viewModel.latents.map((l) => `|Δ| ${l.label}`),
      ...viewModel.latents.map((l) => `act ${l.label}`),
    ];
  }

  newState(): PairState {
    return { e: new Float64Array(this.K), a: new Float64Array(this.K), va: new Float64Array(this.K), vb: new Float64Array(this.K), started: false };
  }

  prepare(batch: StepRows): PairPrep {
    const [va, vb] = this.viewModel.views([batch.hidden[this.agentIndex[0]]!, batch.hidden[this.agentIndex[1]]!], batch.length);
    return { va, vb };
  }

  step(s: PairState, p: PairPrep, _batch: StepRows, r: number, out: Float64Array): void {
    const K = this.K;
    const lam = this.lambda;
    const n = this.norm;
    let max = 0;
    for (let j = 0; j < K; j++) {
      const a = p.va[r * K + j]!;
      const b = p.vb[r * K + j]!;
      s.va[j] = a;
      s.vb[j] = b;
      const d = (a - b - n.diffMean[j]!) / n.diffStd[j]!;
      const act = ((a + b) / 2 - n.actMean[j]!) / n.actStd[j]!;
      s.e[j] = (1 - lam) * s.e[j]! + lam * d;
      s.a[j] = (1 - lam) * s.a[j]! + lam * act;
      const ez = s.e[j]! / n.ewmaDiffRms[j]!;
      const az = s.a[j]! / n.ewmaActRms[j]!;
      out[1 + j] = Math.abs(ez);
      out[1 + K + j] = az;
      if (Math.abs(ez) > max) max = Math.abs(ez);
    }
    out[0] = max;
    s.started = true;
  }

  attribute(s: PairState, top: number): LatentAttribution[] {
    const idx = Array.from({ length: this.K }, (_, j) => j);
    const z = (j: number) => s.e[j]! / this.norm.ewmaDiffRms[j]!;
    idx.sort((x, y) => Math.abs(z(y)) - Math.abs(z(x)));
    return idx.slice(0, top).map((j) => {
      const l = this.viewModel.latents[j]!;
      return {
        latent: l.id,
        label: l.label,
        class: l.class,
        disagreement: round(z(j)),
        views: { [this.agents[0]!]: round(s.va[j]!), [this.agents[1]!]: round(s.vb[j]!) },
      };
    });
  }

  toJSON(): PairChannelJson {
    return { kind: 'pair', agentIndex: [...this.agentIndex], lambda: this.lambda, viewModel: this.viewModel.toJSON(), norm: this.norm };
  }
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
