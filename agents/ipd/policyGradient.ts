// Actor-critic losses as gradients w.r.t. the policy logit and the value, per step.
// A2C is the one-epoch case of PPO: the probability ratio is 1, so nothing is clipped.
//   advantage: GAE(γ, λ) over the whole episode, normalised per batch
//   policy:    −min(ρ·Â, clip(ρ, 1 ± ε)·Â),  ρ = π(a) / π_old(a),  π(C) = σ(logit)
//   value:     ½·c_v·(v − R)²,  R = Â_raw + v_old
//   entropy:   −c_e·H(π)
import { sigmoid } from './seqModel.js';

export interface PgConfig {
  gamma: number;
  lambda: number;
  valueCoef: number;
  entropyCoef: number;
  /** PPO clip ε. */
  clip: number;
}

export interface Targets {
  adv: Float64Array;
  ret: Float64Array;
}

/** GAE advantages (normalised) and value targets for n episodes of T steps ([t·n + i]). */
export function gaeTargets(rewards: Float64Array, values: Float64Array, n: number, T: number, cfg: PgConfig): Targets {
  const adv = new Float64Array(T * n);
  const ret = new Float64Array(T * n);
  for (let i = 0; i < n; i++) {
    let last = 0;
    for (let t = T - 1; t >= 0; t--) {
      const k = t * n + i;
      const nextV = t === T - 1 ? 0 : values[k + n]!;
      const delta = rewards[k]! + cfg.gamma * nextV - values[k]!;
      last = delta + cfg.gamma * cfg.lambda * last;
      adv[k] = last;
      ret[k] = last + values[k]!;
    }
  }
  let mean = 0;
  for (let k = 0; k < adv.length; k++) mean += adv[k]!;
  mean /= adv.length;
  let sq = 0;
  for (let k = 0; k < adv.length; k++) sq += (adv[k]! - mean) ** 2;
  const sd = Math.sqrt(sq / adv.length) + 1e-8;
  for (let k = 0; k < adv.length; k++) adv[k] = (adv[k]! - mean) / sd;
  return { adv, ret };
}

export interface PgStats {
  policyLoss: number;
  valueLoss: number;
  entropy: number;
  clipped: number;
}

/**
 * Gradients of the loss (summed over steps, times `scale`) w.r.t. logit and value, added
 * into dLogit / dValue. oldLogit = logit gives A2C.
 */
export function pgGradients(
  logit: Float64Array,
  value: Float64Array,
  oldLogit: Float64Array,
  actions: Uint8Array,
  tg: Targets,
  cfg: PgConfig,
  scale: number,
  dLogit: Float64Array,
  dValue: Float64Array,
): PgStats {
  const st: PgStats = { policyLoss: 0, valueLoss: 0, entropy: 0, clipped: 0 };
  for (let k = 0; k < logit.length; k++) {
    const l = logit[k]!;
    const p = sigmoid(l);
    const coop = actions[k] === 0;
    const pa = coop ? p : 1 - p;
    const po = sigmoid(oldLogit[k]!);
    const ratio = pa / (coop ? po : 1 - po);
    const A = tg.adv[k]!;
    const clippedActive = (A > 0 && ratio > 1 + cfg.clip) || (A < 0 && ratio < 1 - cfg.clip);
    const dlogpa = (coop ? 1 : 0) - p;
    let g = clippedActive ? 0 : -A * ratio * dlogpa;
    if (clippedActive) st.clipped++;
    // entropy H = −p log p − (1−p) log(1−p); dH/dl = −l·p(1−p)
    const ent = -(p > 0 ? p * Math.log(p) : 0) - (p < 1 ? (1 - p) * Math.log(1 - p) : 0);
    g += cfg.entropyCoef * l * p * (1 - p);
    dLogit[k]! += scale * g;
    const dv = value[k]! - tg.ret[k]!;
    dValue[k]! += scale * cfg.valueCoef * dv;
    st.policyLoss += -Math.min(ratio * A, Math.min(Math.max(ratio, 1 - cfg.clip), 1 + cfg.clip) * A);
    st.valueLoss += 0.5 * dv * dv;
    st.entropy += ent;
  }
  const m = logit.length || 1;
  st.policyLoss /= m;
  st.valueLoss /= m;
  st.entropy /= m;
  return st;
}
