import { describe, expect, it } from 'vitest';
import { hungarian, mcc, pearsonMatrix, spearmanMatrix } from '../../../sae/index.js';
import { makeRng } from '../../../util/random.js';

function bruteForce(cost: Float64Array, n: number, m: number): number {
  let best = Infinity;
  const used = new Array<boolean>(m).fill(false);
  const rec = (i: number, acc: number) => {
    if (i === n) return void (best = Math.min(best, acc));
    for (let j = 0; j < m; j++) {
      if (used[j]) continue;
      used[j] = true;
      rec(i + 1, acc + cost[i * m + j]!);
      used[j] = false;
    }
  };
  rec(0, 0);
  return best;
}

describe('hungarian', () => {
  it('finds the minimum-cost assignment (checked by brute force)', () => {
    const rng = makeRng(3);
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + rng.int(5);
      const m = n + rng.int(3);
      const cost = Float64Array.from({ length: n * m }, () => Math.round(rng.next() * 20) - 5);
      const asg = hungarian(cost, n, m);
      expect(new Set(asg).size).toBe(n);
      const total = Array.from(asg).reduce((s, j, i) => s + cost[i * m + j]!, 0);
      expect(total).toBe(bruteForce(cost, n, m));
    }
  });
});

describe('mcc', () => {
  it('is 1 for a permuted, rescaled copy and matches the permutation', () => {
    const rng = makeRng(5);
    const rows = 200;
    const n = 4;
    const truth = Float32Array.from({ length: rows * n }, () => rng.normal());
    const perm = [2, 0, 3, 1, 4];
    const codes = new Float32Array(rows * 5);
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < n; i++) codes[r * 5 + perm[i]!] = 3 * truth[r * n + i]! + 1;
      codes[r * 5 + 4] = rng.normal();
    }
    const res = mcc(truth, n, codes, 5, rows);
    expect(res.mcc).toBeCloseTo(1, 6);
    expect(res.match).toEqual(perm.slice(0, n));
  });
  it('Spearman sees monotone maps that Pearson does not', () => {
    const rows = 100;
    const x = Float32Array.from({ length: rows }, (_, i) => i / 10);
    const y = Float32Array.from(x, (v) => Math.exp(v));
    expect(spearmanMatrix(x, 1, y, 1, rows)[0]).toBeCloseTo(1, 9);
    expect(pearsonMatrix(x, 1, y, 1, rows)[0]!).toBeLessThan(0.9);
  });
});
