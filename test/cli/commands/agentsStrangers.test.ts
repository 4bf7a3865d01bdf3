// `thoughtlens agents population|optimum|tournament`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePool } from '../../../agents/pool/index.js';
import { runCliCapture } from '../../helpers/runCliCapture.js';
import { tempDir } from '../../helpers/tmp.js';

describe('agents population, optimum and tournament commands', () => {
  it('prints a generated split as a valid pool file', async () => {
    const r = await runCliCapture(['agents', 'population', '--split', 'validation', '--count', '7']);
    expect(r.code).toBe(0);
    const spec = parsePool(JSON.parse(r.stdout));
    expect(spec.styles).toHaveLength(7);
    expect(spec.styles.every((s) => s.heldOut && /-2000\d{3}$/.test(s.name))).toBe(true);
  });

  it('reports fractions of the exact optimum for an agent and the baselines', async () => {
    const r = await runCliCapture(['--json', '-q', 'agents', 'optimum', 'gru-stage1', '--count', '6', '--episodes', '2', '--train-count', '10']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { styles: number; players: { name: string; meanFraction: { estimate: number } }[] };
    expect(j.styles).toBe(6);
    expect(j.players.map((p) => p.name)).toEqual(['gru-stage1', 'bayes-posterior', 'tit-for-tat', 'win-stay-lose-shift']);
    for (const p of j.players) expect(Math.abs(p.meanFraction.estimate - 0.5)).toBeLessThanOrEqual(0.5);
  });

  it('refuses two agents with the same name (results are keyed by name)', async () => {
    const r = await runCliCapture(['agents', 'optimum', 'gru-stage1', 'gru-stage1', '--count', '2', '--episodes', '1', '--no-bayes']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/two players are named 'gru-stage1'/);
  });

  it('refuses a pool file with a malformed FSM table in one line', async () => {
    const ws = tempDir();
    const f = join(ws, 'papers.json');
    writeFileSync(f, JSON.stringify({ styles: [{ name: 'x', group: 'papers', kind: 'fsm-table', initialState: 1, initialMove: 'C', transitions: [[1, 'C', 1, 'C']] }] }));
    const r = await runCliCapture(['agents', 'optimum', 'gru-stage1', '--pool', f, '--no-bayes']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/style #0 \("x"\) field "transitions" has no row for state "1" and co-player move "D"/);
  });

  it('runs a tournament and writes every report format', async () => {
    const ws = tempDir();
    const out = join(ws, 'tour');
    const r = await runCliCapture(['--json', '-q', 'agents', 'tournament', 'gru-stage1', '--no-bayes', '--turns', '20', '--repetitions', '2', '--generations', '20', '--out', out]);
    expect(r.code).toBe(0);
    for (const f of ['report.json', 'standings.csv', 'report.md', 'report.html']) expect(existsSync(join(out, f))).toBe(true);
    const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { tournament: { players: string[]; turns: number }; payoffs: Record<string, number> };
    expect(rep.tournament.players[0]).toBe('gru-stage1');
    expect(rep.tournament.players.length).toBe(17);
    expect(rep.payoffs).toEqual({ T: 2, R: 1, P: 0, S: -1 });
    const bad = await runCliCapture(['agents', 'tournament', 'gru-stage1', '--formats', 'xml', '--out', out]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/unknown report format 'xml'/);
  });

  it('runs a Moran process with --moran: fixation of each agent among residents, in JSON and the reports', async () => {
    const ws = tempDir();
    const out = join(ws, 'moran');
    const args = ['--json', '-q', 'agents', 'tournament', 'gru-stage1', '--no-bayes', '--turns', '20', '--repetitions', '2', '--generations', '5', '--out', out];
    const r = await runCliCapture([...args, '--moran', '--moran-size', '10', '--moran-runs', '200', '--moran-residents', 'always-defect,tit-for-tat']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { moran: { size: number; neutral: number; pairs: { invader: string; resident: string; invades: { simulated: number; exact: number } }[] } };
    expect(j.moran.size).toBe(10);
    expect(j.moran.neutral).toBeCloseTo(0.1, 12);
    expect(j.moran.pairs.map((p) => `${p.invader}>${p.resident}`)).toEqual(['gru-stage1>always-defect', 'gru-stage1>tit-for-tat']);
    for (const p of j.moran.pairs) expect(p.invades.exact).toBeGreaterThanOrEqual(0);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('## Moran process');
    expect((JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { moran?: unknown }).moran).toBeDefined();
    const bad = await runCliCapture([...args, '--moran', '--moran-residents', 'nobody']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/'nobody' is not a player/);
  });
});
