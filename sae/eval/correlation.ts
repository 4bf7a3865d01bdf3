// Correlation matrices between two sets of columns (rows × n and rows × m, row-major):
// Pearson, and Spearman as Pearson of average ranks. Constant columns correlate 0.

export function ranks(x: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  const idx = new Int32Array(rows);
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r++) idx[r] = r;
    idx.sort((a, b) => x[a * cols + c]! - x[b * cols + c]!);
    for (let i = 0; i < rows; ) {
      let k = i;
      while (k + 1 < rows && x[idx[k + 1]! * cols + c] === x[idx[i]! * cols + c]) k++;
      const rank = (i + k) / 2;
      for (let t = i; t <= k; t++) out[idx[t]! * cols + c] = rank;
      i = k + 1;
    }
  }
  return out;
}

function standardise(x: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let c = 0; c < cols; c++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += x[r * cols + c]!;
    const mean = s / rows;
    let v = 0;
    for (let r = 0; r < rows; r++) v += (x[r * cols + c]! - mean) ** 2;
    const inv = v > 0 ? 1 / Math.sqrt(v) : 0;
    for (let r = 0; r < rows; r++) out[r * cols + c] = (x[r * cols + c]! - mean) * inv;
  }
  return out;
}

/** n × m matrix of Pearson correlations between columns of a (rows × n) and b (rows × m). */
export function pearsonMatrix(a: ArrayLike<number>, n: number, b: ArrayLike<number>, m: number, rows: number): Float64Array {
  const sa = standardise(a, rows, n);
  const sb = standardise(b, rows, m);
  const out = new Float64Array(n * m);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < n; i++) {
      const x = sa[r * n + i]!;
      if (x === 0) continue;
      const o = i * m;
      const rb = r * m;
      for (let j = 0; j < m; j++) out[o + j]! += x * sb[rb + j]!;
    }
  }
  return out;
}

export function spearmanMatrix(a: ArrayLike<number>, n: number, b: ArrayLike<number>, m: number, rows: number): Float64Array {
  return pearsonMatrix(ranks(a, rows, n), n, ranks(b, rows, m), m, rows);
}
