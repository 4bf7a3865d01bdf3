import { describe, expect, it } from 'vitest';
import { brancherFor, makeModel, type Arch } from '../../../agents/ipd/index.js';
import { sigmoid } from '../../../agents/ipd/seqModel.js';
import { makeRng } from '../../../util/random.js';

// The look-ahead must be exactly the predictor stepped along each searched path: a child's
// P(co-player C) and value equal those of a fresh rollout fed the real prefix and then the path.
describe.each<Arch>(['gru', 'transformer'])('search brancher (%s)', (arch) => {
  it('children equal the model stepped along the path, two levels deep', () => {
    const cfg = { arch, hidden: 8, inputs: 5, featuresPerStep: 1 };
    const model = makeModel(cfg, makeRng(3));
    const rng = makeRng(9);
    const n = 3;
    const t = 4; // search from round t of the real episodes
    const prefix = Array.from({ length: t + 1 }, (_, s) => Int32Array.from({ length: n }, () => (s === 0 ? 0 : 1 + rng.int(4))));
    const ro = model.start(n, 12);
    for (const f of prefix) model.step(ro, f);
    const br = brancherFor(model);
    br.prepare(n, 2);
    br.root(ro, t);
    const p1 = new Float64Array(4 * n);
    const v1 = new Float64Array(4 * n);
    const f1 = Int32Array.from({ length: 4 * n }, (_, c) => 1 + (c % 4));
    br.expand(0, n, f1, p1, v1);
    const p2 = new Float64Array(16 * n);
    const v2 = new Float64Array(16 * n);
    const f2 = Int32Array.from({ length: 16 * n }, (_, c) => 1 + (c % 4));
    br.expand(1, 4 * n, f2, p2, v2);
    for (let i = 0; i < n; i++) {
      for (let o1 = 0; o1 < 4; o1++) {
        for (let o2 = 0; o2 < 4; o2++) {
          const ref = model.start(1, 12);
          for (const f of prefix) model.step(ref, Int32Array.of(f[i]!));
          model.step(ref, Int32Array.of(1 + o1));
          const c1 = i * 4 + o1;
          expect(p1[c1]).toBeCloseTo(sigmoid(ref.logit[t + 1]!), 12);
          expect(v1[c1]).toBeCloseTo(ref.value[t + 1]!, 12);
          model.step(ref, Int32Array.of(1 + o2));
          const c2 = c1 * 4 + o2;
          expect(p2[c2]).toBeCloseTo(sigmoid(ref.logit[t + 2]!), 12);
          expect(v2[c2]).toBeCloseTo(ref.value[t + 2]!, 12);
        }
      }
    }
  });
});
