// Mean correlation coefficient after matching: each true latent is assigned a distinct
// recovered latent by the Hungarian algorithm on −|corr|; MCC = mean |corr| over true latents.
import { pearsonMatrix, spearmanMatrix } from './correlation.js';
import { hungarian } from './hungarian.js';

export interface MatchResult {
  /** Per true latent, the matched recovered latent (−1 if there are fewer recovered latents). */
  match: number[];
  /** Per true latent, |corr| with its match. */
  corr: number[];
  mcc: number;
}

export function matchByCorrelation(corr: Float64Array, n: number, m: number): MatchResult {
  if (m < n) {
    // Pad with zero columns so every true latent gets a column.
    const padded = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) padded[i * n + j] = corr[i * m + j]!;
    const r = matchByCorrelation(padded, n, n);
    return { ...r, match: r.match.map((j) => (j < m ? j : -1)) };
  }
  const cost = new Float64Array(n * m);
  for (let i = 0; i < n * m; i++) cost[i] = -Math.abs(corr[i]!);
  const asg = hungarian(cost, n, m);
  const match = Array.from(asg);
  const c = match.map((j, i) => (j >= 0 ? Math.abs(corr[i * m + j]!) : 0));
  return { match, corr: c, mcc: c.length ? c.reduce((s, x) => s + x, 0) / c.length : NaN };
}

export function mcc(truth: ArrayLike<number>, n: number, codes: ArrayLike<number>, m: number, rows: number, kind: 'pearson' | 'spearman' = 'pearson'): MatchResult {
  const corr = kind === 'pearson' ? pearsonMatrix(truth, n, codes, m, rows) : spearmanMatrix(truth, n, codes, m, rows);
  return matchByCorrelation(corr, n, m);
}
