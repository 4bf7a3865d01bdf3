// The K-th largest value of an array (quickselect on a scratch copy, O(n) expected).
// Used for the BatchTopK threshold of the sparse engine.

export function kthLargest(values: Float32Array, K: number, scratch: Float32Array = new Float32Array(values.length)): number {
  const n = values.length;
  if (K <= 0) return Infinity;
  if (K >= n) {
    let min = Infinity;
    for (let i = 0; i < n; i++) if (values[i]! < min) min = values[i]!;
    return min;
  }
  // Only positive entries can be selected (relu): pack them first to shrink the problem.
  let p = 0;
  for (let i = 0; i < n; i++) if (values[i]! > 0) scratch[p++] = values[i]!;
  if (p <= K) return p === 0 ? Infinity : Math.min(...scratch.subarray(0, p));
  const a = scratch;
  let lo = 0;
  let hi = p - 1;
  const target = K - 1; // index in descending order
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    // median of three as pivot
    const x = a[lo]!, y = a[mid]!, z = a[hi]!;
    const pivot = x > y ? (y > z ? y : x > z ? z : x) : x > z ? x : y > z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! > pivot) i++;
      while (a[j]! < pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return a[target]!;
  }
  return a[target]!;
}
