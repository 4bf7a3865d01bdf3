import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRun, readTruthJson, ThoughtlensError } from '../../../data/index.js';
import { loadDefaultCheckpoint, recordIpdDelayed, type DelayedConflict, type DelayedEpisodeTruth } from '../../../agents/ipd/index.js';
import { tempDir } from '../../helpers/tmp.js';

const learner = loadDefaultCheckpoint('gru-stage1');

interface Row {
  episode: number;
  step: number;
  hidden: number[];
  action: number;
  co: number;
  seen: number;
  diverged: boolean;
}

/** Rows of both agents per (episode, step), from the run as written. */
function readPairs(dir: string): { a: Row; b: Row }[] {
  const out: { a: Row; b: Row }[] = [];
  const run = openRun(dir);
  const H = run.manifest.agents.map((x) => x.hiddenSize);
  for (const bt of run.joined()) {
    for (let i = 0; i < bt.length; i++) {
      const row = (k: number): Row => {
        const c = bt.columns[k]!;
        return {
          episode: bt.episode[i]!,
          step: bt.step[i]!,
          hidden: [...bt.hidden[k]!.subarray(i * H[k]!, (i + 1) * H[k]!)],
          action: Number(c.action![i]),
          co: Number(c.co_player_action![i]),
          seen: Number(c.co_player_seen![i]),
          diverged: Boolean(c.diverged![i]),
        };
      };
      out.push({ a: row(0), b: row(1) });
    }
  }
  return out;
}

function byEpisode<T extends { a: Row }>(rows: T[]): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const r of rows) (m.get(r.a.episode) ?? m.set(r.a.episode, []).get(r.a.episode)!).push(r);
  for (const v of m.values()) v.sort((x, y) => x.a.step - y.a.step);
  return m;
}

describe('recordIpdDelayed', () => {
  it('writes A and B aligned by (episode, step); before A sees the switch their states are equal; truth onset and divergence follow their definitions', () => {
    const dir = join(tempDir(), 'run');
    const T = 30;
    const res = recordIpdDelayed(dir, { agentA: learner, from: 'always-cooperate', to: 'always-defect', switchAt: 10, delay: 3, episodes: 6, episodeLength: T, parallel: 4, seed: 3 });
    const run = openRun(dir);
    expect(run.manifest.status).toBe('complete');
    expect(run.manifest.agents.map((x) => x.id)).toEqual(['A', 'B']);
    expect(run.manifest.truth).toEqual(['truth/conflicts.json']);
    const rows = readPairs(dir);
    expect(rows).toHaveLength(6 * T);
    for (const { a, b } of rows) expect([b.episode, b.step]).toEqual([a.episode, a.step]);
    const eps = byEpisode(rows);
    expect([...eps.keys()].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    for (const [e, ep] of eps) {
      const truth = res.episodes.find((x) => x.episode === e)!;
      // always-cooperate → always-defect at round 10: the first D is round 10, so A's input carries it from step 11
      expect(truth.switchRound).toBe(10);
      expect(truth.onsetStep).toBe(11);
      expect(ep.map((r) => r.a.co)).toEqual(ep.map((r) => (r.a.step >= 10 ? 1 : 0)));
      // A sees round t−1, B round t−4 (before its first delayed move arrives, cooperation)
      for (const r of ep.slice(1)) {
        expect(r.a.seen).toBe(ep[r.a.step - 1]!.a.co);
        expect(r.b.seen).toBe(r.b.step - 4 >= 0 ? ep[r.b.step - 4]!.b.co : 0);
      }
      // nothing differs before the onset: same inputs, same weights, same random numbers
      for (const r of ep.filter((x) => x.a.step < 11)) {
        expect(r.b.hidden).toEqual(r.a.hidden);
        expect(r.b.action).toBe(r.a.action);
      }
      expect(ep[11]!.b.hidden).not.toEqual(ep[11]!.a.hidden);
      const firstDiff = ep.findIndex((r) => r.a.action !== r.b.action);
      expect(truth.divergenceStep).toBe(firstDiff < 0 ? null : firstDiff);
      expect(ep.filter((r) => r.a.diverged).map((r) => r.a.step)).toEqual(firstDiff < 0 ? [] : [firstDiff]);
      expect(ep.map((r) => r.b.diverged)).toEqual(ep.map((r) => r.a.diverged));
    }
    const file = readTruthJson<{ conflicts: DelayedConflict[]; perEpisode: DelayedEpisodeTruth[] }>(dir, 'conflicts.json');
    expect(file.perEpisode).toEqual(res.episodes);
    expect(file.conflicts).toHaveLength(6);
    for (const c of file.conflicts) {
      const e = res.episodes.find((x) => x.episode === c.episode)!;
      expect(c).toMatchObject({ agent: 'A', thoughts: [], onsetStep: 11, divergenceStep: e.divergenceStep ?? T });
    }
    // the trained learner defects once it sees defection: B, seeing it 3 rounds late, lags
    expect(file.conflicts.filter((c) => c.divergenceStep > c.onsetStep && c.divergenceStep < T).length).toBeGreaterThanOrEqual(4);
  });

  it("tit-for-tat → always-defect: the onset is the first round after the switch whose move tit-for-tat would not have made", () => {
    const dir = join(tempDir(), 'run');
    const res = recordIpdDelayed(dir, { agentA: learner, from: 'tit-for-tat', to: 'always-defect', switchAt: [5, 20], delay: 2, episodes: 12, episodeLength: 40, seed: 8 });
    const eps = byEpisode(readPairs(dir));
    const rounds = new Set<number>();
    for (const truth of res.episodes) {
      const ep = eps.get(truth.episode)!;
      rounds.add(truth.switchRound);
      expect(truth.switchRound).toBeGreaterThanOrEqual(5);
      expect(truth.switchRound).toBeLessThanOrEqual(20);
      const titForTat = (t: number) => (t === 0 ? 0 : ep[t - 1]!.a.action);
      const r = ep.findIndex((x) => x.a.step >= truth.switchRound && x.a.co !== titForTat(x.a.step));
      expect(truth.onsetStep).toBe(r < 0 || r + 1 >= 40 ? null : r + 1);
    }
    expect(rounds.size).toBeGreaterThan(1);
    // seeded: the same options record the same truth
    const again = recordIpdDelayed(join(tempDir(), 'run'), { agentA: learner, from: 'tit-for-tat', to: 'always-defect', switchAt: [5, 20], delay: 2, episodes: 12, episodeLength: 40, seed: 8, parallel: 5 });
    expect(again.episodes.map((e) => e.switchRound)).toEqual(res.episodes.map((e) => e.switchRound));
  });

  it('bad options are one-line usage errors, and nothing is written', () => {
    const base = { agentA: learner, from: 'tit-for-tat', to: 'always-defect', switchAt: 'random' as const, episodes: 4, episodeLength: 20 };
    const cases: [Partial<typeof base> & Record<string, unknown>, RegExp][] = [
      [{ delay: 20 }, /view delay must be an integer in \[0, 19\]/],
      [{ delay: -1 }, /view delay/],
      [{ noise: 0.7 }, /noise must be a probability in \[0, 0\.5\)/],
      [{ to: 'tit-for-tat' }, /must switch to a different style/],
      [{ to: 'no-such-style' }, /no style named 'no-such-style'/],
      [{ switchAt: 25 as never }, /switch round must be an integer in \[1, 19\]/],
      [{ switchAt: [12, 3] as never }, /switch round .* got 12-3/],
      [{ episodes: 0 }, /episodes must be a positive integer/],
    ];
    for (const [patch, msg] of cases) {
      const dir = join(tempDir(), 'run');
      let err: unknown;
      try {
        recordIpdDelayed(dir, { ...base, ...patch } as never);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ThoughtlensError);
      expect((err as Error).message).toMatch(msg);
      expect((err as Error).message).not.toMatch(/\n/);
      expect(() => openRun(dir)).toThrow();
    }
  });
});
