// The registry of dictionary modes: how each turns encoder pre-activations into the latent
// code, decodes it per agent, and which penalty it adds. The dense trainer and inference
// share these definitions. Registering a name twice throws.
import * as tf from '@tensorflow/tfjs';
import type { ResolvedSaeConfig, SaeMode } from '../config.js';
import { ConfigError } from '../errors.js';
import { batchTopK, matMul, rowNorms } from './ops.js';

export type Vars = Record<string, tf.Tensor>;

export interface ModeContext {
  cfg: ResolvedSaeConfig;
  v: Vars;
  /** Per agent, a [m, 1] 0/1 mask of decoder rows (mode 'partitioned'), else null. */
  decMasks: (tf.Tensor2D | null)[];
  /** Receives the BatchTopK selection threshold while training (a kept scalar). */
  onThreshold?: (thr: tf.Scalar) => void;
  /** Inference threshold on relu(pre)·weight instead of batch selection (BatchTopK modes). */
  threshold?: number;
}

export interface ModeDef {
  name: SaeMode;
  /** Per-latent selection weights [1, m] (norm-aware BatchTopK), computed off the tape. */
  selectionWeights(ctx: ModeContext): tf.Tensor2D;
  /** Latent code from pre-activations [B, m]. */
  activate(pre: tf.Tensor2D, ctx: ModeContext, weights: tf.Tensor2D): tf.Tensor2D;
  /** Reconstruction of agent a from the code. */
  decode(z: tf.Tensor2D, a: number, ctx: ModeContext, withBias?: boolean): tf.Tensor2D;
  /** Sparsity/structure penalty, or null. */
  penalty(z: tf.Tensor2D, ctx: ModeContext): tf.Scalar | null;
}

const registry = new Map<SaeMode, ModeDef>();

export function registerMode(def: ModeDef): void {
  if (registry.has(def.name)) throw new ConfigError(`mode '${def.name}' is registered twice`);
  registry.set(def.name, def);
}

export function getMode(name: SaeMode): ModeDef {
  const d = registry.get(name);
  if (!d) throw new ConfigError(`unknown mode '${name}'; known: ${[...registry.keys()].join(', ')}`);
  return d;
}

/** Effective linear decoder of agent a ([m, d_a]), masked in mode 'partitioned'. */
export function linearDecoder(ctx: ModeContext, a: number): tf.Tensor2D {
  const W = ctx.v[`dec.${ctx.cfg.agents[a]!.id}.W`] as tf.Tensor2D;
  const mask = ctx.decMasks[a];
  return mask ? (tf.mul(W, mask) as tf.Tensor2D) : W;
}

/** Σ_a ‖D_a[j]‖ as a [1, m] row (off the tape when called outside a gradient). */
function blockNormSum(ctx: ModeContext): tf.Tensor2D {
  return tf.tidy(() => {
    let s: tf.Tensor = tf.zeros([ctx.cfg.latents]);
    ctx.cfg.agents.forEach((_, a) => (s = tf.add(s, rowNorms(linearDecoder(ctx, a)))));
    return s.reshape([1, -1]) as tf.Tensor2D;
  });
}

function topkActivate(pre: tf.Tensor2D, ctx: ModeContext, weights: tf.Tensor2D): tf.Tensor2D {
  const cfg = ctx.cfg as ResolvedSaeConfig & { k: number };
  if (ctx.threshold !== undefined) {
    const act = tf.relu(pre);
    return tf.mul(act, tf.step(tf.sub(tf.mul(act, weights), ctx.threshold))) as tf.Tensor2D;
  }
  const K = Math.max(1, Math.round(cfg.k * pre.shape[0]));
  return batchTopK(pre, weights, K, ctx.onThreshold);
}

function linearDecode(z: tf.Tensor2D, a: number, ctx: ModeContext, withBias = true): tf.Tensor2D {
  const out = matMul(z, linearDecoder(ctx, a));
  return withBias ? (tf.add(out, ctx.v[`dec.${ctx.cfg.agents[a]!.id}.b`]!) as tf.Tensor2D) : out;
}

const linearTopK = (name: 'batchtopk' | 'partitioned'): ModeDef => ({
  name,
  selectionWeights: blockNormSum,
  activate: topkActivate,
  decode: linearDecode,
  penalty: blockPenalty,
});

/** λ·mean_r Σ_j z_rj Σ_a ‖D_a[j]‖/√d_a (on the tape: its gradient reaches z and D). */
function blockPenalty(z: tf.Tensor2D, ctx: ModeContext): tf.Scalar | null {
  const cfg = ctx.cfg;
  if ((cfg.mode !== 'batchtopk' && cfg.mode !== 'partitioned') || cfg.blockPenalty === 0) return null;
  let w: tf.Tensor = tf.zeros([cfg.latents]);
  cfg.agents.forEach((ag, a) => (w = tf.add(w, tf.div(rowNorms(linearDecoder(ctx, a)), Math.sqrt(ag.dim)))));
  return tf.mul(tf.mean(tf.sum(tf.mul(z, w), 1)), cfg.blockPenalty) as tf.Scalar;
}

registerMode(linearTopK('batchtopk'));
registerMode(linearTopK('partitioned'));

registerMode({
  name: 'l1',
  selectionWeights: (ctx) => tf.ones([1, ctx.cfg.latents]),
  activate: (pre) => tf.relu(pre),
  decode: linearDecode,
  penalty(z, ctx) {
    const cfg = ctx.cfg;
    if (cfg.mode !== 'l1' || cfg.penalty === 'none' || cfg.l1Coef === 0) return null;
    let w: tf.Tensor;
    if (cfg.penalty === 'group') {
      w = tf.zeros([cfg.latents]);
      cfg.agents.forEach((_, a) => (w = tf.add(w, rowNorms(linearDecoder(ctx, a)))));
    } else {
      let sq: tf.Tensor = tf.zeros([cfg.latents]);
      cfg.agents.forEach((_, a) => (sq = tf.add(sq, tf.sum(tf.square(linearDecoder(ctx, a)), 1))));
      w = tf.sqrt(tf.add(sq, 1e-10));
    }
    return tf.mul(tf.mean(tf.sum(tf.mul(z, w), 1)), cfg.l1Coef) as tf.Scalar;
  },
});

function mlpHidden(z: tf.Tensor2D, a: number, ctx: ModeContext): tf.Tensor2D {
  const id = ctx.cfg.agents[a]!.id;
  return tf.tanh(tf.add(matMul(z, ctx.v[`dec.${id}.U`] as tf.Tensor2D), ctx.v[`dec.${id}.e`]!)) as tf.Tensor2D;
}

/**
 * Per sample s of S, per latent j: the row J_a^s[j,:] = (U_a[j,:] ⊙ g_s) V_a of the decoder
 * Jacobian ∂x̂_a/∂z (g_s = tanh' at the sample). Returns [S, m] of the chosen block measure:
 * 'group' → ‖J_a^s[j,:]‖₂, 'elementwise' → Σ_i |J_a^s[j,i]|.
 */
export function jacobianBlocks(z: tf.Tensor2D, a: number, ctx: ModeContext, measure: 'group' | 'elementwise'): tf.Tensor2D {
  const id = ctx.cfg.agents[a]!.id;
  const U = ctx.v[`dec.${id}.U`] as tf.Tensor2D;
  const V = ctx.v[`dec.${id}.V`] as tf.Tensor2D;
  const [S] = z.shape;
  const [m, h] = U.shape;
  const g = tf.sub(1, tf.square(mlpHidden(z, a, ctx))); // [S, h]
  const T = tf.mul(U.reshape([1, m, h]), g.reshape([S, 1, h])).reshape([S * m, h]) as tf.Tensor2D;
  const J = matMul(T, V); // [S·m, d]
  const per = measure === 'group' ? rowNorms(J) : tf.sum(tf.abs(J), 1);
  return per.reshape([S, m]) as tf.Tensor2D;
}

registerMode({
  name: 'jacobian',
  selectionWeights: (ctx) => tf.ones([1, ctx.cfg.latents]),
  activate: topkActivate,
  decode(z, a, ctx, withBias = true) {
    const id = ctx.cfg.agents[a]!.id;
    const out = matMul(mlpHidden(z, a, ctx), ctx.v[`dec.${id}.V`] as tf.Tensor2D);
    return withBias ? (tf.add(out, ctx.v[`dec.${id}.b`]!) as tf.Tensor2D) : out;
  },
  penalty(z, ctx) {
    const cfg = ctx.cfg;
    if (cfg.mode !== 'jacobian' || cfg.jacCoef === 0) return null;
    const S = Math.min(cfg.jacSamples, z.shape[0]);
    const zs = z.slice([0, 0], [S, cfg.latents]);
    // z_j·‖J_a[:,j]‖ keeps the penalty invariant to rescaling z against the decoder.
    let total: tf.Tensor = tf.scalar(0);
    cfg.agents.forEach((_, a) => {
      total = tf.add(total, tf.sum(tf.mul(zs, jacobianBlocks(zs, a, ctx, cfg.penalty))));
    });
    return tf.mul(total, cfg.jacCoef / S) as tf.Scalar;
  },
});
