// Hand-written typed-array GRU (forward + BPTT) against the same GRU in tfjs (wasm and cpu
// backends, autodiff), on one training batch: n episodes × T rounds, hidden H; and the
// hand-written one-layer causal transformer of the same width.
//   npx tsx bench/agents/kernels.bench.ts --n 96 --T 100 --H 32 --reps 3
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { makeRng } from '../../util/random.js';
import { makeModel, zerosLike } from '../../agents/ipd/index.js';
import { benchArgs } from './benchArgs.js';

const a = benchArgs();
const n = Number(a.n ?? 96);
const T = Number(a.T ?? 100);
const H = Number(a.H ?? 32);
const reps = Number(a.reps ?? 3);
const rng = makeRng(1);
const feats = Array.from({ length: T }, () => Int32Array.from({ length: n }, () => rng.int(5)));

function handWritten(arch: 'gru' | 'transformer' = 'gru'): number {
  const g = makeModel({ arch, hidden: H, inputs: 5, featuresPerStep: 1 }, makeRng(2));
  const grads = zerosLike(g.params);
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) {
    const ro = g.start(n, T);
    for (let t = 0; t < T; t++) g.step(ro, feats[t]!);
    g.backward(ro, new Float64Array(T * n).fill(0.01), new Float64Array(T * n).fill(0.01), grads);
  }
  return (performance.now() - t0) / reps;
}

async function tfjs(backend: string): Promise<number> {
  await tf.setBackend(backend);
  await tf.ready();
  const wx = tf.variable(tf.randomUniform([5, 3 * H], -0.1, 0.1));
  const wh = tf.variable(tf.randomUniform([H, 3 * H], -0.1, 0.1));
  const b = tf.variable(tf.zeros([3 * H]));
  const wp = tf.variable(tf.randomUniform([H, 2], -0.1, 0.1));
  const xs = feats.map((f) => tf.oneHot(tf.tensor1d(Array.from(f), 'int32'), 5).toFloat());
  const loss = (): tf.Scalar => {
    let h = tf.zeros([n, H]);
    let acc = tf.scalar(0);
    for (let t = 0; t < T; t++) {
      const gx = tf.add(tf.matMul(xs[t]!, wx), b);
      const gh = tf.matMul(h, wh);
      const [xr, xz, xn] = tf.split(gx, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const [hr, hz, hn] = tf.split(gh, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const r = tf.sigmoid(tf.add(xr, hr));
      const z = tf.sigmoid(tf.add(xz, hz));
      const nn = tf.tanh(tf.add(xn, tf.mul(r, hn)));
      h = tf.add(tf.mul(tf.sub(1, z), nn), tf.mul(z, h));
      acc = tf.add(acc, tf.sum(tf.matMul(h, wp)));
    }
    return acc as tf.Scalar;
  };
  const once = (): void => {
    tf.tidy(() => {
      const { grads } = tf.variableGrads(loss);
      Object.values(grads).forEach((g) => g.dataSync());
    });
  };
  once(); // warm-up
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) once();
  return (performance.now() - t0) / reps;
}

const res: Record<string, number> = { handWritten: handWritten() };
for (const be of (a.backends ?? 'wasm,cpu').split(',')) {
  try {
    res[be] = await tfjs(be);
  } catch (err) {
    console.error(`tfjs ${be}: ${(err as Error).message}`);
  }
}
res.handWrittenAgain = handWritten(); // interleaved: the machine is shared and noisy
res.handWrittenTransformer = handWritten('transformer');
console.log(JSON.stringify({ n, T, H, msPerBatch: res, agentStepsPerSecond: Object.fromEntries(Object.entries(res).map(([k, v]) => [k, Math.round((n * T) / (v / 1000))])) }));
