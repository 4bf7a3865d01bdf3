// The one checkpoint reader of the CLI and the workbench: the trainer's layout at any ratio
// of latents to hidden size, names resolved like runs, other schemas refused by name.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchLatents, readCheckpointInfo, resolveCheckpointRef } from '../../../sae/index.js';
import { writeCheckpointFixture } from '../../helpers/serverFixtures.js';
import { tempDir } from '../../helpers/tmp.js';

describe('readCheckpointInfo', () => {
  it.each([
    [32, 64],
    [96, 16],
  ])('reads %i latents with hidden size %i in the trainer layout, never transposed', (m, d) => {
    const ws = tempDir();
    const { classes } = writeCheckpointFixture(ws, 'ck', { numLatents: m, dims: [d, d] });
    const c = readCheckpointInfo(join(ws, 'checkpoints', 'ck'));
    expect(c.numLatents).toBe(m);
    expect(c.classes).toEqual(classes);
    expect(c.decoderNorms.A!.length).toBe(m);
    expect(c.decoders.A!.d).toBe(d);
    expect(Object.keys(c.counts)).not.toContain('unknown');
    expect(Object.values(c.counts).reduce((s, n) => s + n, 0)).toBe(m);
    // private-A latents decode (almost) only into A
    const j = classes.indexOf('private-A');
    expect(c.relativeNorm[j]).toBeGreaterThan(0.9);
  });

  it('takes the counts from split.json, any class name (rare) and extra evidence fields included', () => {
    const ws = tempDir();
    const classes = ['shared', 'rare', 'private-A', 'dead'];
    const evidence = [{ nu: [1, 0.2] }, null, null, null];
    const scalingLo = [[0.9, 0, 0.8, 0], [0.7, 0, 0, 0]];
    writeCheckpointFixture(ws, 'ck', { numLatents: 4, classes, splitExtra: { counts: { shared: 1, rare: 1, 'private-A': 1, dead: 1, 'private-B': 0 }, evidence, scalingLo, activeRows: [50, 3, 40, 0], futureField: 'x' } });
    const c = readCheckpointInfo(join(ws, 'checkpoints', 'ck'));
    expect(c.counts).toEqual({ shared: 1, rare: 1, 'private-A': 1, dead: 1, 'private-B': 0 });
    expect(c.evidence.evidence).toEqual(evidence);
    expect(c.evidence.perAgent.scalingLo).toEqual(scalingLo);
    expect(c.evidence.perLatent.activeRows).toEqual([50, 3, 40, 0]);
  });

  it('refuses a folder of another schema with a message that names the field', () => {
    const dir = join(tempDir(), 'flat');
    mkdirSync(dir);
    writeFileSync(join(dir, 'cfg.json'), JSON.stringify({ numLatents: 32, agents: [{ id: 'A', hiddenSize: 64 }] }));
    expect(() => readCheckpointInfo(dir)).toThrow(/'format' must be "thoughtlens-sae"/);
  });

  it('refuses a split.json whose classes do not match the latent count', () => {
    const ws = tempDir();
    writeCheckpointFixture(ws, 'ck', { numLatents: 8 });
    writeFileSync(join(ws, 'checkpoints', 'ck', 'split.json'), JSON.stringify({ classes: ['shared'] }));
    expect(() => readCheckpointInfo(join(ws, 'checkpoints', 'ck'))).toThrow(/1 classes but cfg.json 'config.latents' is 8/);
  });

  it('matches latents of dictionaries of different sizes one to one', () => {
    const ws = tempDir();
    writeCheckpointFixture(ws, 'small', { numLatents: 8, dims: [16, 16] });
    writeCheckpointFixture(ws, 'big', { numLatents: 24, dims: [16, 16] });
    const m = matchLatents(readCheckpointInfo(join(ws, 'checkpoints', 'small')), readCheckpointInfo(join(ws, 'checkpoints', 'big')));
    expect(m.length).toBe(8);
    expect(new Set(m.map((x) => x.b)).size).toBe(8);
  });
});

describe('resolveCheckpointRef', () => {
  it('takes a name in the workspace or a path, and says neither as not found', () => {
    const ws = tempDir();
    writeCheckpointFixture(ws, 'dict', { numLatents: 4 });
    expect(resolveCheckpointRef(ws, 'dict')).toBe(join(ws, 'checkpoints', 'dict'));
    expect(resolveCheckpointRef('/nonexistent', join(ws, 'checkpoints', 'dict'))).toBe(join(ws, 'checkpoints', 'dict'));
    expect(() => resolveCheckpointRef(ws, 'nope')).toThrow(expect.objectContaining({ code: 'TL_NOT_FOUND' }));
  });
});
