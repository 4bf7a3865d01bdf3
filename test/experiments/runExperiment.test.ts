import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildExperimentReport, resolveExperimentSpec, runExperiment, writeExperimentReport } from '../../experiments/index.js';

const spec = resolveExperimentSpec({
  name: 'tiny',
  seeds: [1, 2],
  agent: { hidden: 8, coPlayers: 12, episodesPerCoPlayer: 2, episodeLength: 12, sequences: 24, length: 12, epochs: 1, onPolicyEpisodes: 0 },
  evaluate: { coPlayers: 6, episodesPerCoPlayer: 2, steps: 12, resamples: 50 },
  baseline: 'neutral',
  conditions: [
    { name: 'neutral', prefix: { memory: 'neutral', length: 4 } },
    { name: 'exploited', prefix: { memory: 'exploited', length: 4 } },
    { name: 'iso', agent: { context: 'isolated' }, history: { at: 5, transform: 'truncate', keep: 2 } },
  ],
});

describe('runExperiment', () => {
  it('runs conditions × seeds, trains one agent per distinct config and resumes finished cells', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-exp-'));
    const phases: string[] = [];
    const first = runExperiment(spec, dir, (p) => phases.push(`${p.phase}:${p.resumed}`));
    expect(first.cells).toHaveLength(6);
    expect(readdirSync(join(dir, 'agents')).filter((d) => !d.includes('.tmp'))).toHaveLength(4); // 2 configs × 2 seeds
    expect(readdirSync(join(dir, 'cells')).sort()).toEqual(['exploited--s1.json', 'exploited--s2.json', 'iso--s1.json', 'iso--s2.json', 'neutral--s1.json', 'neutral--s2.json']);
    expect(phases).not.toContain('evaluate:true');
    // drop one cell: a second run recomputes only it, with the same result
    const lost = JSON.parse(readFileSync(join(dir, 'cells', 'iso--s2.json'), 'utf8'));
    rmSync(join(dir, 'cells', 'iso--s2.json'));
    const second = runExperiment(spec, dir);
    expect(second.resumedCells).toBe(5);
    const again = second.cells.find((c) => c.condition === 'iso' && c.seed === 2)!;
    expect(again.eval.curve).toEqual(lost.eval.curve);
    expect(again.eval.fractionOfOptimum.estimate).toBeCloseTo(lost.eval.fractionOfOptimum.estimate, 12);

    const report = buildExperimentReport(spec, second.cells, { seconds: second.seconds, command: 'test', permutations: 99 });
    expect(report.conditions.map((c) => c.condition)).toEqual(['neutral', 'exploited', 'iso']);
    expect(report.shifts).toHaveLength(2 * 5);
    for (const s of report.shifts) {
      expect(s.p).toBeGreaterThan(0);
      expect(s.q).toBeGreaterThanOrEqual(s.p - 1e-12);
    }
    const files = writeExperimentReport(dir, report);
    expect(files.map((f) => f.split('/').pop())).toEqual(['report.json', 'report.csv', 'report.md', 'report.html']);
    expect(readFileSync(files[2]!, 'utf8')).toContain('| exploited |');
    expect(readFileSync(files[1]!, 'utf8').split('\n')[0]).toBe('condition,metric,estimate,lo,hi,delta,delta_lo,delta_hi,effect_size,p,q');
  }, 60_000);
});
