// `train`'s notes on uneven held-out reconstruction, on the per-agent FVUs of runs measured in
// docs/RESULTS.md (eighth session).
import { describe, expect, it } from 'vitest';
import { fvuNotes } from '../../cli/fvuNotes.js';

describe('fvuNotes', () => {
  it('names the agent whose held-out FVU is ≥ 0.3 and ≥ 2× the lowest (a runaway episode: foreign, six long episodes)', () => {
    const notes = fvuNotes({ A: 0.1325, B: 0.6434 });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^B's held-out FVU 0\.64 is 4\.9× A's \(0\.13\)/);
  });

  it('says when an agent is reconstructed worse than its mean (FVU ≥ 1)', () => {
    const notes = fvuNotes({ A: 1.8338, B: 0.1198 });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^A's held-out FVU is 1\.83 \(≥ 1\)/);
  });

  it('is silent on even or low FVUs, and works for any number of agents', () => {
    expect(fvuNotes({ A: 0.14, B: 0.21 })).toEqual([]);
    expect(fvuNotes({ A: 0.05, B: 0.25 })).toEqual([]); // 5× but under 0.3
    expect(fvuNotes({ A: 0.49, B: 0.46, C: 0.29, D: 0.33 })).toEqual([]); // 1.7×
    const four = fvuNotes({ A: 0.1399, B: 0.2139, C: 0.165, D: 0.3126 });
    expect(four).toHaveLength(1);
    expect(four[0]).toMatch(/^D's/);
    expect(fvuNotes({})).toEqual([]);
    expect(fvuNotes({ A: 0.5 })).toEqual([]);
  });
});
