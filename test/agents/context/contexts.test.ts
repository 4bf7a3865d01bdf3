import { describe, expect, it } from 'vitest';
import { bestResponseEpisodes, burstyContexts, evaluateAdaptation, peerPrefix, transformHistory } from '../../../agents/context/index.js';
import { makeModel } from '../../../agents/ipd/index.js';
import { compileStyle, type StyleSpec } from '../../../agents/pool/index.js';
import { titForTat } from '../../../agents/population/index.js';
import { makeRng } from '../../../util/random.js';

const allD = compileStyle({ name: 'always-defect', group: 'u', kind: 'memory', n: 1, start: 0, p: { '??': 0 } } as StyleSpec);
const tft = titForTat();

describe('bestResponseEpisodes', () => {
  it('labels defection against always-defect and cooperation (but the last round) against tit-for-tat', () => {
    const d = bestResponseEpisodes([allD, tft], { episodesPerStyle: 3, steps: 10, explore: 0.5 }, makeRng(1));
    expect(d.n).toBe(6);
    for (let e = 0; e < 3; e++) for (let t = 0; t < 10; t++) expect(d.best[e * 10 + t]).toBe(1);
    for (let e = 3; e < 6; e++) {
      expect(d.obs[e * 10]).toBe(0);
      expect(d.best[e * 10 + 9]).toBe(1);
      expect(d.best[e * 10]).toBe(0);
    }
  });
});

describe('burstyContexts', () => {
  const d = bestResponseEpisodes([allD, tft], { episodesPerStyle: 20, steps: 30 }, makeRng(2));
  it('gives every condition the same number of labelled rounds', () => {
    for (const kind of ['whole', 'partial', 'isolated'] as const) {
      const c = burstyContexts(d, { kind, sequences: 16, length: 20 }, makeRng(3));
      expect(c.n * c.steps).toBe(320);
      expect(c.feats.length).toBe(320);
    }
  });
  it('keeps whole contexts coherent (one start symbol, at the front) and scatters isolated ones', () => {
    const w = burstyContexts(d, { kind: 'whole', sequences: 16, length: 20 }, makeRng(3));
    for (let i = 0; i < 16; i++) {
      expect(w.feats[i * 20]).toBe(0);
      for (let t = 1; t < 20; t++) expect(w.feats[i * 20 + t]).not.toBe(0);
    }
    const iso = burstyContexts(d, { kind: 'isolated', sequences: 200, length: 20 }, makeRng(3));
    let starts = 0;
    for (let k = 0; k < iso.feats.length; k++) starts += iso.feats[k] === 0 ? 1 : 0;
    // a random round is round 0 with probability 1/30
    expect(starts / iso.feats.length).toBeGreaterThan(0.015);
    expect(starts / iso.feats.length).toBeLessThan(0.06);
  });
});

describe('peerPrefix and transformHistory', () => {
  it('tells the exploited story mostly as CD and the neutral one evenly', () => {
    const p = peerPrefix({ memory: 'exploited', length: 50, noise: 0.1 }, 20, makeRng(4));
    let cd = 0;
    for (let i = 0; i < 20; i++) for (let t = 1; t < 50; t++) cd += p[i * 50 + t] === 2 ? 1 : 0;
    expect(cd / (20 * 49)).toBeGreaterThan(0.7);
    const n = peerPrefix({ memory: 'neutral', length: 50 }, 20, makeRng(4));
    let nd = 0;
    for (let i = 0; i < 20; i++) for (let t = 1; t < 50; t++) nd += n[i * 50 + t] === 2 ? 1 : 0;
    expect(nd / (20 * 49)).toBeGreaterThan(0.15);
    expect(nd / (20 * 49)).toBeLessThan(0.35);
  });
  it('shuffles only the older rounds and truncates to the latest', () => {
    const seen = [0, 1, 2, 3, 4, 1, 2];
    const s = transformHistory(seen, { at: 6, transform: 'shuffle' }, makeRng(5));
    expect(s[0]).toBe(0);
    expect(s[6]).toBe(2);
    expect([...s].sort()).toEqual([...seen].sort());
    expect(transformHistory(seen, { at: 6, transform: 'truncate', keep: 3 }, makeRng(5))).toEqual([4, 1, 2]);
  });
});

describe('evaluateAdaptation', () => {
  it('scores an agent on its best-response rate and defection, reproducibly', () => {
    const m = makeModel({ arch: 'gru', hidden: 8, inputs: 5, featuresPerStep: 1 }, makeRng(6));
    // a defecting head: always D is the exact best response to always-defect
    m.params.find((p) => p.name === 'head.bp')!.data[0] = -20;
    const a = evaluateAdaptation(m, [allD, tft], { episodesPerStyle: 4, steps: 20, seed: 1, resamples: 50 });
    expect(a.perCoPlayer[0]!.bestRate).toBe(1);
    expect(a.perCoPlayer[0]!.fraction).toBeCloseTo(1);
    expect(a.defectionRate.estimate).toBe(1);
    expect(a.firstDefection.estimate).toBe(0);
    expect(a.perCoPlayer[1]!.bestRate).toBeLessThan(0.2);
    const b = evaluateAdaptation(m, [allD, tft], { episodesPerStyle: 4, steps: 20, seed: 1, resamples: 50 });
    expect(b.curve).toEqual(a.curve);
  });
});
