import { describe, expect, it } from 'vitest';
import { makeRng } from '../../../util/random.js';
import { Gru } from '../../../agents/ipd/index.js';
import { gradCheck } from './gradCheck.js';

describe('Gru', () => {
  it('backprop through time matches finite differences', () => {
    const model = new Gru({ arch: 'gru', hidden: 5, inputs: 7, featuresPerStep: 2 }, makeRng(3));
    // heads start small; make them O(1) so their gradients are exercised too
    for (const p of model.params) if (p.name.startsWith('head')) for (let i = 0; i < p.data.length; i++) p.data[i] = Math.sin(i + 1);
    const { maxRel, checked } = gradCheck(model);
    expect(checked).toBeGreaterThan(40);
    expect(maxRel).toBeLessThan(1e-5);
  });
});

describe('CausalTransformer', () => {
  it('backprop through attention matches finite differences', async () => {
    const { CausalTransformer } = await import('../../../agents/ipd/index.js');
    const model = new CausalTransformer({ arch: 'transformer', hidden: 4, inputs: 7, featuresPerStep: 2, ffn: 6 }, makeRng(5));
    for (const p of model.params) if (p.name.startsWith('head') || p.name === 'tf.b1') for (let i = 0; i < p.data.length; i++) p.data[i] = 0.5 * Math.sin(i + 1);
    const { maxRel, checked } = gradCheck(model);
    expect(checked).toBeGreaterThan(60);
    expect(maxRel).toBeLessThan(1e-5);
  });
});
