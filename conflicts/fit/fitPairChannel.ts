// Fits a pair channel's normalisation on reference episodes: spreads of the view
// difference and of the mean view on null steps, then the spread of their causal
// smoothing (after a warm-up of about 1/λ steps).
import type { EpisodeSet } from '../input/episodes.js';
import { episodeRows } from '../input/stepRowsOf.js';
import { PairChannel, type PairNorm, type PairStatistic } from '../score/pairChannel.js';
import type { SharedViewModel } from '../score/viewModel.js';
import { DetectorDataError } from '../errors.js';
import { toBase64F32 } from '../math/base64.js';
import { inverseSqrt } from '../math/linalg.js';

/** Above this many latents the disagreement score uses per-latent spreads only. */
export const MAX_WHITENED_LATENTS = 256;

export function fitPairChannel(
  viewModel: SharedViewModel,
  set: EpisodeSet,
  pair: [number, number],
  lambda: number,
  /** Per episode of `set`, the step labels (0 = null step, used for the spreads). */
  labels: Int8Array[],
  statistic: PairStatistic = 'mewma',
  /** Level bins of the difference's spread (pairChannel.ts); ≤ 1: one spread per latent. */
  levelBins = 1,
): PairChannel {
  const K = viewModel.latents.length;
  const views = set.episodes.map((e) => viewModel.views([e.hidden[pair[0]]!, e.hidden[pair[1]]!], e.length));
  const s = moments(K);
  const t = moments(K);
  set.episodes.forEach((e, ei) => {
    const [va, vb] = views[ei]!;
    for (let r = 0; r < e.length; r++) {
      if (labels[ei]![r] !== 0) continue;
      for (let j = 0; j < K; j++) {
        s.add(j, va[r * K + j]! - vb[r * K + j]!);
        t.add(j, (va[r * K + j]! + vb[r * K + j]!) / 2);
      }
    }
  });
  if (s.n[0]! < 2) throw new DetectorDataError('too few null reference steps to normalise the shared views (need ≥ 2 outside behavioural conflicts)');
  const ones = new Array<number>(K).fill(1);
  const norm: PairNorm = {
    diffMean: s.mean(),
    diffStd: s.std(),
    actMean: t.mean(),
    actStd: t.std(),
    ewmaDiffRms: ones,
    ewmaActRms: ones,
    whiten: null,
    ...(levelBins > 1 ? levelSpreads(views, labels, K, s.mean(), s.std(), levelBins) : {}),
  };
  const ch = new PairChannel(viewModel, pair, lambda, norm);
  const warm = Math.ceil(1 / lambda);
  const se = new Float64Array(K);
  const sa = new Float64Array(K);
  const full = K <= MAX_WHITENED_LATENTS;
  const cov = full ? new Float64Array(K * K) : null;
  let n = 0;
  const out = new Float64Array(ch.featureNames.length);
  set.episodes.forEach((e, ei) => {
    const st = ch.newState();
    const rows = episodeRows(e);
    const prep = ch.prepare(rows);
    for (let r = 0; r < e.length; r++) {
      ch.step(st, prep, rows, r, out);
      if (r < warm || labels[ei]![r] !== 0) continue;
      n++;
      for (let j = 0; j < K; j++) {
        se[j]! += st.e[j]! ** 2;
        sa[j]! += st.a[j]! ** 2;
      }
      if (cov) for (let i = 0; i < K; i++) for (let j = i; j < K; j++) cov[i * K + j]! += st.e[i]! * st.e[j]!;
    }
  });
  const floor = (x: number) => (x > 1e-9 ? x : 1);
  let whiten: string | null = null;
  if (cov && n > K) {
    let tr = 0;
    for (let i = 0; i < K; i++) {
      for (let j = i; j < K; j++) cov[j * K + i] = cov[i * K + j]! /= n;
      tr += cov[i * K + i]!;
    }
    for (let i = 0; i < K; i++) cov[i * K + i]! += 1e-3 * Math.max(tr / K, 1e-12);
    whiten = toBase64F32(Float32Array.from(inverseSqrt(cov, K)));
  }
  const finalNorm: PairNorm = {
    ...norm,
    whiten,
    ewmaDiffRms: n > 0 ? Array.from(se, (v) => floor(Math.sqrt(v / n))) : ones,
    ewmaActRms: n > 0 ? Array.from(sa, (v) => floor(Math.sqrt(v / n))) : ones,
    ...(statistic !== 'mewma' ? { statistic } : {}),
  };
  return new PairChannel(viewModel, pair, lambda, finalNorm);
}

/**
 * Per latent, quantile bins of the lower reading min(v_A, v_B) on null steps and the RMS of
 * the centred difference in each (a bin with < 20 steps keeps the latent's overall spread).
 */
function levelSpreads(
  views: [Float32Array, Float32Array][],
  labels: Int8Array[],
  K: number,
  mean: number[],
  std: number[],
  bins: number,
): { levelEdges: number[][]; levelStd: number[][] } {
  const levelEdges: number[][] = [];
  const levelStd: number[][] = [];
  for (let j = 0; j < K; j++) {
    const lv: number[] = [];
    const df: number[] = [];
    views.forEach(([va, vb], ei) => {
      const L = labels[ei]!;
      for (let r = 0; r < L.length; r++) {
        if (L[r] !== 0) continue;
        const a = va[r * K + j]!;
        const b = vb[r * K + j]!;
        lv.push(a < b ? a : b);
        df.push(a - b - mean[j]!);
      }
    });
    const sorted = Float64Array.from(lv).sort();
    const edges = Array.from({ length: bins - 1 }, (_, i) => sorted[Math.min(sorted.length - 1, Math.floor(((i + 1) / bins) * sorted.length))]!);
    const ss = new Float64Array(bins);
    const nn = new Float64Array(bins);
    lv.forEach((v, i) => {
      let b = 0;
      while (b < edges.length && v > edges[b]!) b++;
      ss[b]! += df[i]! ** 2;
      nn[b]!++;
    });
    levelEdges.push(edges);
    levelStd.push(Array.from(ss, (v, b) => (nn[b]! >= 20 && v > 0 ? Math.max(Math.sqrt(v / nn[b]!), 1e-6) : std[j]!)));
  }
  return { levelEdges, levelStd };
}

function moments(K: number) {
  const n = new Float64Array(K);
  const m = new Float64Array(K);
  const m2 = new Float64Array(K);
  return {
    n,
    add(j: number, x: number) {
      n[j]! += 1;
      const d = x - m[j]!;
      m[j]! += d / n[j]!;
      m2[j]! += d * (x - m[j]!);
    },
    mean: () => Array.from(m),
    std: () => Array.from(m2, (v, j) => Math.max(Math.sqrt(v / Math.max(1, n[j]! - 1)), 1e-6)),
  };
}
