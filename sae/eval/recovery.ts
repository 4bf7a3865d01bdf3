// Scores a dictionary against ground truth (synthetic runs), one stated formula each:
//   structure F1: true latents are matched to recovered latents (Hungarian on −|Pearson|);
//     the class of a true latent (shared / private-<A> / partial-…) is compared with the split
//     class of its match; F1 per true class, macro-averaged over the classes present.
//   MCC: mean |corr| over true latents after that matching (Pearson; Spearman matched anew).
//   class precision (per labelled class X): the fraction of latents labelled X whose best-matched
//     true thought (largest |Pearson r|, needing |r| ≥ 0.3) is of class X; a labelled latent that
//     matches no thought, or fires on under 0.1% of the scored steps, counts as wrong.
//   class recall (per true class X): the fraction of true thoughts of class X matched
//     (|r| ≥ 0.3) by at least one latent labelled X.
//   labelled vs truth: per class, latents labelled X and true thoughts of class X.
//   precision with drift: the same, but a latent's best match may also be a drift variable (an
//     agent's copy of a shared thought minus the common value, private to that agent) where the
//     truth has per-agent copies. Reported next to the strict figure, never instead of it.
//   precision by rank: the same as class precision with the best match by |Spearman ρ| (ρ ≥ 0.3):
//     a latent reading the bulk of a heavy-tailed thought (its top values 100× its median) can
//     have |Pearson r| 0.1–0.3 with it, all of Pearson sitting in the tail, and ρ ≈ 0.5. Reported
//     next to the strict (Pearson) figure, never instead of it; the targets are on the strict one.
//   block R²: for true block t and recovered class c, the mean held-out R² of predicting each
//     true latent of t from all codes of class c with RBF kernel ridge (train/test split of rows).
import type { LatentClass } from '../split/split.js';
import { kernelRidgeR2 } from './kernelRidge.js';
import { pearsonMatrix, spearmanMatrix } from './correlation.js';
import { matchByCorrelation, mcc, type MatchResult } from './mcc.js';

export interface TruthLatents {
  /** Per true latent, the agents that hold it. */
  owners: string[][];
  /** rows × n true latent values. */
  values: Float32Array;
  rows: number;
  /** Optional private drift variables (per-agent copy − common value; RunTruth.drift): rows × agents.length. */
  drift?: { agents: string[]; thoughts: number[]; values: Float32Array };
}

export interface RecoveryReport {
  rows: number;
  trueLatents: number;
  liveLatents: number;
  structure: { f1: number; accuracy: number; perClass: Record<string, { f1: number; support: number }> };
  mcc: { pearson: number; spearman: number };
  matches: { truth: number; latent: number; corr: number; trueClass: string; latentClass: string }[];
  /** Per class: latents labelled with it, true thoughts of it, class precision and recall (NaN where undefined). */
  classes: Record<string, { labelled: number; truth: number; precision: number; recall: number; correct: number; matched: number; precisionWithDrift: number | null; precisionByRank: number }>;
  /** Macro means over the classes that have thoughts or labelled latents (dead and rare excluded). */
  classPrecision: number;
  classRecall: number;
  /** Macro class precision when drift variables count as private true variables (null without per-agent copies). */
  classPrecisionWithDrift: number | null;
  /** Macro class precision with the best match by |Spearman ρ| (see the header). */
  classPrecisionByRank: number;
  /** Per labelled latent (not dead or rare): its best-matched thought, |r|, and whether the label is right. */
  latentMatches: { latent: number; label: string; thought: number; r: number; thoughtClass: string; fires: number; correct: boolean; second: number; secondR: number; drift: { agent: string; thought: number; r: number } | null; correctWithDrift: boolean; rankThought: number; rho: number; correctByRank: boolean }[];
  blockR2: { trueBlocks: string[]; latentClasses: string[]; r2: number[][] };
}

export function trueClass(owners: string[], agents: string[]): string {
  if (owners.length === agents.length) return 'shared';
  if (owners.length === 1) return `private-${owners[0]}`;
  return `partial-${agents.filter((a) => owners.includes(a)).join('+')}`;
}

export interface RecoveryOptions {
  /** Rows for kernel ridge training / testing (default 800 / 400). */
  trainRows?: number;
  testRows?: number;
}

export function evaluateRecovery(
  truth: TruthLatents,
  codes: Float32Array,
  m: number,
  classes: LatentClass[],
  agents: string[],
  o: RecoveryOptions = {},
): RecoveryReport {
  const rows = truth.rows;
  const n = truth.owners.length;
  // Only latents that fire somewhere take part in matching.
  const live: number[] = [];
  for (let j = 0; j < m; j++) {
    for (let r = 0; r < rows; r++) if (codes[r * m + j]! !== 0) {
      live.push(j);
      break;
    }
  }
  const L = live.length;
  const sub = new Float32Array(rows * L);
  for (let r = 0; r < rows; r++) for (let c = 0; c < L; c++) sub[r * L + c] = codes[r * m + live[c]!]!;
  const corrP = pearsonMatrix(truth.values, n, sub, L, rows);
  const P: MatchResult = matchByCorrelation(corrP, n, L);
  const S: MatchResult = mcc(truth.values, n, sub, L, rows, 'spearman');
  const tc = truth.owners.map((ow) => trueClass(ow, agents));
  const matches = P.match.map((c, i) => ({
    truth: i,
    latent: c >= 0 ? live[c]! : -1,
    corr: P.corr[i]!,
    trueClass: tc[i]!,
    latentClass: c >= 0 ? classes[live[c]!]! : 'unmatched',
  }));
  const present = [...new Set(tc)];
  const perClass: Record<string, { f1: number; support: number }> = {};
  for (const cls of present) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const mt of matches) {
      if (mt.trueClass === cls && mt.latentClass === cls) tp++;
      else if (mt.trueClass === cls) fn++;
      else if (mt.latentClass === cls) fp++;
    }
    perClass[cls] = { f1: tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : 1, support: tp + fn };
  }
  const f1 = present.reduce((s, c) => s + perClass[c]!.f1, 0) / Math.max(1, present.length);

  // Class precision and recall over every latent (not only the Hungarian matches).
  const R_MIN = 0.3;
  const FREQ_MIN = 0.001;
  const labelled = [...new Set(classes.filter((c) => c !== 'dead' && c !== 'rare'))];
  const classNames = [...new Set([...present, ...labelled])];
  const cls: RecoveryReport['classes'] = {};
  for (const c of classNames) cls[c] = { labelled: 0, truth: tc.filter((x) => x === c).length, precision: NaN, recall: NaN, correct: 0, matched: 0, precisionWithDrift: null, precisionByRank: NaN };
  const q = truth.drift?.agents.length ?? 0;
  const corrD = q ? pearsonMatrix(truth.drift!.values, q, sub, L, rows) : null;
  const correctD: Record<string, number> = {};
  const corrS = spearmanMatrix(truth.values, n, sub, L, rows);
  const correctS: Record<string, number> = {};
  const liveIndex = new Map(live.map((j, c) => [j, c]));
  const latentMatches: RecoveryReport['latentMatches'] = [];
  for (let j = 0; j < m; j++) {
    const c = classes[j]!;
    if (c === 'dead' || c === 'rare') continue;
    const e = cls[c]!;
    e.labelled++;
    const col = liveIndex.get(j);
    let fires = 0;
    let best = -1;
    let bestR = 0;
    let second = -1;
    let secondR = 0;
    if (col !== undefined) {
      for (let r = 0; r < rows; r++) if (sub[r * L + col]! !== 0) fires++;
      for (let i = 0; i < n; i++) {
        const r = Math.abs(corrP[i * L + col]!);
        if (r > bestR) {
          second = best;
          secondR = bestR;
          bestR = r;
          best = i;
        } else if (r > secondR) {
          secondR = r;
          second = i;
        }
      }
    }
    const correct = fires >= FREQ_MIN * rows && best >= 0 && bestR >= R_MIN && tc[best] === c;
    if (correct) e.correct++;
    const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
    let drift: { agent: string; thought: number; r: number } | null = null;
    if (corrD && col !== undefined) {
      for (let k = 0; k < q; k++) {
        const r = Math.abs(corrD[k * L + col]!);
        if (r > (drift?.r ?? 0)) drift = { agent: truth.drift!.agents[k]!, thought: truth.drift!.thoughts[k]!, r: r4(r) };
      }
    }
    const driftWins = drift !== null && drift.r > bestR;
    const correctWithDrift = driftWins ? fires >= FREQ_MIN * rows && drift!.r >= R_MIN && c === `private-${drift!.agent}` : correct;
    if (correctWithDrift) correctD[c] = (correctD[c] ?? 0) + 1;
    let rankThought = -1;
    let rho = 0;
    if (col !== undefined) {
      for (let i = 0; i < n; i++) {
        const r = Math.abs(corrS[i * L + col]!);
        if (r > rho) [rho, rankThought] = [r, i];
      }
    }
    const correctByRank = fires >= FREQ_MIN * rows && rankThought >= 0 && rho >= R_MIN && tc[rankThought] === c;
    if (correctByRank) correctS[c] = (correctS[c] ?? 0) + 1;
    latentMatches.push({ latent: j, label: c, thought: best, r: r4(bestR), thoughtClass: best >= 0 ? tc[best]! : 'none', fires: fires / rows, correct, second, secondR: r4(secondR), drift, correctWithDrift, rankThought, rho: r4(rho), correctByRank });
  }
  for (let i = 0; i < n; i++) {
    const c = tc[i]!;
    let hit = false;
    for (let col = 0; col < L && !hit; col++) if (classes[live[col]!] === c && Math.abs(corrP[i * L + col]!) >= R_MIN) hit = true;
    if (hit) cls[c]!.matched++;
  }
  for (const [c, e] of Object.entries(cls)) {
    e.precision = e.labelled > 0 ? e.correct / e.labelled : NaN;
    e.recall = e.truth > 0 ? e.matched / e.truth : NaN;
    if (corrD) e.precisionWithDrift = e.labelled > 0 ? (correctD[c] ?? 0) / e.labelled : NaN;
    e.precisionByRank = e.labelled > 0 ? (correctS[c] ?? 0) / e.labelled : NaN;
  }
  const mean = (xs: number[]) => {
    const f = xs.filter(Number.isFinite);
    return f.length ? f.reduce((s, x) => s + x, 0) / f.length : NaN;
  };
  // A class with true thoughts but no labelled latent has precision 0 in the macro mean (it found nothing).
  const classPrecision = mean(classNames.map((c) => (cls[c]!.labelled === 0 && cls[c]!.truth > 0 ? 0 : cls[c]!.precision)));
  const classRecall = mean(classNames.map((c) => cls[c]!.recall));
  const classPrecisionWithDrift = corrD ? mean(classNames.map((c) => (cls[c]!.labelled === 0 && cls[c]!.truth > 0 ? 0 : (cls[c]!.precisionWithDrift ?? NaN)))) : null;
  const classPrecisionByRank = mean(classNames.map((c) => (cls[c]!.labelled === 0 && cls[c]!.truth > 0 ? 0 : cls[c]!.precisionByRank)));
  const accuracy = matches.filter((mt) => mt.trueClass === mt.latentClass).length / Math.max(1, n);

  // Block R² on a held-out split (first rows train, last rows test; rows are subsampled evenly).
  const nTrain = Math.min(o.trainRows ?? 800, Math.floor(rows * 0.66));
  const nTest = Math.min(o.testRows ?? 400, rows - nTrain);
  const pick = (k: number, from: number, to: number) => Array.from({ length: k }, (_, i) => from + Math.floor(((to - from) * i) / k));
  const trainIdx = pick(nTrain, 0, Math.floor(rows * 0.66));
  const testIdx = pick(nTest, Math.floor(rows * 0.66), rows);
  const latentClasses = [...present];
  const r2: number[][] = [];
  for (const t of present) {
    const tIdx = tc.map((c, i) => (c === t ? i : -1)).filter((i) => i >= 0);
    const q = tIdx.length;
    const yOf = (idx: number[]) => {
      const y = new Float64Array(idx.length * q);
      idx.forEach((r, ri) => tIdx.forEach((ti, k) => (y[ri * q + k] = truth.values[r * n + ti]!)));
      return y;
    };
    const row: number[] = [];
    for (const c of latentClasses) {
      const cIdx = live.filter((j) => classes[j] === c);
      const p = cIdx.length;
      const xOf = (idx: number[]) => {
        const x = new Float64Array(idx.length * p);
        idx.forEach((r, ri) => cIdx.forEach((j, k) => (x[ri * p + k] = codes[r * m + j]!)));
        return x;
      };
      const per = kernelRidgeR2(xOf(trainIdx), yOf(trainIdx), nTrain, xOf(testIdx), yOf(testIdx), nTest, p, q);
      row.push(per.reduce((s, x) => s + x, 0) / Math.max(1, per.length));
    }
    r2.push(row);
  }
  return {
    rows,
    trueLatents: n,
    liveLatents: L,
    structure: { f1, accuracy, perClass },
    mcc: { pearson: P.mcc, spearman: S.mcc },
    matches,
    classes: cls,
    classPrecision,
    classRecall,
    classPrecisionWithDrift,
    classPrecisionByRank,
    latentMatches,
    blockR2: { trueBlocks: present, latentClasses, r2 },
  };
}
