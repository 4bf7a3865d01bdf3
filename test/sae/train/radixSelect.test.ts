// Radix selection from (shard-split) histograms gives the exact K-th largest positive value.
import { describe, expect, it } from 'vitest';
import { BINS, bitsToFloat, findHighBin, findThresholdBits } from '../../../sae/train/radixSelect.js';
import { kthLargest } from '../../../sae/train/kthLargest.js';
import { makeRng } from '../../../util/random.js';

function radixKth(values: Float32Array, K: number, shards: number): number {
  const u = new Uint32Array(values.buffer);
  const parts = Array.from({ length: shards }, (_, s) => [Math.floor((s * values.length) / shards), Math.floor(((s + 1) * values.length) / shards)] as const);
  const high = new Int32Array(BINS);
  for (const [a, b] of parts) for (let i = a; i < b; i++) if (values[i]! > 0) high[u[i]! >>> 16]!++;
  const found = findHighBin(high, K);
  if (found.bin < 0) return Infinity;
  const low = new Int32Array(BINS);
  for (const [a, b] of parts) for (let i = a; i < b; i++) if (values[i]! > 0 && u[i]! >>> 16 === found.bin) low[u[i]! & 0xffff]!++;
  return bitsToFloat(findThresholdBits(found.bin, found.need, low));
}

describe('radix selection', () => {
  it('agrees with quickselect, with ties, zeros and negatives, over 1–3 shards', () => {
    const rng = makeRng(5);
    for (let t = 0; t < 60; t++) {
      const n = 1 + rng.int(500);
      const v = Float32Array.from({ length: n }, () => {
        const x = rng.next();
        return x < 0.2 ? 0 : x < 0.3 ? -rng.next() : x < 0.45 ? 0.5 : Math.exp(4 * rng.normal());
      });
      const K = 1 + rng.int(n);
      // (kthLargest returns the minimum of all values when K ≥ n; only positives are ever selected)
      const pos = Array.from(v).filter((x) => x > 0);
      const want = K < n ? kthLargest(v, K) : pos.length ? Math.min(...pos) : Infinity;
      for (const shards of [1, 2, 3]) expect(radixKth(v, K, shards)).toBe(want);
    }
  });
  it('no positive value: no threshold', () => {
    expect(radixKth(new Float32Array([0, -1, 0]), 2, 1)).toBe(Infinity);
  });
});
