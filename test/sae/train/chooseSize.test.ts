// The size rule's last step: latents = ⌈h·S⌉ where S is the number of probe latents a second seed
// reproduces and h is 1.25 for two agents, 1.5 for three, 1.75 from four (docs/SPLIT.md, "What `train`
// does with no flags"). Probes here are hand-built, so S is known exactly.
import { describe, expect, it } from 'vitest';
import { handModel } from '../handModelFixture.js';
import { chooseSize, sizeHeadroom } from '../../../sae/train/autoSize.js';
import { makeRng } from '../../../util/random.js';

describe('chooseSize', () => {
  const rows = 400;
  const rng = makeRng(5);
  const x = new Float32Array(rows * 2);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const sample = { xs: [x, new Float32Array(rows)], rows, episode: new Int32Array(rows) };
  // Both seeds' probes read x0, x1 and x0 − x1 alike: all three latents are reproduced (S = 3).
  const probe = async () => handModel([1, 0, 1, 0, 1, -1], [1, 0, 0, 1, 0.5, -0.5], 3, 3);

  it('headroom is 1.25 for two agents, 1.5 for three and 1.75 from four on', () => {
    expect([2, 3, 4, 8, 100].map(sizeHeadroom)).toEqual([1.25, 1.5, 1.75, 1.75, 1.75]);
  });

  it('sizes the dictionary at ⌈headroom × reproduced probe latents⌉ and says so', async () => {
    const lines: string[] = [];
    const two = await chooseSize([2, 1], sample, probe, 1, { k: 1 }, (l) => lines.push(l));
    expect(two.probe.stable).toBe(3);
    expect(two.latents).toBe(4); // ⌈1.25 · 3⌉
    expect(two.reason).toContain('1.25 × the 3 probe latents');
    expect(lines.join('\n')).toContain('3 of 16 probe latents reproduced');
    // The same probes counted for four agents (the trainer does not look at the sizes): ⌈1.75 · 3⌉.
    const four = await chooseSize([2, 1, 1, 1], sample, probe, 1, { k: 1 }, () => {});
    expect(four.latents).toBe(6);
    expect(four.reason).toContain('1.75 × the 3 probe latents');
  });
});
