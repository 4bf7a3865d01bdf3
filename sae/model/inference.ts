// Inference with a trained dictionary, on raw (unnormalised) agent states: the joint code
// from all agents, one agent's reading alone, and per-agent reconstructions. Weights are
// uploaded to the backend once per model and cached; call releaseModel() when done.
import * as tf from '@tensorflow/tfjs';
import type { SaeModel } from '../checkpoint/checkpoint.js';
import { getMode, type ModeContext, type Vars } from './modes.js';
import { matMul, tidyData } from './ops.js';
import { decoderRowMask } from './params.js';
import { withoutDense } from './normalisation.js';

interface Cached {
  v: Vars;
  decMasks: (tf.Tensor2D | null)[];
  weights: tf.Tensor2D;
  means: tf.Tensor1D[];
}

const cache = new WeakMap<SaeModel, Cached>();

function tensors(model: SaeModel): Cached {
  let c = cache.get(model);
  if (!c) {
    const v: Vars = {};
    for (const [name, p] of Object.entries(model.params)) v[name] = tf.keep(tf.tensor(p.data as Float32Array, p.shape));
    const decMasks = model.cfg.agents.map((_, a) => {
      const m = decoderRowMask(model.cfg, a);
      return m ? tf.keep(tf.tensor2d(m, [model.cfg.latents, 1])) : null;
    });
    const ctx: ModeContext = { cfg: model.cfg, v, decMasks };
    const weights = tf.keep(getMode(model.cfg.mode).selectionWeights(ctx));
    const means = model.norms.map((n) => tf.keep(tf.tensor1d(n.mean)));
    c = { v, decMasks, weights, means };
    cache.set(model, c);
  }
  return c;
}

/** Frees the backend copies of a model's weights. */
export function releaseModel(model: SaeModel): void {
  const c = cache.get(model);
  if (!c) return;
  [...Object.values(c.v), ...c.decMasks, c.weights, ...c.means].forEach((t) => t?.dispose());
  cache.delete(model);
}

export interface EncodeOptions {
  /**
   * 'threshold' (default for BatchTopK modes): keep relu(pre)_j where relu(pre)_j·w_j exceeds the
   * threshold learned in training; 'batchtopk': select k·rows over the given rows; 'relu': no selection.
   */
  select?: 'threshold' | 'batchtopk' | 'relu';
}

function normalised(model: SaeModel, c: Cached, a: number, x: Float32Array, rows: number): tf.Tensor2D {
  const d = model.cfg.agents[a]!.dim;
  // Without the dense subspace set aside in training, if any (denseSubspace.ts).
  return tf.div(tf.sub(tf.tensor2d(withoutDense(x, model.norms[a]!), [rows, d]), c.means[a]!), model.norms[a]!.scale) as tf.Tensor2D;
}

function activate(model: SaeModel, c: Cached, pre: tf.Tensor2D, o: EncodeOptions): tf.Tensor2D {
  const mode = getMode(model.cfg.mode);
  const hasTopK = model.cfg.mode !== 'l1';
  const select = o.select ?? (hasTopK ? (Number.isFinite(model.threshold) ? 'threshold' : 'batchtopk') : 'relu');
  if (select === 'relu' || !hasTopK) return tf.relu(pre);
  const ctx: ModeContext = { cfg: model.cfg, v: c.v, decMasks: c.decMasks };
  if (select === 'threshold') ctx.threshold = model.threshold;
  return mode.activate(pre, ctx, c.weights);
}

/** Encoder pre-activation Σ_a W_a x̃_a + b as a tensor (caller disposes). */
export function preActivationTensor(model: SaeModel, xs: Float32Array[], rows: number): tf.Tensor2D {
  const c = tensors(model);
  return tf.tidy(() => {
    let pre: tf.Tensor = c.v['enc.b']!;
    xs.forEach((x, a) => (pre = tf.add(pre, matMul(normalised(model, c, a, x, rows), c.v[`enc.${model.cfg.agents[a]!.id}.W`] as tf.Tensor2D))));
    return pre as tf.Tensor2D;
  });
}

/** The joint latent code z (rows × m, dense) from every agent's raw state. */
export function encodeJoint(model: SaeModel, xs: Float32Array[], rows: number, o: EncodeOptions = {}): Float32Array {
  const c = tensors(model);
  return tidyData(() => activate(model, c, preActivationTensor(model, xs, rows), o));
}

export interface AloneOptions extends EncodeOptions {
  /** Add the encoder bias b (default true). */
  bias?: boolean;
}

/**
 * One agent's reading of the latents from its own state alone: σ(W_a x̃_a + b), rows × m.
 * Default σ is ReLU without selection (select: 'relu'), so every latent's reading is
 * visible; a shared latent's joint pre-activation is the sum of the agents' readings.
 */
export function encodeAgentAlone(model: SaeModel, agentIndex: number, x: Float32Array, rows: number, o: AloneOptions = {}): Float32Array {
  const c = tensors(model);
  const id = model.cfg.agents[agentIndex]!.id;
  return tidyData(() => {
    let pre: tf.Tensor = matMul(normalised(model, c, agentIndex, x, rows), c.v[`enc.${id}.W`] as tf.Tensor2D);
    if (o.bias ?? true) pre = tf.add(pre, c.v['enc.b']!);
    return activate(model, c, pre as tf.Tensor2D, { select: o.select ?? 'relu' });
  });
}

/** Reconstruction of agent a's raw state from codes z (rows × m): of x' = x without the dense subspace, if the model sets one aside. */
export function decodeAgent(model: SaeModel, agentIndex: number, z: Float32Array, rows: number): Float32Array {
  const c = tensors(model);
  const ctx: ModeContext = { cfg: model.cfg, v: c.v, decMasks: c.decMasks };
  return tidyData(() => {
    const r = getMode(model.cfg.mode).decode(tf.tensor2d(z, [rows, model.cfg.latents]), agentIndex, ctx);
    return tf.add(tf.mul(r, model.norms[agentIndex]!.scale), c.means[agentIndex]!);
  });
}

/** Per-latent decoder block relevance ‖D_a[j]‖/√d_a for linear decoders (m values per agent). */
export function decoderBlockNorms(model: SaeModel): Float64Array[] {
  const m = model.cfg.latents;
  return model.cfg.agents.map((a, i) => {
    const out = new Float64Array(m);
    if (model.cfg.mode === 'jacobian') return out.fill(NaN);
    const D = model.params[`dec.${a.id}.W`]!.data as Float32Array;
    const mask = decoderRowMask(model.cfg, i);
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < a.dim; k++) s += D[j * a.dim + k]! ** 2;
      out[j] = mask && mask[j] === 0 ? 0 : Math.sqrt(s / a.dim);
    }
    return out;
  });
}

/** The mode context over the model's cached tensors (for analyses that need raw weights). */
export function modeContext(model: SaeModel): ModeContext {
  const c = tensors(model);
  return { cfg: model.cfg, v: c.v, decMasks: c.decMasks };
}
