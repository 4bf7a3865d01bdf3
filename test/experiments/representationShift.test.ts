import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRun } from '../../data/index.js';
import { buildExperimentReport, recordConditionRuns, representationShift, resolveExperimentSpec, runExperiment, writeExperimentReport } from '../../experiments/index.js';

// A planted difference: a long defecting peer memory against the neutral control (same agent,
// same co-players and seed), and an identical copy of the control (a null: same rows exactly).
const spec = resolveExperimentSpec({
  name: 'tiny-latents',
  seeds: [1, 2],
  agent: { hidden: 8, coPlayers: 12, episodesPerCoPlayer: 2, episodeLength: 12, sequences: 24, length: 12, epochs: 1, onPolicyEpisodes: 0 },
  evaluate: { coPlayers: 6, episodesPerCoPlayer: 20, steps: 6, resamples: 200 },
  baseline: 'neutral',
  conditions: [
    { name: 'neutral', prefix: { memory: 'neutral', length: 30 } },
    { name: 'neutral-copy', prefix: { memory: 'neutral', length: 30 } },
    { name: 'defecting', prefix: { memory: 'defecting', length: 30, noise: 0 } },
  ],
  dictionary: { latents: 16, k: 2, steps: 60, batchSize: 64 },
});

describe('representationShift', () => {
  it('trains one dictionary across conditions, finds the planted shift, reports none for an identical condition, and resumes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-exp-rep-'));
    const run = runExperiment(spec, dir);
    const runs = recordConditionRuns(spec, dir, run.cells);
    expect(runs).toHaveLength(6);
    const manifest = JSON.parse(readFileSync(join(dir, 'runs', 'defecting--s1', 'run.json'), 'utf8'));
    expect(manifest.source.params.condition).toBe('defecting');
    expect(manifest.agents.map((a: { id: string }) => a.id)).toEqual(['agent', 'unprimed']);
    // the recorded moves are the evaluation's moves
    let d = 0;
    let rows = 0;
    for (const b of openRun(join(dir, 'runs', 'defecting--s1')).joined({ agents: ['agent', 'unprimed'] })) {
      const mv = b.columns[0]!['move']!;
      for (let r = 0; r < b.length; r++) d += Number(mv[r]);
      rows += b.length;
    }
    const cell = run.cells.find((c) => c.condition === 'defecting' && c.seed === 1)!;
    expect(d / rows).toBeCloseTo(cell.eval.defectionRate.estimate, 9);

    const rep = await representationShift(spec, dir, runs, { dictionary: spec.dictionary!, resamples: 200, permutations: 999 });
    expect(rep.dictionary.latents).toBe(16);
    expect(rep.dictionary.resumed).toBe(false);
    expect(existsSync(join(dir, 'dictionary', 'cfg.json'))).toBe(true);
    expect(rep.conditions.map((c) => c.condition)).toEqual(['neutral-copy', 'defecting']);

    const copy = rep.conditions[0]!;
    expect(copy.sameAgent).toBe(true);
    expect(copy.significant).toBe(0);
    for (const s of copy.top) {
      expect(s.deltaMean).toBe(0);
      expect(s.deltaRate).toBe(0);
      expect(s.d.estimate).toBe(0);
      expect(s.p).toBe(1);
    }
    const coop = rep.conditions[1]!;
    expect(coop.episodes).toBeGreaterThan(0);
    expect(coop.significant).toBeGreaterThan(0);
    const top = coop.top[0]!;
    expect(Math.abs(top.d.estimate)).toBeGreaterThan(0.8);
    expect(top.d.lo).toBeLessThanOrEqual(top.d.estimate);
    expect(top.d.hi).toBeGreaterThanOrEqual(top.d.estimate);
    expect(top.q).toBeLessThanOrEqual(0.05);
    expect(top.rate).toBeGreaterThanOrEqual(0);
    expect(top.rate).toBeLessThanOrEqual(1);

    // resumable: the runs and the finished dictionary are loaded, the numbers are the same
    const runs2 = recordConditionRuns(spec, dir, run.cells);
    expect(runs2.every((r) => r.resumed)).toBe(true);
    const rep2 = await representationShift(spec, dir, runs2, { dictionary: spec.dictionary!, resamples: 200, permutations: 999 });
    expect(rep2.dictionary.resumed).toBe(true);
    expect(rep2.conditions[1]!.top[0]).toEqual(top);

    const report = buildExperimentReport(spec, run.cells, { seconds: run.seconds, command: 'test', permutations: 99, representation: rep2 });
    const files = writeExperimentReport(dir, report);
    expect(files.map((f) => f.split('/').pop())).toEqual(['report.json', 'report.csv', 'report.md', 'report.html', 'report.latents.csv', 'report.prediction.csv']);
    expect(JSON.parse(readFileSync(files[0]!, 'utf8')).representation.conditions[1].top[0].latent).toBe(top.latent);
    expect(readFileSync(files[2]!, 'utf8')).toContain('## Representational shift from neutral');
    expect(readFileSync(files[3]!, 'utf8')).toContain('Representational shift');
    // the prediction of defection from the shifting latents: per condition × window, pooled and within
    const pred = rep2.prediction!;
    expect(pred.conditions.map((c) => `${c.condition}/${c.window}`)).toEqual(['neutral-copy/episode', 'neutral-copy/start', 'defecting/episode', 'defecting/start']);
    const dp = pred.conditions[2]!.pooled;
    expect(dp.episodes).toBe(2 * coop.episodes);
    expect(dp.label!.features).toBe(1);
    expect(dp.raw.features).toBe(16); // two agents × hidden 8
    expect(pred.conditions[2]!.within.episodes).toBe(coop.episodes);
    expect(readFileSync(files[2]!, 'utf8')).toContain('## Do the shifting latents predict defection?');
    expect(readFileSync(files[5]!, 'utf8').split('\n')[0]).toMatch(/^condition,window,scope,episodes,model,features,r2,/);
    expect(readFileSync(files[4]!, 'utf8').split('\n')[0]).toBe('condition,same_agent,latent,mean,base_mean,delta_mean,rate,base_rate,delta_rate,d,d_lo,d_hi,p,q');
  }, 120_000);
});
