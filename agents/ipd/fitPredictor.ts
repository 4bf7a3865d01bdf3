// Supervised fitting of a co-player predictor: a sequence model fed the agent's own
// observations whose policy head is trained (cross-entropy) to give P(the co-player
// cooperates this round). Stable and cheap next to policy-gradient training: no return
// variance, every round of every episode is a labelled example.
import { makeRng } from '../../util/random.js';
import { Adam } from './adam.js';
import { sigmoid, zerosLike, type SeqModel } from './seqModel.js';

/** Episodes as the agent saw them: features fed each round and the co-player's moves. */
export interface Trajectories {
  /** Episodes. */
  n: number;
  steps: number;
  featuresPerStep: number;
  /** Per episode: steps·featuresPerStep feature indices (episode-major). */
  feats: Int32Array;
  /** Per episode: the co-player's move each round (0 = C, 1 = D), steps values (episode-major). */
  coMoves: Uint8Array;
  /**
   * Optional value targets per episode and round (episode-major): the normalised discounted
   * return from that round on, (1 − γ)·Σ_k γ^k r_{t+k}; fitted by the value head.
   */
  returns?: Float64Array;
}

export interface FitConfig {
  /** Passes over the data. */
  epochs: number;
  /** Episodes per gradient step. */
  batch: number;
  lr: number;
  gradClip: number;
  seed: number;
  /** Weight of the value head's squared error (when the data has returns). */
  valueCoef: number;
}

export const DEFAULT_FIT: Readonly<FitConfig> = Object.freeze({ epochs: 4, batch: 64, lr: 5e-3, gradClip: 1, seed: 1, valueCoef: 1 });

export interface FitResult {
  /** Mean cross-entropy (nats per round) over each epoch's batches. */
  loss: number[];
  seconds: number;
  /** Rounds processed (forward + backward). */
  steps: number;
}

/** Appends b's episodes to a's (same steps and features per step). */
export function concatTrajectories(a: Trajectories | null, b: Trajectories): Trajectories {
  if (!a) return b;
  const feats = new Int32Array(a.feats.length + b.feats.length);
  feats.set(a.feats);
  feats.set(b.feats, a.feats.length);
  const coMoves = new Uint8Array(a.coMoves.length + b.coMoves.length);
  coMoves.set(a.coMoves);
  coMoves.set(b.coMoves, a.coMoves.length);
  const out: Trajectories = { n: a.n + b.n, steps: a.steps, featuresPerStep: a.featuresPerStep, feats, coMoves };
  if (a.returns && b.returns) {
    out.returns = new Float64Array(a.returns.length + b.returns.length);
    out.returns.set(a.returns);
    out.returns.set(b.returns, a.returns.length);
  }
  return out;
}

/** The last `max` episodes (a sliding window over collected data). */
export function lastEpisodes(d: Trajectories, max: number): Trajectories {
  if (d.n <= max) return d;
  const from = d.n - max;
  const w = d.steps * d.featuresPerStep;
  return {
    ...d,
    n: max,
    feats: d.feats.slice(from * w),
    coMoves: d.coMoves.slice(from * d.steps),
    ...(d.returns ? { returns: d.returns.slice(from * d.steps) } : {}),
  };
}

/** Mean cross-entropy of the predictor on the data (no update). */
export function predictorLoss(model: SeqModel, d: Trajectories, batch = 256): number {
  let loss = 0;
  for (let s = 0; s < d.n; s += batch) {
    const idx = Array.from({ length: Math.min(batch, d.n - s) }, (_, i) => s + i);
    loss += runBatch(model, d, idx, null, 0) * idx.length;
  }
  return loss / d.n;
}

export function fitPredictor(model: SeqModel, d: Trajectories, cfg: Partial<FitConfig> = {}, opt?: Adam): FitResult {
  const c = { ...DEFAULT_FIT, ...cfg };
  const rng = makeRng(c.seed);
  const adam = opt ?? new Adam(model.params, { lr: c.lr, clip: c.gradClip });
  const grads = zerosLike(model.params);
  const t0 = performance.now();
  const loss: number[] = [];
  let steps = 0;
  const order = Int32Array.from({ length: d.n }, (_, i) => i);
  for (let e = 0; e < c.epochs; e++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const x = order[i]!;
      order[i] = order[j]!;
      order[j] = x;
    }
    let sum = 0;
    let batches = 0;
    for (let s = 0; s < d.n; s += c.batch) {
      const idx = Array.from(order.subarray(s, Math.min(d.n, s + c.batch)));
      sum += runBatch(model, d, idx, grads, c.valueCoef);
      adam.step(grads);
      batches++;
      steps += idx.length * d.steps;
    }
    loss.push(sum / Math.max(1, batches));
  }
  return { loss, seconds: (performance.now() - t0) / 1000, steps };
}

/** Forward (and, with grads, backward) over the episodes idx; returns mean cross-entropy per round. */
function runBatch(model: SeqModel, d: Trajectories, idx: number[], grads: Float64Array[] | null, valueCoef: number): number {
  const n = idx.length;
  const T = d.steps;
  const K = d.featuresPerStep;
  const ro = model.start(n, T);
  const f = new Int32Array(n * K);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) f[i * K + k] = d.feats[(idx[i]! * T + t) * K + k]!;
    model.step(ro, f);
  }
  let loss = 0;
  const dL = grads ? new Float64Array(T * n) : null;
  const dV = new Float64Array(T * n);
  const scale = 1 / (n * T);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < n; i++) {
      const z = ro.logit[t * n + i]!;
      const y = d.coMoves[idx[i]! * T + t] === 0 ? 1 : 0;
      const p = sigmoid(z);
      // log(1 + e^{-|z|}) form: −[y log p + (1−y) log(1−p)]
      loss += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
      if (dL) dL[t * n + i] = (p - y) * scale;
      if (d.returns && valueCoef > 0) dV[t * n + i] = valueCoef * (ro.value[t * n + i]! - d.returns[idx[i]! * T + t]!) * scale;
    }
  }
  if (grads && dL) model.backward(ro, dL, dV, grads);
  return loss * scale;
}
