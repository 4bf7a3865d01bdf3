import { describe, expect, it } from 'vitest';
import { balancedAccuracy, fitLogisticProbe, gameIndex, probeFeatures, type GamePlayRecord } from '../../../agents/games/index.js';
import { makeRng } from '../../../util/random.js';

/** A record of given move sequences (agent, co-player) in one game. */
function recordOf(game: number, eps: [number[], number[]][]): GamePlayRecord {
  const n = eps.length;
  const T = eps[0]![0].length;
  const rec: GamePlayRecord = {
    n,
    steps: T,
    game: new Int32Array(n).fill(game),
    coPlayer: new Int32Array(n),
    feats: new Int32Array(n * T * 2),
    actions: new Uint8Array(n * T),
    coActions: new Uint8Array(n * T),
    rewards: new Float64Array(n * T),
    best: new Uint8Array(n * T),
    hidden: new Map(),
  };
  eps.forEach(([a, b], i) => a.forEach((x, t) => ((rec.actions[i * T + t] = x), (rec.coActions[i * T + t] = b[t]!))));
  return rec;
}

describe('probeFeatures', () => {
  it('counts the outcomes seen before round t in the game’s block', () => {
    const g = gameIndex('chicken');
    const rec = recordOf(g, [[[0, 1, 1, 0], [0, 0, 1, 1]]]);
    const [x] = probeFeatures(rec, 3, 'counts');
    // outcomes 2·a + b: 0, 2, 3 → fractions 1/3 each, in block g (4 features per game), then the game one-hot
    expect(Array.from(x!.slice(4 * g, 4 * g + 4))).toEqual([1 / 3, 0, 1 / 3, 1 / 3]);
    expect(x![20 + g]).toBe(1);
    expect(x!.reduce((s, v) => s + v, 0)).toBeCloseTo(2, 12);
  });

  it('adds the outcome bigrams and the last outcome for the n-gram baseline', () => {
    const rec = recordOf(0, [[[0, 1, 1, 0], [0, 0, 1, 1]]]);
    const [x] = probeFeatures(rec, 3, 'ngram');
    expect(x![4 + 4 * 0 + 2]).toBeCloseTo(0.5, 12); // 0 → 2
    expect(x![4 + 4 * 2 + 3]).toBeCloseTo(0.5, 12); // 2 → 3
    expect(x![20 + 3]).toBe(1); // last outcome 3
  });

  it('separates co-players that differ only in how they follow the agent: n-grams do, counts cannot', () => {
    // against a random agent, a tit-for-tat co-player (copies the agent's last move) and an
    // independent coin flipper give the same expected outcome counts; only the pairs differ
    const eps: [number[], number[]][] = [];
    const labels: number[] = [];
    const rng = makeRng(1);
    for (let i = 0; i < 400; i++) {
      const a = Array.from({ length: 12 }, () => rng.int(2));
      const copy = i % 2 === 0;
      const b = a.map((_, t) => (copy ? (t === 0 ? 0 : a[t - 1]!) : rng.int(2)));
      eps.push([a, b]);
      labels.push(copy ? 0 : 1);
    }
    const rec = recordOf(0, eps);
    const acc = (kind: 'counts' | 'ngram'): number => {
      const x = probeFeatures(rec, 12, kind);
      const p = fitLogisticProbe(x.slice(0, 200), labels.slice(0, 200), 2);
      return balancedAccuracy(x.slice(200).map((r) => p.predict(r)), labels.slice(200));
    };
    expect(acc('ngram')).toBeGreaterThan(0.95);
    expect(acc('counts')).toBeLessThan(0.7);
  });
});

describe('logistic probe and balanced accuracy', () => {
  it('fits linearly separable classes', () => {
    const rng = makeRng(2);
    const x: Float64Array[] = [];
    const y: number[] = [];
    for (let i = 0; i < 300; i++) {
      const c = i % 3;
      x.push(Float64Array.of(c + 0.2 * rng.normal(), -c + 0.2 * rng.normal(), rng.normal()));
      y.push(c);
    }
    const p = fitLogisticProbe(x.slice(0, 150), y.slice(0, 150), 3);
    expect(balancedAccuracy(x.slice(150).map((r) => p.predict(r)), y.slice(150))).toBeGreaterThan(0.95);
  });

  it('gives chance to a constant guess whatever the class shares', () => {
    expect(balancedAccuracy([0, 0, 0, 0], [0, 0, 0, 1])).toBe(0.5);
    expect(balancedAccuracy([0, 1, 2, 2], [0, 1, 2, 2])).toBe(1);
  });
});

describe('bayesFamilies', () => {
  it('names the family whose machines explain the co-player’s moves, and cannot split identical play', async () => {
    const { bayesFamilies, minimaxPlayer, trustPlayer, levelKPlayer, STYLE_FAMILIES } = await import('../../../agents/games/index.js');
    const pd = gameIndex('prisoners-dilemma');
    const cps = [minimaxPlayer(pd), trustPlayer(pd, 0), levelKPlayer(pd, 1)];
    // the agent cooperates; a co-player that cooperates back is trust-based
    const rec = recordOf(pd, [[[0, 0, 0], [0, 0, 0]], [[0, 0, 0], [1, 1, 1]]]);
    const fam = bayesFamilies(rec, cps, 3).map((f) => STYLE_FAMILIES[f]);
    expect(fam[0]).toBe('trust');
    // always-defect play: minimax and level-k (both always defect in the PD) tie; the first wins
    expect(fam[1]).toBe('minimax');
    // before any round every family is equally likely
    expect(bayesFamilies(rec, cps, 0)).toEqual([0, 0]);
  });
});
