// Small dense linear algebra for building the mixing networks (row-major Float64Arrays).
import type { Rng } from '../../util/random.js';

/** A rows×cols matrix (rows ≥ cols) with orthonormal columns: Gram–Schmidt of a Gaussian. */
export function randomOrthonormalColumns(rng: Rng, rows: number, cols: number): Float64Array {
  if (cols > rows) throw new RangeError(`cannot have ${cols} orthonormal columns in ${rows} dimensions`);
  const q = new Float64Array(rows * cols);
  const v = new Float64Array(rows);
  for (let c = 0; c < cols; c++) {
    for (;;) {
      for (let r = 0; r < rows; r++) v[r] = rng.normal();
      // Two passes of modified Gram–Schmidt keep the columns orthonormal to rounding.
      for (let pass = 0; pass < 2; pass++) {
        for (let k = 0; k < c; k++) {
          let dot = 0;
          for (let r = 0; r < rows; r++) dot += q[r * cols + k]! * v[r]!;
          for (let r = 0; r < rows; r++) v[r]! -= dot * q[r * cols + k]!;
        }
      }
      let norm = 0;
      for (let r = 0; r < rows; r++) norm += v[r]! * v[r]!;
      norm = Math.sqrt(norm);
      if (norm < 1e-8) continue; // astronomically unlikely: draw again
      for (let r = 0; r < rows; r++) q[r * cols + c] = v[r]! / norm;
      break;
    }
  }
  return q;
}
