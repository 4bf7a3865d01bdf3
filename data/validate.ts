/** Index of the first NaN or ±Infinity in `values`, or -1. (x − x is 0 only for finite x.) */
export function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v - v !== 0) return i;
  }
  return -1;
}
