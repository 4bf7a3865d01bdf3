// `split`'s agreement line counts latents by how many agents use them, up to every agent of the
// dictionary (it once stopped at 3 whatever the number of agents, so four-agent latents went uncounted).
import { describe, expect, it } from 'vitest';
import { agreementLine } from '../../../cli/commands/split.js';

describe('agreementLine', () => {
  it('covers 0 … N agents', () => {
    expect(agreementLine({ agents: ['A', 'B'], alpha: [0, 1, 2, 2, 0] })).toBe('agreement α (agents using a latent; 0 = rare or dead): 0: 2  1: 1  2: 2');
    expect(agreementLine({ agents: ['A', 'B', 'C', 'D'], alpha: [4, 4, 3, 1, 0] })).toBe(
      'agreement α (agents using a latent; 0 = rare or dead): 0: 1  1: 1  2: 0  3: 1  4: 2',
    );
  });
});
