// Shared finite-difference check for the sequence models (imported by their tests).
import { makeRng } from '../../../util/random.js';
import { zerosLike, type SeqModel } from '../../../agents/ipd/index.js';

/** Max relative error between analytic and central-difference gradients of a random linear loss. */
export function gradCheck(model: SeqModel, n = 3, T = 6, seed = 7): { maxRel: number; checked: number } {
  const rng = makeRng(seed);
  const K = model.cfg.featuresPerStep;
  const feats = Array.from({ length: T }, () => Int32Array.from({ length: n * K }, () => rng.int(model.cfg.inputs)));
  const cl = Float64Array.from({ length: T * n }, () => rng.normal());
  const cv = Float64Array.from({ length: T * n }, () => rng.normal());
  const loss = (): number => {
    const ro = model.start(n, T);
    for (let t = 0; t < T; t++) model.step(ro, feats[t]!);
    let s = 0;
    for (let i = 0; i < T * n; i++) s += cl[i]! * Math.tanh(ro.logit[i]!) + cv[i]! * ro.value[i]! ** 2;
    return s;
  };
  const ro = model.start(n, T);
  for (let t = 0; t < T; t++) model.step(ro, feats[t]!);
  const dl = Float64Array.from({ length: T * n }, (_, i) => cl[i]! * (1 - Math.tanh(ro.logit[i]!) ** 2));
  const dv = Float64Array.from({ length: T * n }, (_, i) => cv[i]! * 2 * ro.value[i]!);
  const grads = zerosLike(model.params);
  model.backward(ro, dl, dv, grads);
  let maxRel = 0;
  let checked = 0;
  const eps = 1e-5;
  model.params.forEach((p, pi) => {
    const idx = new Set<number>();
    for (let k = 0; k < Math.min(12, p.data.length); k++) idx.add(rng.int(p.data.length));
    for (const j of idx) {
      const old = p.data[j]!;
      p.data[j] = old + eps;
      const up = loss();
      p.data[j] = old - eps;
      const down = loss();
      p.data[j] = old;
      const num = (up - down) / (2 * eps);
      const ana = grads[pi]![j]!;
      const rel = Math.abs(num - ana) / Math.max(1e-4, Math.abs(num) + Math.abs(ana));
      maxRel = Math.max(maxRel, rel);
      checked++;
    }
  });
  return { maxRel, checked };
}
