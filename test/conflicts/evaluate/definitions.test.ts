import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  attributeOutcomes,
  detectionCurve,
  dictionaryViews,
  detectRun,
  episodeOutcome,
  evaluateOutcomes,
  markdownReport,
  operatingPoint,
  selectPrecursors,
  type Flag,
  type LatentThoughts,
  type ScoredEpisode,
  type TruthConflict,
} from '../../../conflicts/index.js';
import { tempDir } from '../../helpers/tmp.js';
import { tinyCoder, writeTinyRun } from '../helpers/tinyConflicts.js';

function episode(id: number, n: number, onsets: number[], flags: number[], score?: (t: number) => number): ScoredEpisode {
  const active = new Uint8Array(n);
  for (const o of onsets) active[o] = 1;
  return { episode: id, step: Int32Array.from({ length: n }, (_, i) => i), score: Float64Array.from({ length: n }, (_, t) => score?.(t) ?? 0), active, onsets, flags };
}

const truth = (episode: number, onsetStep: number, divergenceStep: number): TruthConflict => ({ episode, agent: 'B', thoughts: [2], onsetStep, divergenceStep });

describe('definitions that cannot flatter', () => {
  it('a flag before the true onset is a false alarm, not a detection, however close to the divergence', () => {
    // Behaviour diverges at 50; the drift began at 45. H = 10 would admit a flag at 42.
    const e = episode(0, 100, [50], [42]);
    const noTruth = episodeOutcome(e, 10);
    expect(noTruth.conflicts[0]!.flaggedBefore).toBe(true);
    expect(noTruth.falseAlarms).toBe(0);
    const withTruth = episodeOutcome(e, 10, [truth(0, 45, 50)]);
    expect(withTruth.conflicts[0]!.windowStart).toBe(45);
    expect(withTruth.conflicts[0]!.flaggedBefore).toBe(false);
    expect(withTruth.falseAlarms).toBe(1);
    // A flag after onset and before divergence is a detection, with lead from the divergence.
    const hit = episodeOutcome(episode(0, 100, [50], [42, 47]), 10, [truth(0, 45, 50)]);
    expect(hit.conflicts[0]!.flaggedBefore).toBe(true);
    expect(hit.conflicts[0]!.lead).toBe(3);
    expect(hit.falseAlarms).toBe(1);
  });

  it('a conflict whose behaviour diverges at its onset has an empty window: no detection, earlier flags are false alarms', () => {
    const o = episodeOutcome(episode(0, 100, [50], [47]), 10, [truth(0, 50, 50)]);
    expect(o.conflicts[0]!.windowStart).toBe(50);
    expect(o.conflicts[0]!.flaggedBefore).toBe(false);
    expect(o.falseAlarms).toBe(1);
    expect([...o.labels].filter((y) => y === 1)).toHaveLength(0);
  });

  it('with truth the window is onset..divergence even when it is longer than the horizon', () => {
    const o = episodeOutcome(episode(0, 100, [60], [35]), 10, [truth(0, 30, 60)]);
    expect(o.conflicts[0]!.flaggedBefore).toBe(true);
    expect(o.conflicts[0]!.lead).toBe(25);
    expect(o.labels[29]).toBe(0);
    expect(o.labels[30]).toBe(1);
    expect(o.labels[59]).toBe(1);
    expect(o.labels[60]).toBe(-1);
  });

  it('a planted conflict whose behaviour never diverges in the episode leaves its steps unlabelled', () => {
    const o = episodeOutcome(episode(0, 100, [], [90]), 10, [truth(0, 80, 130)]);
    expect(o.labels[79]).toBe(0);
    expect(o.labels[85]).toBe(-1);
    expect(o.falseAlarms).toBe(0);
  });

  it('the threshold sweep gives detection rate against false alarms per 1000 steps, from the median score up to above the highest', () => {
    const ramp = (te: number) => (t: number) => (t >= te - 8 && t < te ? 2 + (t - te + 8) : Math.sin(t) * 0.5);
    const o = [episode(0, 200, [100], [], ramp(100)), episode(1, 200, [], [], (t) => Math.cos(t) * 0.5), episode(2, 200, [150], [], ramp(150))].map((e) =>
      episodeOutcome(e, 10, [truth(0, 92, 100), truth(2, 142, 150)].filter((c) => c.episode === e.episode)),
    );
    const curve = detectionCurve(o, 5);
    expect(curve.length).toBeGreaterThan(3);
    // Above every score nothing is flagged.
    expect(curve[curve.length - 1]!).toMatchObject({ detectionRate: 0, falseAlarmsPer1000: 0 });
    expect(operatingPoint(o, 1, 5).detectionRate).toBe(1);
    expect(operatingPoint(o, 1, 5).falseAlarmsPer1000).toBe(0);
    const ev = evaluateOutcomes(o, 10, { resamples: 50, rearm: 5 });
    expect(ev.truth).toBe(true);
    expect(ev.target).toMatch(/onset/);
    expect(ev.curveArea).toBeCloseTo(1, 9);
  });

  it('attribution is right when the top latent reads a drifting thought and the named agent drifted', () => {
    const o = [episodeOutcome(episode(0, 100, [50], [47]), 10, [truth(0, 45, 50)]), episodeOutcome(episode(1, 100, [50], [46]), 10, [truth(1, 45, 50)])];
    const flag = (ep: number, step: number, latent: number, moved: string): Flag => ({
      episode: ep,
      step,
      score: 1,
      threshold: 0.5,
      channel: 'A~B',
      agents: ['A', 'B'],
      contributions: [],
      latents: [{ latent, label: `L${latent}`, class: 'shared', disagreement: 3, views: {} }],
      movedAgent: moved,
      behaviour: {},
    });
    const map: LatentThoughts = new Map([['A~B', new Map([[7, { thought: 2, correlation: 0.9 }], [8, { thought: 5, correlation: 0.8 }]])]]);
    attributeOutcomes(o, [flag(0, 47, 7, 'B'), flag(1, 46, 8, 'A')], map);
    expect(o[0]!.conflicts[0]!.attribution).toEqual({ latentCorrect: true, agentCorrect: true });
    expect(o[1]!.conflicts[0]!.attribution).toEqual({ latentCorrect: false, agentCorrect: false });
    const ev = evaluateOutcomes(o, 10, { resamples: 50 });
    expect(ev.attribution!.detections).toBe(2);
    expect(ev.attribution!.latents!.estimate).toBe(0.5);
    expect(ev.attribution!.agent!.estimate).toBe(0.5);
  });
});

describe('precursor selection', () => {
  it('drops a feature worse than chance on the training rows, keeps one better than chance', () => {
    // Feature 0 is the disagreement (never a precursor candidate); feature 1 falls before
    // conflicts (AUROC 0), feature 2 rises (AUROC 1), feature 3 is noise.
    const y = [0, 0, 0, 0, 1, 1, 1, 1];
    const F = 4;
    const x = new Float64Array(y.length * F);
    y.forEach((v, r) => {
      x[r * F + 1] = v ? -1 - r : r;
      x[r * F + 2] = v ? 10 + r : r;
      x[r * F + 3] = r % 2;
    });
    const picked = selectPrecursors(x, F, y, { precursors: 8, precursorMinGap: 0.1 });
    expect(picked.map((p) => p.index)).toEqual([2]);
    expect(picked.every((p) => p.auroc > 0.5)).toBe(true);
  });
});

describe('truth-free runs', () => {
  const root = tempDir('tl-conflicts-def-');
  it('still get flags and a report, with no evaluation where there are no behavioural conflicts', () => {
    const ref = writeTinyRun(root, 'ref', { episodes: 24, steps: 120, fraction: 0.5, seed: 4 });
    // Drift is planted but behaviour never diverges within the episode; truth removed.
    const quiet = writeTinyRun(root, 'quiet', { episodes: 8, steps: 120, fraction: 1, lag: 1000, seed: 5 });
    rmSync(join(quiet.dir, 'truth'), { recursive: true, force: true });
    const res = detectRun({ runDir: quiet.dir, referenceDir: ref.dir, views: dictionaryViews(tinyCoder(ref), 'shared', { randomFeatures: 0 }), config: { far: 0.01 }, resamples: 50 });
    expect(res.report.truth).toBeNull();
    expect(res.report.events.count).toBe(0);
    expect(res.report.evaluation).toBeNull();
    expect(res.report.flags.length).toBeGreaterThan(0);
    expect(res.report.flags[0]!.latents.length).toBeGreaterThan(0);
    expect(['A', 'B']).toContain(res.report.flags[0]!.movedAgent);
    expect(markdownReport(res.report)).toContain('No evaluation');
  });

  it('with truth the report evaluates against true onsets, attributes the agent and carries the baselines', async () => {
    const { ccaViews, behaviourOnly } = await import('../../../conflicts/index.js');
    const data = writeTinyRun(root, 'withTruth', { episodes: 40, steps: 120, fraction: 0.5, seed: 3 });
    const res = detectRun({
      runDir: data.dir,
      views: dictionaryViews(tinyCoder(data), 'shared', { randomFeatures: 0 }),
      config: { far: 0.005 },
      resamples: 50,
      baselines: [ccaViews(4, { randomFeatures: 0 }), behaviourOnly],
    });
    const e = res.report.evaluation!;
    expect(res.report.truth).not.toBeNull();
    expect(e.truth).toBe(true);
    expect(e.curve.length).toBeGreaterThan(0);
    expect(e.attribution?.agent).not.toBeNull();
    expect(res.report.detector.horizon).toBeGreaterThanOrEqual(3);
    expect(res.detector.provenance.horizon?.from).toBe('reference');
    expect(res.report.baselines.map((b) => b.views)).toEqual(['cca-raw', 'behaviour']);
    expect(res.report.baselines.every((b) => b.evaluation && b.evaluation.conflicts === e.conflicts)).toBe(true);
    expect(markdownReport(res.report)).toContain('## Baselines');
  });

  it('say plainly that no representational precursor was found when behaviour diverges with nothing in the states', () => {
    // Behaviour diverges as planted, but no agent's copy drifts (speed 0).
    const flat = writeTinyRun(root, 'flat', { episodes: 40, steps: 120, fraction: 0.5, speed: 0, seed: 6 });
    const res = detectRun({ runDir: flat.dir, views: dictionaryViews(tinyCoder(flat), 'shared', { randomFeatures: 0 }), resamples: 50 });
    expect(res.detector.provenance.precursorFound).toBe(false);
    expect(res.report.precursor.found).toBe(false);
    expect(markdownReport(res.report)).toContain('No representational precursor found');
    // The precursor latents it would have kept never include one below chance.
    for (const p of res.detector.precursors.flat()) expect(p.auroc).toBeGreaterThan(0.5);
  });

  it('does not claim a precursor when the reference data holds no behavioural conflict to assess one on', () => {
    const none = writeTinyRun(root, 'none', { episodes: 30, steps: 120, fraction: 0, seed: 8 });
    const res = detectRun({ runDir: none.dir, views: dictionaryViews(tinyCoder(none), 'shared', { randomFeatures: 0 }), resamples: 50 });
    expect(Number.isNaN(res.detector.provenance.referenceAuroc)).toBe(true);
    expect(res.detector.provenance.precursorFound).toBe(false);
    expect(res.report.precursor.found).toBe(false);
    expect(res.report.precursor.referenceAuroc).toBeNull();
    expect(res.report.precursor.statement).toMatch(/^no representational precursor could be assessed/);
    expect(res.detector.provenance.notes.some((n) => /could be assessed: the calibration episodes hold no behavioural conflict/.test(n))).toBe(true);
  });

  it('drops precursor latents it cannot check: conflicts in the fit episodes, none in the calibration episodes', () => {
    // Which reference episodes are held back for calibration depends only on the seed and the
    // episode count: read the split off a conflict-free reference, then plant conflicts in the
    // fit episodes only.
    const cfg = { far: 0.01 };
    const probe = writeTinyRun(root, 'split-probe', { episodes: 24, steps: 120, fraction: 0, seed: 11 });
    const views = (d: typeof probe) => dictionaryViews(tinyCoder(d), 'shared', { randomFeatures: 0 });
    const first = detectRun({ runDir: probe.dir, referenceDir: probe.dir, views: views(probe), config: cfg, resamples: 20 });
    const fit = first.detector.provenance.fitEpisodes;
    expect(first.detector.provenance.calibrationEpisodes.length).toBeGreaterThan(0);
    const ref = writeTinyRun(root, 'fit-only', { episodes: 24, steps: 120, conflictEpisodes: fit.slice(0, 6), seed: 11 });
    const scored = writeTinyRun(root, 'fit-only-scored', { episodes: 20, steps: 120, fraction: 0.5, seed: 12 });
    const res = detectRun({ runDir: scored.dir, referenceDir: ref.dir, views: views(ref), config: cfg, resamples: 20 });
    expect(res.detector.provenance.fitEpisodes).toEqual(fit);
    expect(res.detector.precursors.flat()).toEqual([]);
    expect(res.detector.provenance.notes).toContain('precursor latents dropped: the calibration episodes hold no behavioural conflict to check them on; using the disagreement score alone');
    expect(res.detector.provenance.notes.some((n) => /no behavioural conflict in the calibration episodes to read it from/.test(n))).toBe(true);
  });
});
