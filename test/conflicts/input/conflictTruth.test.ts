// truth/conflicts.json as written by hand: the object the synthetic source writes or a bare
// list, read alike; a malformed entry is an error naming the file and the entry.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConflictTruth } from '../../../conflicts/index.js';
import { writeTruthJson } from '../../../data/index.js';
import { tempDir } from '../../helpers/tmp.js';

const entry = { episode: 2, agent: 'B', thoughts: [1, 3], onsetStep: 40, divergenceStep: 50, speed: 0.05 };

function runWith(value: unknown): string {
  const dir = join(tempDir(), 'run');
  mkdirSync(dir, { recursive: true });
  writeTruthJson(dir, 'conflicts.json', value);
  return dir;
}

describe('truth/conflicts.json', () => {
  it('reads { conflicts: [...] } and a bare list alike', () => {
    const want = [{ episode: 2, agent: 'B', thoughts: [1, 3], onsetStep: 40, divergenceStep: 50 }];
    expect(readConflictTruth(runWith({ format: 'x', conflicts: [entry] }))).toEqual(want);
    expect(readConflictTruth(runWith([entry]))).toEqual(want);
  });

  it('is null without the file, and names file and entry when an entry is malformed', () => {
    expect(readConflictTruth(join(tempDir(), 'none'))).toBeNull();
    const dir = runWith([entry, { ...entry, onsetStep: 'soon' }]);
    expect(() => readConflictTruth(dir)).toThrow(/conflicts\.json: conflict 1 has no numeric 'onsetStep'/);
    try {
      readConflictTruth(dir);
    } catch (err) {
      expect((err as { location?: { file?: string } }).location?.file).toBe(join(dir, 'truth', 'conflicts.json'));
    }
    expect(() => readConflictTruth(runWith({ conflict: [] }))).toThrow(/has no 'conflicts' list/);
  });

  it('refuses an unknown agent and thought ids that are not ids', () => {
    expect(readConflictTruth(runWith([entry]), ['A', 'B'])).toHaveLength(1);
    expect(() => readConflictTruth(runWith([entry, { ...entry, agent: 'carol' }]), ['A', 'B'])).toThrow(/conflicts\.json: conflict 1 names agent 'carol', not an agent of the run \(A, B\)/);
    expect(() => readConflictTruth(runWith([{ ...entry, thoughts: [1, 'x'] }]))).toThrow(/conflict 0 has thoughts \[1,"x"\]; they must be thought ids/);
    // An onset at or after the divergence is allowed (ipd-delayed writes such entries; no window) and so is no agent.
    expect(readConflictTruth(runWith([{ ...entry, onsetStep: 50, agent: undefined }]), ['A', 'B'])![0]).toMatchObject({ agent: '', onsetStep: 50 });
  });
});
