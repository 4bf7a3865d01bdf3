// Tensor ops with hand-written gradients. On the wasm backend the stock matMul gradient uses
// transposed operands, which run a naive loop (≈10× slower); these use explicit transposes.
// tf.topk has no gradient: the BatchTopK mask is built inside a custom op, so the selection
// is not on the tape and the gradient is the upstream gradient times the mask.
import * as tf from '@tensorflow/tfjs';

/** a @ b with a gradient that uses explicit transposes (fast on wasm). */
export const matMul = tf.customGrad(((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy as tf.Tensor2D)];
    },
  };
}) as never) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/** Identity forward, zero gradient (tfjs has no stopGradient). */
export const stopGradient = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.clone(x),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as never) as <T extends tf.Tensor>(x: T) => T;

/**
 * The value of the K-th largest entry of a (flattened) tensor; 0 when K ≥ size.
 * Computed off the tape.
 */
export function kthLargest(x: tf.Tensor, K: number): tf.Scalar {
  return tf.tidy(() => {
    const flat = x.reshape([-1]);
    if (K >= flat.size) return tf.scalar(0);
    const { values } = tf.topk(flat, K, false);
    return values.min() as tf.Scalar;
  });
}

/**
 * BatchTopK: keep the K = k·B largest entries of relu(pre)·weight over the whole batch
 * (weight is a [1, m] row of per-latent weights, e.g. decoder norms for norm-aware
 * selection, or a 0/1 row restricting the selection). Returns relu(pre) on the kept entries.
 * `onThreshold` receives the selection threshold (a kept tensor the caller disposes).
 */
export function batchTopK(pre: tf.Tensor2D, weight: tf.Tensor2D, K: number, onThreshold?: (thr: tf.Scalar) => void): tf.Tensor2D {
  const op = tf.customGrad(((p: tf.Tensor, save: tf.GradSaveFunc) => {
    const act = tf.relu(p);
    const score = tf.mul(act, weight);
    const thr = kthLargest(score, K);
    if (onThreshold) onThreshold(tf.keep(thr.clone()));
    // step(x) = 1 for x > 0: entries tied with the threshold are kept by the tiny offset.
    const mask = tf.step(tf.add(tf.sub(score, thr), 1e-30)).mul(tf.step(score));
    save([mask]);
    return { value: tf.mul(act, mask), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0]!) };
  }) as never) as (p: tf.Tensor) => tf.Tensor;
  return op(pre) as tf.Tensor2D;
}

/** Row norms √(Σ x² + eps), differentiable at 0. */
export function rowNorms(x: tf.Tensor2D, eps = 1e-10): tf.Tensor1D {
  return tf.sqrt(tf.add(tf.sum(tf.square(x), 1), eps)) as tf.Tensor1D;
}

/**
 * Runs `fn` in a tidy scope and returns its tensor's values. (Returning a typed array from
 * tf.tidy itself makes tidy walk every element looking for tensors: seconds per call.)
 */
export function tidyData(fn: () => tf.Tensor): Float32Array {
  const t = tf.tidy(fn);
  const d = t.dataSync() as Float32Array;
  t.dispose();
  return d;
}
