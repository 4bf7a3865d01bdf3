// Fraction of variance unexplained of a reconstruction: Σ‖x − x̂‖² / Σ‖x − x̄‖² over rows × d
// values (x̄ the per-column mean), NaN when x is constant.
export function fractionUnexplained(x: Float32Array, xhat: Float32Array, rows: number, d: number): number {
  const mean = new Float64Array(d);
  for (let r = 0; r < rows; r++) for (let i = 0; i < d; i++) mean[i]! += x[r * d + i]! / rows;
  let err = 0;
  let tot = 0;
  for (let o = 0; o < rows * d; o++) {
    err += (x[o]! - xhat[o]!) ** 2;
    tot += (x[o]! - mean[o % d]!) ** 2;
  }
  return tot > 0 ? err / tot : NaN;
}
