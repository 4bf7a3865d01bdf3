// The hand-written gradients against central finite differences, on the cpu backend.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../sae/index.js';
import { batchTopK, matMul } from '../../../sae/model/ops.js';
import { makeRng } from '../../../util/random.js';

beforeAll(async () => {
  await selectBackend('cpu');
  tf.env().set('WEBGL_PACK', false);
});

function fdCheck(f: (x: tf.Tensor) => tf.Scalar, x0: Float32Array, shape: number[], tol = 2e-2): void {
  const g = tf.tidy(() => tf.grad(f)(tf.tensor(x0, shape)).dataSync().slice());
  const h = 1e-2;
  for (let i = 0; i < x0.length; i++) {
    const xp = x0.slice();
    const xm = x0.slice();
    xp[i]! += h;
    xm[i]! -= h;
    const fp = tf.tidy(() => f(tf.tensor(xp, shape)).dataSync()[0]!);
    const fm = tf.tidy(() => f(tf.tensor(xm, shape)).dataSync()[0]!);
    const num = (fp - fm) / (2 * h);
    expect(Math.abs(num - g[i]!)).toBeLessThan(tol * Math.max(1, Math.abs(num)));
  }
}

describe('custom gradients', () => {
  const rng = makeRng(11);
  const rand = (n: number) => Float32Array.from({ length: n }, () => rng.normal());

  it('matMul with explicit transposes matches finite differences in both operands', () => {
    const a = rand(3 * 4);
    const b = rand(4 * 5);
    const w = tf.tensor2d(rand(3 * 5), [3, 5]);
    fdCheck((x) => tf.sum(tf.mul(matMul(x as tf.Tensor2D, tf.tensor2d(b, [4, 5])), w)), a, [3, 4]);
    fdCheck((x) => tf.sum(tf.mul(matMul(tf.tensor2d(a, [3, 4]), x as tf.Tensor2D), w)), b, [4, 5]);
  });

  it('BatchTopK passes the gradient through the kept entries only', () => {
    // Well-separated values so ±h does not change the selection.
    const pre = Float32Array.from({ length: 4 * 6 }, (_, i) => ((i * 7) % 24) * 0.5 - 4);
    const weight = tf.ones([1, 6]) as tf.Tensor2D;
    const w = tf.tensor2d(rand(24), [4, 6]);
    fdCheck((x) => tf.sum(tf.mul(tf.square(batchTopK(x as tf.Tensor2D, weight, 5)), w)), pre, [4, 6]);
    const z = batchTopK(tf.tensor2d(pre, [4, 6]), weight, 5).dataSync();
    expect(Array.from(z).filter((v) => v > 0).length).toBe(5);
    expect(Math.min(...Array.from(z).filter((v) => v > 0))).toBeCloseTo(Math.max(...Array.from(pre)) - 2, 5);
  });
});
