// train's note when its size probe reproduced no latent (cli/reproducibleNote.ts).
import { describe, expect, it } from 'vitest';
import { reproducedByProbe, unreproducibleNote } from '../../cli/reproducibleNote.js';

describe('unreproducibleNote', () => {
  it('says the states show no sparse structure when a second seed reproduced none of the probe latents, nothing when it reproduced many', () => {
    expect(unreproducibleNote({ probe: { stable: 0 } })).toHaveLength(1);
    expect(unreproducibleNote({ probe: { stable: 0 } })[0]).toMatch(/no latent of the size probe was reproduced/);
    expect(unreproducibleNote({ probe: { stable: 23 } })).toEqual([]);
    // Latents given: the probe did not run (stable null), nothing to say.
    expect(unreproducibleNote({ probe: { stable: null } })).toEqual([]);
    expect(unreproducibleNote(undefined)).toEqual([]);
  });

  it('speaks when the probe reproduced fewer latents than there are agents', () => {
    expect(unreproducibleNote({ probe: { stable: 2 } }, 16)).toHaveLength(1);
    expect(unreproducibleNote({ probe: { stable: 2 } }, 16)[0]).toMatch(/reproduced only 2 latents for 16 agents/);
    expect(unreproducibleNote({ probe: { stable: 1 } }, 2)[0]).toMatch(/only 1 latent for 2 agents/);
    expect(unreproducibleNote({ probe: { stable: 16 } }, 16)).toEqual([]);
    expect(unreproducibleNote({ probe: { stable: 3 } }, 3)).toEqual([]);
    expect(unreproducibleNote({ probe: { stable: null } }, 16)).toEqual([]);
  });

  it('reads the count from the checkpoint field', () => {
    expect(reproducedByProbe({ probe: { latents: 72, stable: 5 } })).toBe(5);
    expect(reproducedByProbe({ probe: 'x' })).toBeNull();
  });
});
