import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { P, R, S, T } from '../../../agents/ipd/index.js';
import { compileStyle, type StyleSpec } from '../../../agents/pool/index.js';
import { MachineAgent, TIT_FOR_TAT } from '../../../agents/population/index.js';
import { ecology, replicate, runTournament, writeTournamentReport, type TournamentPlayer, type TournamentReport } from '../../../agents/tournament/index.js';
import { tempDir } from '../../helpers/tmp.js';

const ALLD: StyleSpec = { name: 'always-defect', group: 'g', kind: 'memory', n: 1, start: 0, p: { '??': 0 } };
const ALLC: StyleSpec = { name: 'always-cooperate', group: 'g', kind: 'memory', n: 1, start: 1, p: { '??': 1 } };

function machine(spec: StyleSpec, kind: 'agent' | 'strategy' = 'strategy', name = spec.name): TournamentPlayer {
  return { name, kind, make: () => new MachineAgent(compileStyle(spec)) };
}

const trio = (): TournamentPlayer[] => [machine(TIT_FOR_TAT, 'agent'), machine(ALLC), machine(ALLD)];

describe('round-robin tournament', () => {
  it('scores, rates and counts wins as the Axelrod library does (no noise: exact)', () => {
    const t = runTournament(trio(), { turns: 10, repetitions: 2, seed: 3 });
    const idx = (n: string) => t.players.indexOf(n);
    expect(t.payoffMatrix[idx('tit-for-tat')]![idx('always-defect')]).toBeCloseTo(-0.1, 12);
    expect(t.payoffMatrix[idx('always-defect')]![idx('tit-for-tat')]).toBeCloseTo(0.2, 12);
    expect(t.payoffMatrix[idx('always-cooperate')]![idx('always-cooperate')]).toBe(1);
    const tft = t.standings.find((s) => s.name === 'tit-for-tat')!;
    expect(tft.cooperationRating).toBeCloseTo(11 / 20, 12);
    expect([tft.CC, tft.CD, tft.DC, tft.DD]).toEqual([10 / 20, 1 / 20, 0, 9 / 20]);
    // per-turn score averaged over opponents: (1 + (−0.1)) / 2
    expect(tft.medianScore).toBeCloseTo(0.45, 12);
    const alld = t.standings.find((s) => s.name === 'always-defect')!;
    expect(alld.wins).toBe(4);
    expect(alld.rank).toBe(1);
    expect(tft.wins).toBe(0);
    expect(t.standings.map((s) => s.rank)).toEqual([1, 2, 3]);
  });

  it('flips moves with the stated noise', () => {
    const t = runTournament([machine(ALLC), machine(ALLD)], { turns: 200, repetitions: 10, noise: 0.5, seed: 1 });
    for (const s of t.standings) expect(Math.abs(s.cooperationRating - 0.5)).toBeLessThan(0.05);
  });

  it('ecology: tit-for-tat takes over from always-defect and always-cooperate; shares stay a distribution', () => {
    const players = trio();
    const t = runTournament(players, { turns: 10, repetitions: 1 });
    const e = ecology(t, players, { generations: 2000 });
    const final = e.fromUniform.final;
    expect(final.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(final[t.players.indexOf('tit-for-tat')]).toBeGreaterThan(0.9);
    expect(e.invasions.map((v) => v.player)).toEqual(['tit-for-tat']);
    // always-defect alone against always-cooperate: defection invades
    const run = replicate([[1, -1], [2, 0]], [0.99, 0.01], 200);
    expect(run.final[1]).toBeGreaterThan(0.99);
  });

  it('exports JSON, CSV, Markdown and standalone HTML with names escaped', () => {
    const players = [machine(TIT_FOR_TAT, 'agent', 'a<b>&"c'), machine(ALLD)];
    const t = runTournament(players, { turns: 5, repetitions: 2 });
    const report: TournamentReport = { schema: 'thoughtlens-tournament', version: 1, createdAt: 'now', sources: {}, payoffs: { T, R, P, S }, tournament: t, ecology: ecology(t, players, { generations: 5 }) };
    const dir = tempDir('tournament');
    const files = writeTournamentReport(dir, report);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['report.json', 'standings.csv', 'report.md', 'report.html']);
    const csv = readFileSync(join(dir, 'standings.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('rank,name,kind,median_score,mean_score,cooperation_rating,CC_rate,CD_rate,DC_rate,DD_rate,wins,ecology_final_share');
    expect(csv).toHaveLength(3);
    expect(csv.some((l) => l.includes('"a<b>&""c"'))).toBe(true);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('a&lt;b&gt;&amp;&quot;c');
    expect(html).not.toMatch(/<script|https?:\/\//);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('5 turns, 2 repetitions, noise 0, seed 1');
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).tournament.turns).toBe(5);
  });
});
