import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRun } from '../../data/index.js';
import { REPORT_SCHEMA, REPORT_VERSION, type ConflictReport } from '../../conflicts/index.js';
import { runCliCapture } from '../helpers/runCliCapture.js';
import { tempDir } from '../helpers/tmp.js';
import { tinyAgents, writeTinyRun } from './helpers/tinyConflicts.js';

describe('thoughtlens detect', () => {
  it('fits on the first half of a run, scores the rest and writes every report format', async () => {
    const root = tempDir('tl-detect-cli-');
    const data = writeTinyRun(root, 'tiny', { episodes: 24, steps: 100, seed: 5 });
    const out = join(root, 'rep');
    const r = await runCliCapture(['--json', 'detect', data.dir, '--views', 'cca', '--random-features', '0', '--out', out, '--horizon', '15', '--far', '0.005', '--resamples', '50']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { flags: number; events: number; files: string[] };
    for (const f of ['detector.json', 'report.json', 'flags.csv', 'report.md', 'report.html']) expect(existsSync(join(out, f)), f).toBe(true);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ConflictReport;
    expect(report.schema).toBe(REPORT_SCHEMA);
    expect(report.version).toBe(REPORT_VERSION);
    expect(report.scored.episodeIds).toEqual(Array.from({ length: 12 }, (_, i) => 12 + i));
    expect(report.flags.length).toBe(summary.flags);
    expect(report.evaluation!.conflicts).toBe(data.conflicts.filter((c) => c.episode >= 12).length);
    expect(report.evaluation!.detectionRate).toBeGreaterThan(0.7);
    const csv = readFileSync(join(out, 'flags.csv'), 'utf8').trim().split('\n');
    expect(csv.length).toBe(report.flags.length + 1);

    // The stored detector reproduces the same flags on the same run (its fit episodes skipped).
    const out2 = join(root, 'rep2');
    const r2 = await runCliCapture(['--json', 'detect', data.dir, '--detector', join(out, 'detector.json'), '--out', out2, '--resamples', '50']);
    expect(r2.code).toBe(0);
    const report2 = JSON.parse(readFileSync(join(out2, 'report.json'), 'utf8')) as ConflictReport;
    expect(report2.flags.map((f) => [f.episode, f.step, f.score])).toEqual(report.flags.map((f) => [f.episode, f.step, f.score]));
    expect(report2.evaluation!.ci.auroc).toEqual(report.evaluation!.ci.auroc);
  });

  it('reads a run whose rows are step-major (parallel environments) as the same episodes', async () => {
    const root = tempDir('tl-detect-cli-');
    const byEpisode = writeTinyRun(root, 'by-episode', { episodes: 16, steps: 80, seed: 9 });
    const byStep = writeTinyRun(root, 'by-step', { episodes: 16, steps: 80, seed: 9, stepMajor: true });
    const flagsOf = async (dir: string, out: string, extra: string[]) => {
      const r = await runCliCapture(['-q', 'detect', dir, '--out', out, '--resamples', '20', ...extra]);
      expect(r.code, r.stderr).toBe(0);
      const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ConflictReport;
      return { rep, flags: rep.flags.map((f) => [f.episode, f.step]) };
    };
    const fit = ['--views', 'cca', '--random-features', '0', '--horizon', '12'];
    const a = await flagsOf(byEpisode.dir, join(root, 'a'), fit);
    expect(a.rep.evaluation!.conflicts).toBeGreaterThan(0);
    expect(a.flags.length).toBeGreaterThan(0);
    // The detector fitted on episode-major rows flags the same steps of the step-major copy (another
    // run to it, so it scores every episode: compare those the first report scored)…
    const b = await flagsOf(byStep.dir, join(root, 'b'), ['--detector', join(root, 'a', 'detector.json')]);
    const scoredInA = new Set(a.rep.scored.episodeIds);
    expect(b.flags.filter(([e]) => scoredInA.has(e!))).toEqual(a.flags);
    // …and one fitted on the step-major copy itself finds the same conflicts.
    const c = await flagsOf(byStep.dir, join(root, 'c'), fit);
    expect(c.rep.scored.episodeIds).toEqual(a.rep.scored.episodeIds);
    expect(c.flags).toEqual(a.flags);
    expect(c.rep.evaluation!.flaggedBefore).toBe(a.rep.evaluation!.flaggedBefore);
  });

  it('fits on a run that records only hidden states and evaluates it against its truth', async () => {
    const root = tempDir('tl-detect-cli-');
    const data = writeTinyRun(root, 'hidden-only', { episodes: 16, steps: 80, seed: 11, hiddenOnly: true });
    const out = join(root, 'rep');
    const r = await runCliCapture(['-q', 'detect', data.dir, '--views', 'cca', '--random-features', '0', '--out', out, '--resamples', '20']);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ConflictReport;
    expect(rep.events.definition).toMatch(/records no behaviour/);
    // Evaluated against truth's divergence steps: one event per planted conflict in the scored half.
    const scored = new Set(rep.scored.episodeIds);
    expect(rep.evaluation).not.toBeNull();
    expect(rep.evaluation!.conflicts).toBe(data.conflicts.filter((c) => scored.has(c.episode)).length);
    expect(rep.events.count).toBe(rep.evaluation!.conflicts);
    const detector = JSON.parse(readFileSync(join(out, 'detector.json'), 'utf8')) as { events: { kind: string }; provenance: { notes: string[] } };
    expect(detector.events).toEqual({ kind: 'none' });
    expect(detector.provenance.notes.join(' ')).toMatch(/records no behaviour/);
    // No behaviour-only baseline without behaviour.
    expect((rep.baselines ?? []).map((b) => b.views)).not.toContain('behaviour');
  });

  it('scores against truth/conflicts.json, not a behaviour rule that also fires where nothing was planted', async () => {
    const root = tempDir('tl-detect-cli-');
    const data = writeTinyRun(root, 'noisy-actions', { episodes: 16, steps: 80, seed: 11, actionNoise: 0.03 });
    const out = join(root, 'rep');
    const r = await runCliCapture(['-q', 'detect', data.dir, '--views', 'cca', '--random-features', '0', '--event', 'actions differ', '--out', out, '--resamples', '20']);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ConflictReport;
    const scored = new Set(rep.scored.episodeIds);
    const planted = data.conflicts.filter((c) => scored.has(c.episode));
    // One conflict per planted one, at its divergence step; the rule's slips are not conflicts.
    expect(rep.evaluation!.conflicts).toBe(planted.length);
    expect(rep.events.list).toEqual(planted.map((c) => ({ episode: c.episode, step: c.divergenceStep })).sort((a, b) => a.episode - b.episode || a.step - b.step));
    expect(rep.events.definition).toMatch(/divergence steps of truth\/conflicts\.json \(\d+ planted conflicts? in the scored episodes\); the detector's own events, rule 'actions differ', had (\d+) onsets there, (\d+) at no planted divergence/);
    const [, onsets, outside] = /had (\d+) onsets there, (\d+) at no/.exec(rep.events.definition)!;
    expect(Number(outside)).toBeGreaterThan(0);
    expect(Number(onsets)).toBeGreaterThan(planted.length);
    // A flag at a slip far from any planted conflict is a false alarm, not a detection.
    for (const f of rep.flags) {
      const c = planted.find((c) => c.episode === f.episode && f.step >= c.onsetStep);
      if (!c) expect(f.outcome).toBe('false-alarm');
    }
  });

  it('sets aside a default event rule that is on nearly all the time, and says why an explicit one cannot fit', async () => {
    const root = tempDir('tl-detect-cli-');
    const data = writeTinyRun(root, 'restless', { episodes: 16, steps: 80, seed: 12, actionNoise: 0.6, noEventColumn: true });
    const out = join(root, 'rep');
    const r = await runCliCapture(['-q', 'detect', data.dir, '--views', 'cca', '--random-features', '0', '--out', out, '--resamples', '20']);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ConflictReport;
    const detector = JSON.parse(readFileSync(join(out, 'detector.json'), 'utf8')) as { events: { kind: string }; provenance: { notes: string[] } };
    expect(detector.events).toEqual({ kind: 'none' });
    expect(detector.provenance.notes[0]).toMatch(/the default behavioural event, rule 'actions differ', leaves \d+\.\d% of the reference steps .* fitted as for a run without behaviour/);
    expect(rep.events.definition).toMatch(/^the divergence steps of truth\/conflicts\.json \(the default behavioural event/);
    const scored = new Set(rep.scored.episodeIds);
    expect(rep.evaluation!.conflicts).toBe(data.conflicts.filter((c) => scored.has(c.episode)).length);
    // `--follow` fits through the same stage: a finished run followed with this reference gets the same note.
    const followed = writeTinyRun(root, 'followed', { episodes: 4, steps: 80, seed: 14, noEventColumn: true });
    const fr = await runCliCapture(['-q', 'detect', followed.dir, '--reference', data.dir, '--views', 'cca', '--random-features', '0', '--follow', '--out', join(root, 'rep-follow'), '--resamples', '20']);
    expect(fr.code, fr.stderr).toBe(0);
    const fd = JSON.parse(readFileSync(join(root, 'rep-follow', 'detector.json'), 'utf8')) as { events: { kind: string }; provenance: { notes: string[] } };
    expect(fd.events).toEqual({ kind: 'none' });
    expect(fd.provenance.notes[0]).toMatch(/the default behavioural event, rule 'actions differ', leaves/);
    // Named explicitly, the same rule is kept, and fitting says plainly why it cannot work.
    const bad = await runCliCapture(['-q', 'detect', data.dir, '--views', 'cca', '--random-features', '0', '--event', 'actions differ', '--out', join(root, 'rep2')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/the behavioural events \(rule 'actions differ'\) leave no reference step at least 60 steps from a behavioural conflict .*--event/);
  });

  it('reports the false alarms alone where truth plants no conflict in the scored episodes', async () => {
    const root = tempDir('tl-detect-cli-');
    const data = writeTinyRun(root, 'early-conflicts', { episodes: 16, steps: 80, seed: 13, conflictEpisodes: [0, 2, 4, 6] });
    const out = join(root, 'rep');
    const r = await runCliCapture(['detect', data.dir, '--views', 'cca', '--random-features', '0', '--out', out, '--resamples', '20', '--far', '0.02']);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ConflictReport;
    expect(rep.scored.episodeIds.every((e) => e >= 8)).toBe(true);
    expect(rep.evaluation).toBeNull();
    const n = rep.nullCheck!;
    expect(n.flags).toBeGreaterThan(0);
    // Every flag is a false alarm, and the rate is theirs over every scored step.
    expect(n.flags).toBe(rep.flags.length);
    expect(n.falseAlarms).toBe(rep.flags.length);
    expect(rep.flags.every((f) => f.outcome === 'false-alarm')).toBe(true);
    expect(n.steps).toBe(rep.scored.steps);
    expect(n.falseAlarmsPer1000).toBeCloseTo((1000 * n.falseAlarms) / n.steps, 9);
    expect(n.ci.falseAlarmsPer1000.lo).toBeLessThanOrEqual(n.falseAlarmsPer1000);
    expect(r.stdout).toMatch(/truth plants no conflict in the scored episodes, so every flag is a false alarm: \d+ in \d+ steps = /);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/No detection to evaluate: truth plants no conflict/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/No detection to evaluate: truth plants no conflict/);
  });

  it('splits a run of one long episode in time: fits on its first half, scores and evaluates the second', async () => {
    const root = tempDir('tl-detect-cli-');
    const data = writeTinyRun(root, 'one-episode', { episodes: 24, steps: 100, seed: 5, singleEpisode: true });
    const out = join(root, 'rep');
    const r = await runCliCapture(['-q', 'detect', data.dir, '--views', 'cca', '--random-features', '0', '--out', out, '--horizon', '15', '--far', '0.005', '--resamples', '50']);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ConflictReport;
    expect(rep.scored.episodeIds).toEqual([0]);
    expect(rep.scored.steps).toBe(1200);
    // Only the conflicts whose behaviour diverges in the scored half are evaluated.
    expect(rep.evaluation!.conflicts).toBe(data.conflicts.filter((c) => c.divergenceStep >= 1200).length);
    expect(rep.evaluation!.detectionRate).toBeGreaterThan(0.5);
    for (const f of rep.flags) expect(f.step).toBeGreaterThanOrEqual(1200);
    const detector = JSON.parse(readFileSync(join(out, 'detector.json'), 'utf8')) as { provenance: { notes: string[] } };
    expect(detector.provenance.notes.join(' ')).toMatch(/one episode: fitted on its steps before 1200 \(cut into 8/);
    // Its intervals resample 8 time blocks of the scored steps, so they have width.
    const e = rep.evaluation!;
    expect(e.bootstrap).toMatchObject({ unit: 'time block', blocks: 8 });
    expect(e.ci.auroc.hi - e.ci.auroc.lo).toBeGreaterThan(0);
    expect(e.ci.auroc.lo).toBeLessThanOrEqual(e.auroc);
    expect(e.ci.auroc.hi).toBeGreaterThanOrEqual(e.auroc);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/intervals over 8 consecutive time blocks of the one scored episode/);
  });

  it('writes to <run>/reports/<name>/ by default and explains a missing view source', async () => {
    const root = tempDir('tl-detect-cli-');
    const data = writeTinyRun(root, 'tiny', { episodes: 8, steps: 60, seed: 6 });
    const bad = await runCliCapture(['detect', data.dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--sae/);
    const badEvent = await runCliCapture(['detect', data.dir, '--views', 'cca', '--random-features', '0', '--event', 'actions wobble']);
    expect(badEvent.code).toBe(2);
    expect(badEvent.stderr).toMatch(/not understood/);
    const ok = await runCliCapture(['-q', 'detect', data.dir, '--views', 'cca', '--random-features', '0', '--format', 'json', '--resamples', '20']);
    expect(ok.code).toBe(0);
    expect(existsSync(join(data.dir, 'reports', 'cca-raw', 'report.json'))).toBe(true);
    expect(existsSync(join(data.dir, 'reports', 'cca-raw', 'report.html'))).toBe(false);
    const badStat = await runCliCapture(['detect', data.dir, '--views', 'cca', '--random-features', '0', '--statistic', 'median']);
    expect(badStat.code).not.toBe(0);
    expect(badStat.stderr).toMatch(/statistic.*mewma, sparse.*median/);
    const mewma = await runCliCapture(['-q', 'detect', data.dir, '--views', 'cca', '--random-features', '0', '--format', 'json', '--resamples', '20', '--statistic', 'mewma', '--level-bins', '1', '--name', 'mewma']);
    expect(mewma.code, mewma.stderr).toBe(0);
    const stored = JSON.parse(readFileSync(join(data.dir, 'reports', 'mewma', 'detector.json'), 'utf8')) as { config: { statistic: string; levelBins: number } };
    expect(stored.config).toMatchObject({ statistic: 'mewma', levelBins: 1 });
  });

  it('--follow scores a run while it is recorded and appends flags as steps arrive', async () => {
    const root = tempDir('tl-detect-follow-');
    const ref = writeTinyRun(root, 'ref', { episodes: 16, steps: 100, seed: 7 });
    const src = writeTinyRun(root, 'src', { episodes: 6, steps: 100, seed: 8, fraction: 0.5 });
    // Re-record the source run step by step into a live run while detect follows it.
    const live = join(root, 'live');
    const agents = tinyAgents(src.dims);
    const w = createRun(live, { source: { kind: 'test-live' }, agents, flushIntervalMs: 0, batchRows: 25 });
    const { openRun } = await import('../../data/index.js');
    const batches = [...openRun(src.dir).joined()];
    const out = join(root, 'live-rep');
    const det = runCliCapture(['--json', 'detect', live, '--reference', ref.dir, '--views', 'cca', '--random-features', '0', '--follow', '--out', out, '--horizon', '15', '--far', '0.005', '--resamples', '20']);
    for (const b of batches) {
      agents.forEach((ag, a) => w.append(ag.id, { episode: b.episode, step: b.step, hidden: b.hidden[a]!.slice(), columns: b.columns[a] as never }));
      w.flush();
      await new Promise((res) => setTimeout(res, 5));
    }
    w.close();
    const r = await det;
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { live: { batches: number; latencyMs: { median: number; p99: number } }; flags: number };
    expect(summary.live.batches).toBeGreaterThan(1);
    expect(summary.live.latencyMs.p99).toBeGreaterThanOrEqual(summary.live.latencyMs.median);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ConflictReport;
    expect(report.scored.steps).toBe(600);
    const jsonl = readFileSync(join(out, 'flags.jsonl'), 'utf8').trim();
    expect(jsonl ? jsonl.split('\n').length : 0).toBe(report.flags.length);
    expect(report.evaluation!.flaggedBefore).toBeGreaterThan(0);
  });
});
