// train's note when its size probe reproduced no latent (cli/reproducibleNote.ts).
import { describe, expect, it } from 'vitest';
import { reproducedByProbe, unreproducibleNote } from '../../cli/reproducibleNote.js';

describe('unreproducibleNote', () => {
  it('speaks only when the size probe ran and a second seed reproduced none of its latents', () => {
    expect(unreproducibleNote({ probe: { stable: 0 } })).toHaveLength(1);
    expect(unreproducibleNote({ probe: { stable: 0 } })[0]).toMatch(/no latent of the size probe was reproduced/);
    expect(unreproducibleNote({ probe: { stable: 1 } })).toEqual([]);
    expect(unreproducibleNote({ probe: { stable: 23 } })).toEqual([]);
    // Latents given: the probe did not run (stable null), nothing to say.
    expect(unreproducibleNote({ probe: { stable: null } })).toEqual([]);
    expect(unreproducibleNote(undefined)).toEqual([]);
  });

  it('reads the count from the checkpoint field', () => {
    expect(reproducedByProbe({ probe: { latents: 72, stable: 5 } })).toBe(5);
    expect(reproducedByProbe({ probe: 'x' })).toBeNull();
  });
});
