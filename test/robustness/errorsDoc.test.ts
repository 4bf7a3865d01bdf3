// docs/ERRORS.md is generated from the real behaviour: this runs every bad input of
// test/helpers/errorsDoc.ts and fails when the table in the doc differs (regenerate with
// `npx tsx test/helpers/errorsDoc.ts`). It also checks the promises the doc makes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CASES, ERRORS_DOC, collectErrorRows, renderDoc, renderTable } from '../helpers/errorsDoc.js';

describe('docs/ERRORS.md', () => {
  it('matches what each bad input really produces', async () => {
    const rows = await collectErrorRows();
    expect(rows).toHaveLength(CASES.length);
    // Every rejection is a ThoughtlensError with a message; CLI exit codes are never 70
    // (internal error) and HTTP statuses never 5xx.
    for (const r of rows) {
      expect(r.code, r.input).not.toBe('NOT A ThoughtlensError');
      expect(r.outcome, r.input).not.toMatch(/exit 70|HTTP 5\d\d/);
      if (r.code.startsWith('TL_')) expect(r.message.length, r.input).toBeGreaterThan(15);
      expect(r.message, r.input).not.toMatch(/\n\s+at |\/tmp\//);
    }
    const doc = readFileSync(ERRORS_DOC, 'utf8');
    const fresh = renderDoc(doc, renderTable(rows));
    expect(doc, 'docs/ERRORS.md is stale: run `npx tsx test/helpers/errorsDoc.ts` and commit it').toBe(fresh);
  });
});
