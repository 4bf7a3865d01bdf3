import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRun } from '../../../data/index.js';
import { parseDelayedSwitch } from '../../../cli/commands/recordIpdDelayed.js';
import { readConflictTruth } from '../../../conflicts/index.js';
import { runCliCapture } from '../../helpers/runCliCapture.js';
import { tempDir } from '../../helpers/tmp.js';

describe('record ipd-delayed', () => {
  it('records a 2-learner run with truth that detect can read', async () => {
    const ws = tempDir();
    const r = await runCliCapture(['-w', ws, 'record', 'ipd-delayed', '--switch', 'always-cooperate:always-defect@8', '--view-delay', '2', '-n', '4', '--rounds', '20', '--seed', '1', '--out', 'nat', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { agents: string[]; stats: { episodes: number; sawSwitch: number } };
    expect(out.agents).toEqual(['A', 'B']);
    expect(out.stats).toMatchObject({ episodes: 4, sawSwitch: 4 });
    const dir = join(ws, 'runs', 'nat');
    expect(openRun(dir).manifest.source).toMatchObject({ kind: 'ipd-delayed', params: { delay: 2, noise: 0, coPlayer: { from: 'always-cooperate', to: 'always-defect' } } });
    const truth = readConflictTruth(dir)!;
    expect(truth.map((c) => c.onsetStep)).toEqual([9, 9, 9, 9]);
    expect(truth.every((c) => c.agent === 'A' && c.thoughts.length === 0)).toBe(true);
  });

  it('parses the switch forms', () => {
    expect(parseDelayedSwitch('tit-for-tat:always-defect@random')).toEqual({ from: 'tit-for-tat', to: 'always-defect', at: 'random' });
    expect(parseDelayedSwitch('a:b@30')).toEqual({ from: 'a', to: 'b', at: 30 });
    expect(parseDelayedSwitch('a:b@20-40')).toEqual({ from: 'a', to: 'b', at: [20, 40] });
  });

  it('bad options get a one-line error and exit code 2', async () => {
    const ws = tempDir();
    const cases: [string[], RegExp][] = [
      [['--switch', 'always-defect@50'], /--switch must look like tit-for-tat:always-defect@random/],
      [['--switch', 'tit-for-tat:nope@10'], /no style named 'nope'/],
      [['--switch', 'tit-for-tat:always-defect@190'], /switch round must be an integer in \[1, 159\]/],
      [['--view-delay', '160'], /view delay must be an integer in \[0, 159\]/],
      [['--noise', '0.9'], /probability in \[0, 0\.5\)/],
      [['--agents', 'tit-for-tat'], /learner A 'tit-for-tat' is neither a checkpoint folder nor a shipped checkpoint/],
      [['--agents', 'gru-stage1', 'gru-stage1', 'gru-planner'], /--agents takes one or two learners/],
    ];
    for (const [flags, msg] of cases) {
      const r = await runCliCapture(['-w', ws, 'record', 'ipd-delayed', '-n', '2', ...flags]);
      expect(r.code, flags.join(' ')).not.toBe(0);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const help = await runCliCapture(['record', 'ipd-delayed', '--help']);
    expect(help.stdout).toMatch(/--view-delay <d>/);
    expect(help.stdout).toMatch(/truth\/conflicts\.json/);
  });
});
