// inspect, train and detect on runs with bad data exit 4 (bad data) with a message naming
// the agent and the first offending row, never 0 on a bad join or a misleading later error.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWithLateDuplicate, runWithNaN } from '../../helpers/badRuns.js';
import { runCliCapture } from '../../helpers/runCliCapture.js';
import { tempDir } from '../../helpers/tmp.js';

describe('commands on bad data', () => {
  it('inspect, train and detect exit 4 on a (episode, step) key repeated 30 rows later', async () => {
    const ws = tempDir();
    runWithLateDuplicate(join(ws, 'runs'));
    const dup = /duplicate key in agent 'A': \(episode 0, step 0\) at row 30 repeats row 0/;
    const inspect = await runCliCapture(['-w', ws, 'inspect', 'dup']);
    expect(inspect.code, inspect.stderr).toBe(4);
    expect(inspect.stderr).toMatch(dup);
    const train = await runCliCapture(['-w', ws, 'train', 'dup', '--out', join(ws, 'ck'), '--steps', '2', '--latents', '8', '--k', '2', '--batch', '8', '--backend', 'wasm']);
    expect(train.code, train.stderr).toBe(4);
    expect(train.stderr).toMatch(dup);
    const detect = await runCliCapture(['-w', ws, 'detect', 'dup', '--views', 'cca', '-o', join(ws, 'rep')]);
    expect(detect.code, detect.stderr).toBe(4);
    expect(detect.stderr).toMatch(dup);
  }, 120_000);

  it('a NaN hidden state is named by agent and row in inspect and detect', async () => {
    const ws = tempDir();
    runWithNaN(join(ws, 'runs'));
    const nan = /hidden state is NaN at element 1 \(episode 1, step 2\) of agent 'B'.*row 12\)/;
    const inspect = await runCliCapture(['-w', ws, 'inspect', 'nan']);
    expect(inspect.code, inspect.stderr).toBe(4);
    expect(inspect.stderr).toMatch(nan);
    const detect = await runCliCapture(['-w', ws, 'detect', 'nan', '--views', 'cca', '-o', join(ws, 'rep')]);
    expect(detect.code, detect.stderr).toBe(4);
    expect(detect.stderr).toMatch(nan);
  }, 120_000);
});
