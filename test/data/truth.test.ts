import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import {
  FormatError,
  NotFoundError,
  openRun,
  readTruthJson,
  readTruthTable,
  truthPath,
  writeTruthJson,
  writeTruthTable,
} from '../../data/index.js';
import { makeTestRun } from '../helpers/makeTestRun.js';
import { tempDir } from '../helpers/tmp.js';

describe('truth files', () => {
  it('round-trip JSON and Arrow tables, and are listed in the manifest', () => {
    const { dir, writer } = makeTestRun(tempDir(), 'syn', {
      episodes: 1,
      steps: 3,
      leaveOpen: true,
    });
    const structure = { version: 1, groups: [{ name: 'shared', agents: ['A', 'B'], size: 3 }] };
    const table = tableFromArrays({
      episode: Int32Array.of(0, 0),
      step: Int32Array.of(0, 1),
      z0: Float32Array.of(0.5, -1),
    });
    writer.addTruthFiles([
      writeTruthJson(dir, 'structure.json', structure),
      writeTruthTable(dir, 'latents.arrows', table),
    ]);
    writer.close();
    const run = openRun(dir);
    expect(run.manifest.truth).toEqual(['truth/structure.json', 'truth/latents.arrows']);
    expect(run.hasTruth('truth/structure.json')).toBe(true);
    expect(run.hasTruth('truth/other.json')).toBe(false);
    expect(readTruthJson(dir, 'structure.json')).toEqual(structure);
    const back = readTruthTable(dir, 'latents.arrows');
    expect(back.numRows).toBe(2);
    expect(Array.from(back.getChild('z0')!.toArray() as Float32Array)).toEqual([0.5, -1]);
    expect(String(back.schema.fields[2]!.type)).toBe('Float32');
  });

  it('refuse names that leave the truth folder, and report missing or broken files', () => {
    const { dir } = makeTestRun(tempDir(), 'syn', { episodes: 1, steps: 1 });
    expect(() => truthPath(dir, '../run.json')).toThrow(FormatError);
    expect(() => truthPath(dir, '/etc/passwd')).toThrow(FormatError);
    expect(() => readTruthJson(dir, 'nope.json')).toThrow(NotFoundError);
    expect(() => readTruthTable(dir, 'nope.arrows')).toThrow(NotFoundError);
    writeTruthJson(dir, 'x.json', {});
    writeFileSync(join(dir, 'truth', 'x.json'), '{ broken');
    expect(() => readTruthJson(dir, 'x.json')).toThrow(/truth file is not valid JSON.*x\.json/);
    writeFileSync(join(dir, 'truth', 'bad.arrows'), 'not arrow');
    expect(() => readTruthTable(dir, 'bad.arrows')).toThrow(FormatError);
  });
});
