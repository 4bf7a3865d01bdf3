// Exact K-th largest of a set of positive float32 values from 16-bit histograms of their bit
// patterns (for positive floats the bit pattern orders like the value). Two passes: a
// histogram of the high 16 bits finds the bin holding the K-th largest, a histogram of the low
// 16 bits of that bin's members finds it exactly. Histograms of disjoint parts add up, so
// shards of the data (worker threads) can each count their part and merge.

export const BINS = 65536;

/** High bin holding the K-th largest, and how many of that bin's members are still needed. */
export function findHighBin(hist: Int32Array, K: number): { bin: number; need: number; total: number } {
  let total = 0;
  for (let h = 0; h < BINS; h++) total += hist[h]!;
  if (total === 0 || K <= 0) return { bin: -1, need: 0, total };
  const want = Math.min(K, total);
  let cum = 0;
  for (let h = BINS - 1; h >= 0; h--) {
    const c = hist[h]!;
    if (cum + c >= want) return { bin: h, need: want - cum, total };
    cum += c;
  }
  return { bin: -1, need: 0, total };
}

/** The exact bit pattern of the K-th largest, from the low-bit histogram of the high bin. */
export function findThresholdBits(bin: number, need: number, low: Int32Array): number {
  let cum = 0;
  for (let l = BINS - 1; l >= 0; l--) {
    cum += low[l]!;
    if (cum >= need) return ((bin << 16) | l) >>> 0;
  }
  return (bin << 16) >>> 0;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function bitsToFloat(bits: number): number {
  u32[0] = bits;
  return f32[0]!;
}

/** Sums `parts` histograms of BINS each, laid out one after another from `offset` with stride `stride`, into `out`. */
export function mergeHistograms(src: Int32Array, offset: number, stride: number, parts: number, out: Int32Array): Int32Array {
  out.set(src.subarray(offset, offset + BINS));
  for (let s = 1; s < parts; s++) {
    const o = offset + s * stride;
    for (let h = 0; h < BINS; h++) out[h]! += src[o + h]!;
  }
  return out;
}
