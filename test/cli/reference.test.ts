import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliReference } from '../helpers/cliReference.js';

describe('docs/CLI.md', () => {
  it('matches the commands\' --help (run `npm run docs:cli` after changing a command)', () => {
    const onDisk = readFileSync(new URL('../../docs/CLI.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(cliReference());
  });
});
