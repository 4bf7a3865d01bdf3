// The train/split line on absorbed uses (cli/absorbedText.ts): nothing when none was dropped,
// else the count, the first few latents with the agent, the latent repeated and the new class.
import { describe, expect, it } from 'vitest';
import { absorbedText } from '../../cli/absorbedText.js';

describe('absorbedText', () => {
  it('is empty without absorbed uses (and for splits written before they were recorded)', () => {
    expect(absorbedText({ classes: ['shared'], absorbed: [[]] })).toBe('');
    expect(absorbedText({ classes: ['shared'] })).toBe('');
    expect(absorbedText(undefined)).toBe('');
  });

  it('names the latents, the agent dropped, the latent it repeats and the class that follows', () => {
    const u = (agent: string, latent: number) => [{ agent, latent, cos: 0.9512 }];
    const one = absorbedText({ classes: ['shared', 'private-B'], absorbed: [[], u('A', 0)] });
    expect(one).toMatch(/^absorbed {3}1 use dropped — /);
    expect(one).toMatch(/: 1 \(A repeats 0, cos 0\.95\) → private-B$/);
    const six = absorbedText({ classes: Array(6).fill('private-B'), absorbed: Array.from({ length: 6 }, (_, j) => u('A', (j + 1) % 6)) });
    expect(six).toMatch(/^absorbed {3}6 uses dropped/);
    expect(six).toMatch(/3 \(A repeats 4, cos 0\.95\) → private-B, and 2 more$/);
  });
});
