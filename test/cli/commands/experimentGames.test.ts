// `thoughtlens experiment` with a "kind": "games" spec: trains one games agent per seed,
// writes one cell per seed and a report whose summary figures are the seeds' own numbers
// (means with t-intervals), resumes finished seeds, and reproduces a run exactly from the spec.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STYLE_FAMILIES } from '../../../agents/games/index.js';
import { fmtT, gamesCellFile, type GamesCell, type GamesReport } from '../../../experiments/index.js';
import { tInterval } from '../../../util/tInterval.js';
import { runCliCapture } from '../../helpers/runCliCapture.js';
import { tempDir } from '../../helpers/tmp.js';

const tiny = { kind: 'games', name: 'tiny-games', seeds: [1, 2], agent: { hidden: 8, episodes: 60, epochs: 1, onPolicyEpisodes: 0, steps: 6 }, evaluate: { episodesPerCoPlayer: 4, probeRounds: [1, 3] } };

const mean = (xs: number[]): number => {
  const ok = xs.filter(Number.isFinite);
  return ok.reduce((a, b) => a + b, 0) / ok.length;
};

describe('thoughtlens experiment (kind games)', () => {
  it('runs, reports the seeds’ own numbers, resumes, and reproduces from the spec', async () => {
    const dir = tempDir();
    const spec = join(dir, 'spec.json');
    writeFileSync(spec, JSON.stringify(tiny));
    const out = join(dir, 'out');
    const r = await runCliCapture(['--json', 'experiment', spec, '--out', out]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { resumedCells: number; report: GamesReport; files: string[] };
    expect(j.resumedCells).toBe(0);
    expect(j.files.map((f) => f.split('/').pop()).sort()).toEqual(['report.csv', 'report.html', 'report.json', 'report.md']);
    const rep = j.report;
    expect(rep.kind).toBe('games');
    expect(rep.cells).toHaveLength(5 * STYLE_FAMILIES.length);
    expect(rep.probes.map((p) => p.round)).toEqual([1, 3]);
    const cells = [1, 2].map((s) => JSON.parse(readFileSync(gamesCellFile(out, s), 'utf8')) as GamesCell);
    expect(existsSync(join(out, 'agents', 's1', 'config.json'))).toBe(true);
    // each summary figure is the t-interval over the seeds' own values
    rep.cells.forEach((c, k) => {
      const want = tInterval(cells.map((x) => x.agent[k]!.fraction));
      expect(c.game).toBe(cells[0]!.agent[k]!.game);
      if (Number.isFinite(want.estimate)) expect(c.fraction.estimate).toBeCloseTo(want.estimate, 12);
      else expect(c.fraction.estimate).toBeNull(); // NaN is written as null
    });
    for (const f of rep.byFamily) expect(f.fraction.estimate).toBeCloseTo(mean(cells.map((x) => mean(x.agent.filter((c) => c.family === f.family).map((c) => c.fraction)))), 12);
    expect(rep.probes[1]!.trained.estimate).toBeCloseTo(mean(cells.map((x) => x.probes[1]!.trained)), 12);
    // the Markdown and CSV state the JSON's numbers
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    const pd = rep.cells.find((c) => c.game === 'prisoners-dilemma' && c.family === 'minimax')!;
    expect(md).toContain(`| prisoners-dilemma | minimax | ${fmtT(pd.fraction)} |`);
    const csv = readFileSync(join(out, 'report.csv'), 'utf8');
    expect(csv).toContain(`performance,prisoners-dilemma,minimax,,fraction,${+pd.fraction.estimate.toPrecision(6)},`);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/<svg[^>]*fraction of the optimum/);
    // resumed: every seed loaded, same numbers
    const again = await runCliCapture(['--json', 'experiment', spec, '--out', out, '--format', 'json']);
    const j2 = JSON.parse(again.stdout) as { resumedCells: number; report: GamesReport };
    expect(j2.resumedCells).toBe(2);
    expect(j2.report.cells).toEqual(rep.cells);
    // reproduced from the spec in a fresh folder: identical cells
    const fresh = await runCliCapture(['--json', 'experiment', spec, '--out', join(dir, 'fresh'), '--format', 'json']);
    expect((JSON.parse(fresh.stdout) as { report: GamesReport }).report.probes).toEqual(rep.probes);
  }, 120_000);

  it('refuses a bad games spec with one line and exit code 2, writing nothing', async () => {
    const dir = tempDir();
    const spec = join(dir, 'spec.json');
    writeFileSync(spec, JSON.stringify({ ...tiny, evaluate: { probeRounds: [1, 9] } }));
    const r = await runCliCapture(['experiment', spec, '--out', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/probeRounds: round 9 must be below agent.steps \(6\)/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
