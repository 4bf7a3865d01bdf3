import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FixedPolicy,
  Gru,
  Planner,
  evaluateVsStyles,
  fitPredictor,
  isPlanner,
  loadCheckpoint,
  playMatch,
  saveCheckpoint,
  predictorLoss,
  trainPlannerToCheckpoints,
  trajectoriesOf,
} from '../../../agents/ipd/index.js';
import { loadPool, StylePlayers, styleIndex, warmupStyles } from '../../../agents/pool/index.js';
import { makeRng } from '../../../util/random.js';
import { openRun } from '../../../data/index.js';
import { runCliCapture } from '../../helpers/runCliCapture.js';
import { tempDir } from '../../helpers/tmp.js';

const pool = loadPool();
const cfg = { arch: 'gru' as const, hidden: 12, inputs: 5, featuresPerStep: 1 };

describe('co-player predictor', () => {
  it('supervised fitting lowers the cross-entropy of predicting the co-player', () => {
    const rng = makeRng(4);
    const tft = styleIndex(pool, 'tit-for-tat');
    const alld = styleIndex(pool, 'always-defect');
    const n = 64;
    const players = new StylePlayers(pool.styles, n, rng.fork());
    const me = new FixedPolicy(cfg, Float64Array.from({ length: n * 5 }, () => rng.next()));
    const assign = Int32Array.from({ length: n }, (_, i) => (i % 2 ? tft : alld));
    const data = trajectoriesOf(playMatch(me, { kind: 'pool', players, assign }, n, 30, rng), 'a', 1);
    const model = new Gru(cfg, makeRng(1));
    const before = predictorLoss(model, data);
    const fit = fitPredictor(model, data, { epochs: 30, batch: 16, lr: 1e-2 });
    expect(fit.loss).toHaveLength(30);
    expect(before).toBeGreaterThan(0.6);
    // tit-for-tat is predictable from the last outcome, always-defect from anything
    expect(predictorLoss(model, data)).toBeLessThan(0.2);
  });
});

describe('planner', () => {
  it('after a tiny training defects against always-defect and random, cooperates with tit-for-tat and grim', () => {
    const dir = tempDir();
    const out = trainPlannerToCheckpoints({ stage: 'planner', pool, styles: warmupStyles(pool), seed: 2, hidden: 12, iterations: 8, episodes: 128, bootstrapEpisodes: 256, window: 512, exploreEpisodes: 0.25, bootstrap: 'memory-1', episodeLength: 40, outDir: dir });
    expect(out.checkpoints).toEqual([join(dir, 'gru-planner')]);
    expect(out.result.history).toHaveLength(9);
    const ck = loadCheckpoint(out.checkpoints[0]!);
    expect(isPlanner(ck.model)).toBe(true);
    expect(ck.info.planner).toEqual({ depth: 2, gamma: 0.95, useValue: true });
    const styles = ['tit-for-tat', 'grim-trigger', 'always-defect', 'random'].map((s) => styleIndex(pool, s));
    const ev = evaluateVsStyles(ck.model, pool, { episodes: 64, episodeLength: 40, seed: 7 }, styles);
    const late = Object.fromEntries(ev.map((e) => [e.style, e.lateCoop]));
    expect(late['tit-for-tat']).toBeGreaterThanOrEqual(0.9);
    expect(late['grim-trigger']).toBeGreaterThanOrEqual(0.9);
    expect(late['always-defect']).toBeLessThanOrEqual(0.1);
    expect(late['random']).toBeLessThanOrEqual(0.1);
    // the loaded checkpoint plays exactly as the trained planner
    const again = evaluateVsStyles(out.result.learners[0]!.planner, pool, { episodes: 64, episodeLength: 40, seed: 7 }, styles);
    expect(again.map((e) => e.coop)).toEqual(ev.map((e) => e.coop));
  });

  it('selfPlay: a share of the collected episodes is played against a copy of itself', () => {
    const dir = tempDir();
    const out = trainPlannerToCheckpoints({ stage: 'planner', pool, seed: 3, hidden: 8, iterations: 2, episodes: 40, bootstrapEpisodes: 40, window: 80, episodeLength: 20, selfPlay: 0.25, outDir: dir });
    const g = out.result.history[2]!.groups['A']!;
    // 10 self-play episodes, each seen from both seats; the other 30 against the pool
    expect(g['learner']!.episodes).toBe(20);
    expect(Object.entries(g).filter(([k]) => k !== 'learner').reduce((a, [, v]) => a + v.episodes, 0)).toBe(30);
    expect(out.result.history[0]!.groups['A']!['learner']).toBeUndefined();
    expect(out.result.options.selfPlay).toBe(0.25);
    expect(() => trainPlannerToCheckpoints({ stage: 'planner', pool, iterations: 1, episodes: 8, bootstrapEpisodes: 8, selfPlay: 1.5, outDir: dir })).toThrow(/selfPlay must be in \[0, 1\]/);
  });

  it('plans from the predictor: a predictor certain the co-player cooperates makes it defect (no value leaves)', () => {
    const g = new Gru(cfg, makeRng(3));
    g.params.find((p) => p.name === 'head.wp')!.data.fill(0);
    g.params.find((p) => p.name === 'head.bp')!.data[0] = 10; // P(co-player C) ≈ 1 whatever happens
    const p = new Planner(g, { depth: 3, useValue: false });
    const ro = p.start(4, 5);
    p.step(ro, new Int32Array(4));
    for (let i = 0; i < 4; i++) expect(ro.logit[i]).toBeLessThan(0);
    // and its hidden state is the predictor's
    const h1 = new Float64Array(4 * 12);
    p.hiddenAt(ro, 0, h1);
    const gr = g.start(4, 5);
    g.step(gr, new Int32Array(4));
    const h2 = new Float64Array(4 * 12);
    g.hiddenAt(gr, 0, h2);
    expect([...h1]).toEqual([...h2]);
  });

  it('coopMargin: cooperates only when defecting gains no more than the margin', () => {
    const g = new Gru(cfg, makeRng(3));
    g.params.find((p) => p.name === 'head.wp')!.data.fill(0);
    g.params.find((p) => p.name === 'head.bp')!.data[0] = 10; // P(co-player C) ≈ 1: defecting gains 2 − 1 = 1 per round, later rounds alike
    const move = (coopMargin: number): number => {
      const p = new Planner(g, { depth: 3, useValue: false, coopMargin });
      const ro = p.start(2, 5);
      p.step(ro, new Int32Array(2));
      return ro.logit[0]!;
    };
    expect(move(0)).toBeLessThan(0);
    expect(move(0.9)).toBeLessThan(0);
    expect(move(1.1)).toBeGreaterThan(0);
  });

  it('toEnd: searches no further than the rollout’s last round and values leaves for the rounds left', () => {
    const g = new Gru(cfg, makeRng(3));
    for (const name of ['head.wp', 'head.wv', 'head.bp']) g.params.find((p) => p.name === name)!.data.fill(0);
    g.params.find((p) => p.name === 'head.bv')!.data[0] = 0.5; // P(co-player C) = ½ and value-head output 0.5 everywhere
    const values = (toEnd: boolean): number[] => {
      const p = new Planner(g, { depth: 2, toEnd });
      const ro = p.start(1, 4);
      for (let t = 0; t < 4; t++) p.step(ro, new Int32Array(1));
      expect([...ro.logit].every((l) => l < 0)).toBe(true); // defecting gains 1 each round, nothing depends on it
      return [...ro.value];
    };
    // one round's best: ½·2 + ½·0 = 1; a leaf's value 0.5 / (1 − γ) = 10 without a horizon, 0.5·(1 − γ^k)/(1 − γ) with k rounds after it
    const end = values(true);
    expect(end[3]).toBeCloseTo(1, 12);
    expect(end[2]).toBeCloseTo(1 + 0.95, 12);
    expect(end[1]).toBeCloseTo(1 + 0.95 * (1 + 0.95 * 0.5), 12);
    expect(end[0]).toBeCloseTo(1 + 0.95 * (1 + 0.95 * 0.5 * (1 + 0.95)), 12);
    for (const v of values(false)) expect(v).toBeCloseTo(1 + 0.95 * (1 + 0.95 * 10), 12);
  });

  it('toEnd is stored in a checkpoint only when set, and older checkpoints load without it', () => {
    const dir = tempDir();
    const g = new Gru(cfg, makeRng(5));
    const info = { name: 'p', stage: 'planner', seed: 1, poolStyles: [] };
    saveCheckpoint(join(dir, 'a'), new Planner(g, { toEnd: true }), info);
    saveCheckpoint(join(dir, 'b'), new Planner(g), info);
    const a = loadCheckpoint(join(dir, 'a'));
    const b = loadCheckpoint(join(dir, 'b'));
    expect(a.info.planner).toEqual({ depth: 2, gamma: 0.95, useValue: true, toEnd: true });
    expect(b.info.planner).toEqual({ depth: 2, gamma: 0.95, useValue: true });
    expect(isPlanner(a.model) && a.model.plan.toEnd).toBe(true);
    expect(isPlanner(b.model) && b.model.plan.toEnd).toBe(false);
  });
});

describe('planner with a transformer predictor', () => {
  it('trains, saves, loads and records like the GRU planner', async () => {
    const ws = tempDir();
    const out = trainPlannerToCheckpoints({ stage: 'planner', arch: 'transformer', pool, styles: warmupStyles(pool), seed: 3, hidden: 8, iterations: 1, episodes: 24, bootstrapEpisodes: 48, window: 96, episodeLength: 20, outDir: join(ws, 'ck') });
    expect(out.checkpoints).toEqual([join(ws, 'ck', 'transformer-planner')]);
    const loss = out.result.history.map((h) => h.loss.A!);
    expect(loss.every(Number.isFinite)).toBe(true);
    const ck = loadCheckpoint(out.checkpoints[0]!);
    expect(isPlanner(ck.model)).toBe(true);
    expect(ck.model.cfg.arch).toBe('transformer');
    const styles = ['tit-for-tat', 'always-defect'].map((s) => styleIndex(pool, s));
    const a = evaluateVsStyles(ck.model, pool, { episodes: 16, episodeLength: 20, seed: 5 }, styles);
    const b = evaluateVsStyles(out.result.learners[0]!.planner, pool, { episodes: 16, episodeLength: 20, seed: 5 }, styles);
    expect(a.map((e) => e.coop)).toEqual(b.map((e) => e.coop));
    const r = await runCliCapture(['-w', ws, 'record', 'ipd', '--agents', out.checkpoints[0]!, 'tit-for-tat', '--episodes', '2', '--rounds', '10', '--out', 'r1', '--json']);
    expect(r.code).toBe(0);
    expect(openRun(join(ws, 'runs', 'r1')).manifest.agents[0]).toMatchObject({ hiddenSize: 8, model: 'planner-transformer-8' });
  });
});

describe('planner through the CLI', () => {
  it('agents train --agent planner, agents eval and record ipd work on its checkpoint', async () => {
    const ws = tempDir();
    const ck = join(ws, 'ck');
    const t = await runCliCapture(['-w', ws, 'agents', 'train', '--agent', 'planner', '--stage', '1', '--steps', '1', '--episodes', '22', '--hidden', '8', '--out', ck, '--json']);
    expect(t.stderr).toBe('');
    expect(t.code).toBe(0);
    const tr = JSON.parse(t.stdout) as { checkpoints: string[]; agent: string };
    expect(tr.agent).toBe('planner');
    expect(tr.checkpoints).toEqual([join(ck, 'gru-planner')]);
    expect(isPlanner(loadCheckpoint(tr.checkpoints[0]!).model)).toBe(true);
    const e = await runCliCapture(['-w', ws, 'agents', 'eval', tr.checkpoints[0]!, '--episodes', '8', '--json']);
    expect(e.code).toBe(0);
    expect((JSON.parse(e.stdout) as { styles: unknown[] }).styles).toHaveLength(pool.styles.length);
    const r = await runCliCapture(['-w', ws, 'record', 'ipd', '--agents', tr.checkpoints[0]!, 'tit-for-tat', '--episodes', '3', '--rounds', '10', '--out', 'r1', '--json']);
    expect(r.code).toBe(0);
    const run = openRun(join(ws, 'runs', 'r1'));
    expect(run.manifest.agents[0]).toMatchObject({ hiddenSize: 8, model: 'planner-gru-8' });
    let rows = 0;
    for (const b of run.joined()) rows += b.length;
    expect(rows).toBe(30);
    const bad = await runCliCapture(['-w', ws, 'agents', 'train', '--agent', 'planner', '--stage', '2', '--json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--agent planner trains stages 1, mixed, selfplay and identity/);
  });
});
