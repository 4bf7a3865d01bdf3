import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRun } from '../../../data/index.js';
import { makeRng } from '../../../util/random.js';
import { EventTracker, Gru, loadCheckpoint, recordIpd, recordIpdLive, saveCheckpoint, CheckpointError } from '../../../agents/ipd/index.js';
import { loadPool } from '../../../agents/pool/index.js';
import { runCliCapture } from '../../helpers/runCliCapture.js';
import { tempDir } from '../../helpers/tmp.js';

const pool = loadPool();

function tinyCheckpoint(dir: string, name: string, seed: number): string {
  const m = new Gru({ arch: 'gru', hidden: 8, inputs: 5, featuresPerStep: 1 }, makeRng(seed));
  return saveCheckpoint(join(dir, name), m, { name, stage: 'test', seed, poolStyles: pool.styles.map((s) => s.name) });
}

interface Row {
  episode: number;
  step: number;
  action: number;
  co_player_action: number;
  defect_after_coop: boolean;
  exploited: boolean;
  co_player: string;
  reward: number;
}

function readRows(dir: string, agent = 0): Row[] {
  const rows: Row[] = [];
  for (const b of openRun(dir).joined()) {
    const c = b.columns[agent]!;
    for (let i = 0; i < b.length; i++) {
      rows.push({
        episode: b.episode[i]!,
        step: b.step[i]!,
        action: Number(c.action![i]),
        co_player_action: Number(c.co_player_action![i]),
        defect_after_coop: Boolean(c.defect_after_coop![i]),
        exploited: Boolean(c.exploited![i]),
        co_player: String(c.co_player![i]),
        reward: Number(c.reward![i]),
      });
    }
  }
  return rows;
}

describe('checkpoints', () => {
  it('round-trip config and weights', () => {
    const dir = tempDir();
    const path = tinyCheckpoint(dir, 'ck', 4);
    const a = loadCheckpoint(path);
    const m = new Gru({ arch: 'gru', hidden: 8, inputs: 5, featuresPerStep: 1 }, makeRng(4));
    expect(a.info.name).toBe('ck');
    a.model.params.forEach((p, i) => expect([...p.data]).toEqual([...Float32Array.from(m.params[i]!.data)]));
    expect(() => loadCheckpoint(join(dir, 'nope'))).toThrow(CheckpointError);
  });
});

describe('recordIpd', () => {
  it('records a learner against a style: hidden states, moves, rewards, events, co-player names', () => {
    const dir = tempDir();
    const a = loadCheckpoint(tinyCheckpoint(dir, 'a', 1));
    const run = join(dir, 'run');
    const seen: number[] = [];
    recordIpd(run, { agentA: a, agentB: 'tit-for-tat', episodes: 6, episodeLength: 30, parallel: 4, k: 3, seed: 2, onProgress: (p) => seen.push(p.episodes) });
    expect(seen).toEqual([4, 6]);
    const r = openRun(run);
    expect(r.manifest.status).toBe('complete');
    expect(r.manifest.agents.map((x) => x.id)).toEqual(['A']); // a style has no hidden state
    expect(r.manifest.source.kind).toBe('ipd');
    expect(r.manifest.source.params).toMatchObject({ agentB: { style: 'tit-for-tat' }, k: 3, episodes: 6 });
    const events = r.manifest.agents[0]!.columns.filter((c) => c.role === 'event').map((c) => c.name);
    expect(events).toEqual(['defect_after_coop', 'exploited']);
    const rows = readRows(run);
    expect(rows).toHaveLength(6 * 30);
    // tit-for-tat copies the learner's previous move; events follow their definitions
    const byEp = new Map<number, Row[]>();
    for (const x of rows) (byEp.get(x.episode) ?? byEp.set(x.episode, []).get(x.episode)!).push(x);
    for (const ep of byEp.values()) {
      ep.sort((x, y) => x.step - y.step);
      const tr = new EventTracker(1, 3, 2);
      ep.forEach((x, t) => {
        expect(x.co_player).toBe('tit-for-tat');
        expect(x.co_player_action).toBe(t === 0 ? 0 : ep[t - 1]!.action);
        expect(x.reward).toBe([1, -1, 2, 0][2 * x.action + x.co_player_action]);
        expect([x.defect_after_coop, x.exploited]).toEqual(tr.push(0, x.action, x.co_player_action));
      });
    }
  });

  it('records both learners when both are checkpoints, and switches styles mid-episode', () => {
    const dir = tempDir();
    const a = loadCheckpoint(tinyCheckpoint(dir, 'a', 1));
    const b = loadCheckpoint(tinyCheckpoint(dir, 'b', 2));
    const run = join(dir, 'pair');
    recordIpd(run, { agentA: a, agentB: b, episodes: 3, episodeLength: 20 });
    const r = openRun(run);
    expect(r.manifest.agents.map((x) => x.id)).toEqual(['A', 'B']);
    const ra = readRows(run, 0);
    const rb = readRows(run, 1);
    expect(ra).toHaveLength(60);
    ra.forEach((x, i) => expect(x.co_player_action).toBe(rb[i]!.action));
    expect(rb[0]!.co_player).toBe('a');

    const sw = join(dir, 'switch');
    recordIpd(sw, { agentA: a, agentB: 'tit-for-tat', episodes: 2, episodeLength: 20, switchTo: { style: 'always-defect', at: 10 } });
    const rs = readRows(sw);
    for (const x of rs) {
      expect(x.co_player).toBe(x.step < 10 ? 'tit-for-tat' : 'always-defect');
      if (x.step >= 10) expect(x.co_player_action).toBe(1);
    }
  });

  it('records live without blocking the event loop, and stops cleanly when aborted', async () => {
    const dir = tempDir();
    const a = loadCheckpoint(tinyCheckpoint(dir, 'a', 1));
    const ctl = new AbortController();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const p = recordIpdLive(join(dir, 'live'), { agentA: a, agentB: a, episodes: 40, episodeLength: 50, parallel: 8, signal: ctl.signal, onProgress: (s) => s.episodes >= 16 && ctl.abort() });
    const res = await p;
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
    expect(res.manifest.status).toBe('aborted');
    expect(res.stats.episodes).toBe(16);
    expect(openRun(join(dir, 'live')).manifest.counts.A!.rows).toBeGreaterThanOrEqual(16 * 50);
  });

  it('exposes the recorder and a tiny retraining through the CLI', async () => {
    const ws = tempDir();
    const ck = join(ws, 'ck');
    const t = await runCliCapture(['-w', ws, 'agents', 'train', '--stage', '1', '--steps', '4', '--episodes', '8', '--hidden', '8', '--out', ck, '--json']);
    expect(t.code).toBe(0);
    const tr = JSON.parse(t.stdout) as { checkpoints: string[] };
    expect(tr.checkpoints).toEqual([join(ck, 'gru-stage1')]);
    const e = await runCliCapture(['-w', ws, 'agents', 'eval', tr.checkpoints[0]!, '--episodes', '8', '--json']);
    expect(e.code).toBe(0);
    const ev = JSON.parse(e.stdout) as { styles: { style: string; lateCoop: number }[] };
    expect(ev.styles.map((s) => s.style)).toContain('tit-for-tat');
    const r = await runCliCapture(['-w', ws, 'record', 'ipd', '--agents', tr.checkpoints[0]!, 'pool', '--episodes', '5', '--rounds', '10', '--out', 'r1', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = readRows(join(ws, 'runs', 'r1'));
    expect(new Set(rows.map((x) => x.co_player)).size).toBe(5);
    const bad = await runCliCapture(['-w', ws, 'record', 'ipd', '--agents', tr.checkpoints[0]!, 'no-such-style', '--json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no style named 'no-such-style'/);
  });
});

describe('shipped checkpoints', () => {
  it('load by name and play as trained: cooperate with tit-for-tat, mostly defect against always-defect', async () => {
    const { loadDefaultPair, shippedCheckpoints, evaluateVsStyles } = await import('../../../agents/ipd/index.js');
    expect(shippedCheckpoints()).toEqual(expect.arrayContaining(['gru-stage1', 'gru-stage2', 'gru-stage3-a', 'gru-stage3-b']));
    const [a, b] = loadDefaultPair();
    expect(b.info.stage).toBe('3');
    const ev = evaluateVsStyles(a.model, pool, { episodes: 64, seed: 3 }, ['tit-for-tat', 'always-defect'].map((s) => pool.styles.findIndex((x) => x.name === s)));
    expect(ev[0]!.lateCoop).toBeGreaterThan(0.9);
    expect(ev[1]!.lateCoop).toBeLessThan(0.35);
  });
});
