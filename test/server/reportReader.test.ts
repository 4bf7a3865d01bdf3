// The report view carries the detector's precursor statement, so the run view can say plainly
// when no representational precursor was found.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReport } from '../../server/reportReader.js';
import { tempDir } from '../helpers/tmp.js';

describe('readReport', () => {
  it('passes on the precursor statement when the report has one, and nothing otherwise', () => {
    const dir = tempDir('tl-report-reader-');
    const statement = 'no representational precursor found: on the reference data the score does not rise before behavioural conflicts';
    const withIt = join(dir, 'a.json');
    writeFileSync(withIt, JSON.stringify({ flags: [], precursor: { found: false, referenceAuroc: 0.51, statement } }));
    expect(readReport(withIt, 'a', 'run', null, []).precursor).toEqual({ found: false, statement });
    const without = join(dir, 'b.json');
    writeFileSync(without, JSON.stringify({ flags: [], precursor: { found: 'no' } }));
    expect(readReport(without, 'b', 'run', null, []).precursor).toBeUndefined();
  });
});
