// The split: which agents use each latent, decided on held-out episodes (usageStats.ts).
// Per latent j and agent a, agent a uses j when the fraction of a's residual energy that j
// explains along its own decoder direction, R²_a,j, clears both
//   the null   μ₀ + nullSigmas·σ₀ of the same statistic with a's rows re-paired to other
//              episodes (calibrated per latent and agent from the data), and
//   the floor  minExplained (an effect size: a significant but negligible use is not a use).
// Classes, in order of precedence:
//   'dead'      never fires on the held-out sample;
//   'rare'      fires on fewer than minActive sample rows or under rareFrequency of them, or its
//               activation comes from an effective number of episodes under minEpisodeSpread × the
//               median of the dictionary's latents (minEpisodeSpreadShared × for a latent every
//               agent uses), both relative to what as many activations reach by chance (a drift
//               present in a few episodes only), or no
//               agent's use clears the test, or a second dictionary trained with another seed (the
//               witness) does not reproduce it (|r| of codes < minStability with its one-to-one
//               match, and, with reproducedByAny, with every witness latent) and its own evidence
//               is weak (it fires on < strongFrequency of the rows or explains < strongExplained
//               of every agent's residual): too little evidence to decide;
//   'shared'    used by every agent;  'private-<A>' by A only;  'partial-<A>+<B>' by a subset (N > 2).
// A private latent (or, N > 2, a partial one) whose code moves with a latent other agents use
// (Pearson ≥ pairCorrelation) reads one variable that the dictionary decoupled into one latent per
// agent or per group of agents (Minder et al.'s 'latent decoupling') or duplicated beside a shared
// latent: it takes the union of both latents' users (a private or partial partner too) and names
// its partner in `pair`.
// An agent whose block of a latent only repeats, weakly, the direction of another latent that it and
// another user share (a private child's latent that absorbed its shared parent) does not use it
// (absorbedUse.ts).
// individual(A) = shared ∪ private-A ∪ partials that include A.
import type { SplitThresholds } from '../config.js';
import { median } from '../../util/quantile.js';
import { pearsonMatrix } from '../eval/correlation.js';
import { choleskySolve } from '../../util/choleskySolve.js';
import { expectedSpread, type UsageStats } from './usageStats.js';
import { matchSignedPairs, type SignedCandidate } from './signedPairs.js';
import { findAbsorbedUses, type AbsorbedUse, type UnitBlocks } from './absorbedUse.js';

export type LatentClass = 'dead' | 'rare' | 'shared' | `private-${string}` | `partial-${string}`;

export interface SplitResult {
  format: 'thoughtlens-split';
  version: 2;
  agents: string[];
  thresholds: SplitThresholds;
  sampleRows: number;
  /** Episodes the sample came from and which set ('heldout' unless the runs had too few episodes). */
  sampleEpisodes: number;
  /** Episodes the episode spread was computed over (every episode of the runs, training ones included). */
  spreadEpisodes: number;
  sampleSet: 'heldout' | 'train' | 'all';
  /** Per latent class. */
  classes: LatentClass[];
  /** Per latent agreement level α_j (number of agents using it; 0 for dead and rare latents). */
  alpha: number[];
  counts: Record<string, number>;
  /** Per agent: latents in shared ∪ private-<agent> ∪ partials containing it. */
  individual: Record<string, number[]>;
  /** Per agent, per latent: ‖D_a[j]‖/√d_a relative to the largest block of j (4 decimals). */
  relevance: number[][];
  /** Per agent, per latent: latent scaling ν_a,j and its bootstrap interval over episodes. */
  scaling: number[][];
  scalingLo: number[][];
  scalingHi: number[][];
  /** Per agent, per latent: explained fraction R²_a,j and the threshold it had to clear. */
  explained: number[][];
  threshold: number[][];
  /** Per latent: sample rows on which it fires, and that count over the sample rows. */
  activeRows: number[];
  frequency: number[];
  /** Per latent: effective number of sample episodes its activation comes from (participation ratio). */
  episodeSpread: number[];
  /** Per latent: episodeSpread over the spread as many activations reach by chance (relativeSpreads). */
  relativeSpread?: number[];
  /** Per latent: the (first) latent whose users it joined (decoupled reading, see above), else −1. */
  pair: number[];
  /** Per latent: all latents whose users it joined (decoupled reading; empty if none). */
  partners?: number[][];
  /** Per latent: |r| of its code with its match in the witness seed (null without a witness). */
  stability: number[] | null;
  /** Per latent: the best |r| of its code with any witness latent (absent in older checkpoints). */
  stabilityAny?: number[] | null;
  /**
   * Per latent: the share of its evidence the witness leaves in its own residual (witnessLeftover.ts;
   * ≈ 1: the witness never learned this content, ≈ 0: it explains it its own way); null without a
   * witness, or from a checkpoint written before it was recorded.
   */
  witnessLeftover?: number[] | null;
  /**
   * Of the latents kept (not dead or rare) that the witness reproduces (|r| ≥ minStability), how
   * many it classes alike; `allMatched`: the same over every Hungarian match, however weak.
   */
  seedAgreement: {
    matched: number;
    agree: number;
    fraction: number;
    allMatched?: { matched: number; agree: number; fraction: number };
  } | null;
  /**
   * Per latent: the agents whose use of it was dropped as absorbed (absorbedUse.ts: their block
   * only repeats the direction of another latent both agents use), each with that latent and the
   * cosine; absent in older checkpoints.
   */
  absorbed?: AbsorbedUse[][];
  /**
   * Per latent: the other half of its signed pair (signedPairs.ts: the two latents read the two
   * sides of one signed variable and share a class), else −1; absent in older checkpoints.
   */
  signed?: number[];
  /** `counts` with each signed pair counted once (the number of variables per class). */
  signedCounts?: Record<string, number>;
}

const r4 = (x: number) => (Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : null) as number;

/**
 * A second, differently seeded dictionary: per latent the |r| of its code with its match, and
 * (when the witness itself is at hand) the match (−1: none) and the witness's classes, from which
 * the seed agreement is computed; without them a stored agreement may be passed on.
 */
export interface Witness {
  r: ArrayLike<number>;
  /** Per latent: the best |r| of its code with any witness latent (null or absent: not recorded). */
  rAny?: ArrayLike<number> | null;
  /** Per latent: the share of its evidence the witness leaves unexplained (witnessLeftover.ts). */
  leftover?: ArrayLike<number> | null;
  match?: Int32Array;
  classes?: LatentClass[];
  agreement?: SplitResult['seedAgreement'];
}

export function classifyLatents(
  agents: string[],
  stats: UsageStats,
  t: SplitThresholds,
  sampleSet: SplitResult['sampleSet'] = 'heldout',
  witness?: Witness,
  signedCandidates?: SignedCandidate[],
  blocks?: UnitBlocks | null,
): SplitResult {
  const m = stats.active.length;
  const N = agents.length;
  const rows = stats.rows;
  const classes: LatentClass[] = [];
  const alpha: number[] = [];
  const threshold = agents.map(() => new Array<number>(m));
  const relevance = agents.map(() => new Array<number>(m));
  const uses: boolean[][] = [];
  const relSpread = relativeSpreads(stats);
  const typical = typicalSpread(relSpread, stats.active, t.minActive);
  const minSpread = (t.minEpisodeSpread ?? 0) * typical;
  // A latent every agent uses has each agent's use behind it: a lower bar (never above the other).
  const minSpreadShared = Math.min(minSpread, (t.minEpisodeSpreadShared ?? t.minEpisodeSpread ?? 0) * typical);
  for (let j = 0; j < m; j++) {
    let max = 0;
    for (let a = 0; a < N; a++) max = Math.max(max, stats.blockNorm[a]![j]! || 0);
    const use: boolean[] = [];
    for (let a = 0; a < N; a++) {
      const thr = Math.max(
        t.minExplained,
        stats.nullMean[a]![j]! + t.nullSigmas * stats.nullSd[a]![j]!,
      );
      threshold[a]![j] = r4(thr);
      relevance[a]![j] = r4(max > 0 ? stats.blockNorm[a]![j]! / max : 0);
      use.push(stats.explained[a]![j]! >= thr);
    }
    uses.push(use);
  }
  const classOf = (j: number): LatentClass => {
    const n = stats.active[j]!;
    const al = uses[j]!.filter(Boolean).length;
    if (n === 0) return 'dead';
    if (
      n < t.minActive ||
      n / Math.max(1, rows) < t.rareFrequency ||
      al === 0 ||
      relSpread[j]! < (al === N ? minSpreadShared : minSpread)
    )
      return 'rare';
    return classOfUsers(agents, uses[j]!);
  };
  for (let j = 0; j < m; j++) {
    classes.push(classOf(j));
    alpha.push(classes[j] === 'dead' || classes[j] === 'rare' ? 0 : uses[j]!.filter(Boolean).length);
  }
  // Absorbed uses (absorbedUse.ts): an agent whose block of j only repeats another shared
  // latent's direction there does not use j.
  const absorbed = findAbsorbedUses(agents, classes, uses, relevance, blocks ?? null, t.absorbedCosine ?? 1);
  absorbed.forEach((found, j) => {
    if (!found.length) return;
    classes[j] = classOf(j);
    alpha[j] = classes[j] === 'dead' || classes[j] === 'rare' ? 0 : uses[j]!.filter(Boolean).length;
  });
  // Decoupled readings: a private (or partial) latent whose code is explained by latents other agents use
  // (R² ≥ pairCorrelation², by least squares on at most maxPartners of them, chosen greedily) reads
  // a variable they read too — the dictionary gave one agent a copy of its own (Minder et al.'s
  // 'latent decoupling'), or one agent's reading was split over several latents. It takes the union
  // of its users and its partners' users; a lone private or partial partner takes it too. With one partner
  // this is a Pearson r ≥ pairCorrelation between two codes. Best-explained latents first; a
  // latent joins at most once. With two agents only private latents are used by a strict subset;
  // with more, a group's own reading of a shared variable is a partial latent and joins the same way.
  const pair = new Array<number>(m).fill(-1);
  const partners: number[][] = Array.from({ length: m }, () => []);
  if (t.pairCorrelation < 1) {
    const kept = classes
      .map((c, j) => (c === 'dead' || c === 'rare' ? -1 : j))
      .filter((j) => j >= 0);
    const p = kept.length;
    const sub = new Float32Array(rows * p);
    for (let r = 0; r < rows; r++)
      kept.forEach((j, c) => (sub[r * p + c] = stats.codes[r * m + j]!));
    const corr = correlationsOf(sub, p, rows);
    const episodes = episodeCorrelations(sub, p, rows, stats.episodeOfRow);
    const bar = t.pairCorrelation * t.pairCorrelation;
    // R² of x on ys, as a fraction of the bar it must clear: pooled over the sample against
    // pairCorrelation², or in the typical episode where x fires (the median over the episodes where
    // it fires on ≥ minActive rows, at least 3 of them) against the stricter pairCorrelation,
    // whichever passes better. A decoupled reading agrees with its partners in most episodes and
    // departs from them where the agents' copies diverge (a conflict): pooled over the sample those
    // episodes pull R² down. Within an episode a copy of one variable tracks it nearly exactly,
    // while two correlated variables co-vary loosely there too — hence the stricter bar.
    const fit = (x: number, ys: number[]): number => {
      const pooled = explainedByCodes(x, ys, corr) / bar;
      const own = episodes.filter((e) => e.active[x]! >= t.minActive);
      if (own.length < 3) return pooled;
      const per = own.map((e) => explainedByCodes(x, ys, e.corr)).sort((a, b) => a - b);
      return Math.max(pooled, median(per) / t.pairCorrelation);
    };
    const found: { i: number; with: number[]; score: number }[] = [];
    for (let x = 0; x < p; x++) {
      const i = kept[x]!;
      if (!usedBySome(classes[i]!)) continue;
      const pool = [...Array(p).keys()].filter(
        (y) => y !== x && uses[kept[y]!]!.some((u, a) => u && !uses[i]![a]),
      );
      const chosen: number[] = [];
      let score = 0;
      while (chosen.length < MAX_PARTNERS && score < 1) {
        let best = -1;
        let bestScore = score;
        for (const y of pool) {
          if (chosen.includes(y)) continue;
          const v = fit(x, [...chosen, y]);
          if (v > bestScore + 1e-9) [best, bestScore] = [y, v];
        }
        if (best < 0) break;
        chosen.push(best);
        score = bestScore;
      }
      if (score >= 1) found.push({ i, with: chosen.map((y) => kept[y]!), score });
    }
    found.sort((a, b) => b.score - a.score);
    const union: boolean[][] = uses.map((u) => [...u]);
    for (const { i, with: js } of found) {
      if (pair[i]! >= 0) continue;
      const both = uses[i]!.map((u, a) => u || js.some((j) => uses[j]![a]!));
      pair[i] = js[0]!;
      partners[i] = js;
      union[i] = both;
      const lone = js.length === 1 ? js[0]! : -1;
      if (lone >= 0 && usedBySome(classes[lone]!) && pair[lone]! < 0) {
        pair[lone] = i;
        partners[lone] = [i];
        union[lone] = both;
      }
    }
    for (let j = 0; j < m; j++) {
      if (pair[j]! < 0) continue;
      classes[j] = classOfUsers(agents, union[j]!);
      alpha[j] = union[j]!.filter(Boolean).length;
    }
  }
  // Latents the witness seed does not reproduce are not trusted: 'rare'.
  let seedAgreement: SplitResult['seedAgreement'] = null;
  if (witness) {
    for (let j = 0; j < m; j++) {
      if (classes[j] === 'dead' || classes[j] === 'rare') continue;
      let best = 0;
      for (let a = 0; a < N; a++) best = Math.max(best, stats.explained[a]![j]!);
      const frequent = stats.active[j]! >= t.strongFrequency * rows;
      const strong = frequent && best >= t.strongExplained;
      // Missed, not contradicted: the witness left most of j's content in its residual, and j's own
      // evidence is at least half the strong bar.
      const missed =
        frequent &&
        best >= t.strongExplained / 2 &&
        (witness.leftover?.[j] ?? 0) >= WITNESS_LEFTOVER;
      // A duplicate: the witness holds j's content in a latent it matched to another of ours.
      const duplicate = t.reproducedByAny && (witness.rAny?.[j] ?? 0) >= t.minStability;
      if (!(witness.r[j]! >= t.minStability) && !duplicate && !strong && !missed) {
        classes[j] = 'rare';
        alpha[j] = 0;
      }
    }
    if (witness.match && witness.classes) {
      // Over the latents the witness reproduces (|r| ≥ minStability: the same latent by the split's
      // own test) and, beside it, over every Hungarian match however weak (allMatched).
      const tally = (reproducedOnly: boolean) => {
        let matched = 0;
        let agree = 0;
        for (let j = 0; j < m; j++) {
          if (classes[j] === 'dead' || classes[j] === 'rare') continue;
          const w = witness.match![j]!;
          if (w < 0 || (reproducedOnly && !(witness.r[j]! >= t.minStability))) continue;
          matched++;
          if (witness.classes![w] === classes[j]) agree++;
        }
        return { matched, agree, fraction: matched ? agree / matched : NaN };
      };
      const all = tally(false);
      seedAgreement = { ...tally(true), allMatched: all };
    } else seedAgreement = witness.agreement ?? null;
  }
  // Signed pairs (signedPairs.ts): two kept latents reading the two sides of one signed variable
  // are one variable: both take the union of their users, and count once in `signedCounts`.
  const signed = new Array<number>(m).fill(-1);
  if (signedCandidates) {
    // Matched among kept latents only: a rare latent must not take a kept latent's partner.
    const kept = (j: number) => classes[j] !== 'dead' && classes[j] !== 'rare';
    const signedPartner = matchSignedPairs(signedCandidates, m, kept);
    for (let j = 0; j < m; j++) {
      const k = signedPartner[j]!;
      if (!(k > j)) continue;
      const users = agents.map(
        (a) =>
          membersOf(agents, classes[j]!).includes(a) || membersOf(agents, classes[k]!).includes(a),
      );
      classes[j] = classes[k] = classOfUsers(agents, users);
      alpha[j] = alpha[k] = users.filter(Boolean).length;
      signed[j] = k;
      signed[k] = j;
    }
  }
  const counts: Record<string, number> = {
    shared: 0,
    ...Object.fromEntries(agents.map((a) => [`private-${a}`, 0])),
    rare: 0,
    dead: 0,
  };
  const individual: Record<string, number[]> = Object.fromEntries(agents.map((a) => [a, []]));
  classes.forEach((cls, j) => {
    counts[cls] = (counts[cls] ?? 0) + 1;
    if (cls === 'dead' || cls === 'rare') return;
    for (const a of membersOf(agents, cls)) individual[a]!.push(j);
  });
  const signedCounts = { ...counts };
  signed.forEach((k, j) => k >= 0 && k < j && signedCounts[classes[j]!]!--);
  const r4s = (xs: Float64Array[]) => xs.map((x) => Array.from(x, r4));
  return {
    format: 'thoughtlens-split',
    version: 2,
    agents,
    thresholds: t,
    sampleRows: rows,
    sampleEpisodes: stats.episodes,
    spreadEpisodes: stats.spreadEpisodes,
    sampleSet,
    classes,
    alpha,
    counts,
    individual,
    relevance,
    scaling: r4s(stats.scaling),
    scalingLo: r4s(stats.scalingLo),
    scalingHi: r4s(stats.scalingHi),
    explained: r4s(stats.explained),
    threshold,
    activeRows: Array.from(stats.active),
    frequency: Array.from(stats.active, (n) => Math.round((n / Math.max(1, rows)) * 1e6) / 1e6),
    episodeSpread: Array.from(stats.episodeSpread, (x) => Math.round(x * 100) / 100),
    relativeSpread: Array.from(relSpread, r4),
    pair,
    partners,
    stability: witness ? Array.from(witness.r, r4) : null,
    ...(witness?.rAny ? { stabilityAny: Array.from(witness.rAny, r4) } : {}),
    witnessLeftover: witness?.leftover ? Array.from(witness.leftover, r4) : null,
    seedAgreement,
    signed,
    signedCounts,
    absorbed: absorbed.map((xs) => xs.map((x) => ({ ...x, cos: r4(x.cos) }))),
  };
}

/**
 * A latent the witness does not reproduce is kept when the witness leaves at least this share of its
 * evidence unexplained (it missed the content rather than explaining it another way).
 */
export const WITNESS_LEFTOVER = 0.5;

/** At most this many partner latents explain a decoupled reading (a reading split over a few latents). */
const MAX_PARTNERS = 3;

/**
 * R² of the least-squares fit of code x on the codes in `ys`, from their Pearson correlations:
 * r_xy' R_yy⁻¹ r_xy (a tiny ridge keeps duplicated partners solvable).
 */
function explainedByCodes(x: number, ys: number[], corr: (a: number, b: number) => number): number {
  const n = ys.length;
  const A = Float64Array.from({ length: n * n }, (_, q) =>
    q % n === Math.floor(q / n) ? 1 + 1e-6 : corr(ys[Math.floor(q / n)]!, ys[q % n]!),
  );
  const b = Float64Array.from(ys, (y) => corr(y, x));
  const w = choleskySolve(A, n, b, 1);
  if (!w) return 0;
  let r2 = 0;
  for (let i = 0; i < n; i++) r2 += b[i]! * w[i]!;
  return Math.min(1, Math.max(0, r2));
}

/** Per episode: the Pearson correlations of the kept latents' codes on its rows, and each latent's active rows there. */
function episodeCorrelations(
  sub: Float32Array,
  p: number,
  rows: number,
  episodeOfRow: Int32Array | undefined,
): { corr: (a: number, b: number) => number; active: Int32Array }[] {
  if (!episodeOfRow || episodeOfRow.length !== rows) return [];
  let E = 0;
  for (let r = 0; r < rows; r++) E = Math.max(E, episodeOfRow[r]! + 1);
  const rowsOf: number[][] = Array.from({ length: E }, () => []);
  for (let r = 0; r < rows; r++) rowsOf[episodeOfRow[r]!]!.push(r);
  return rowsOf
    .filter((rs) => rs.length >= 3)
    .map((rs) => {
      const n = rs.length;
      const part = new Float32Array(n * p);
      const active = new Int32Array(p);
      rs.forEach((r, i) => {
        for (let c = 0; c < p; c++) {
          const v = sub[r * p + c]!;
          part[i * p + c] = v;
          if (v > 0) active[c]!++;
        }
      });
      return { corr: correlationsOf(part, p, n), active };
    });
}

/** Pearson correlations between the p columns of x (rows × p) as a lookup; undefined ones (a constant column) read 0. */
function correlationsOf(x: Float32Array, p: number, rows: number): (a: number, b: number) => number {
  const C = pearsonMatrix(x, p, x, p, rows);
  return (a, b) => (Number.isFinite(C[a * p + b]!) ? C[a * p + b]! : 0);
}

/** The agents a kept class names (shared: all; private-A: A; partial-A+B: A and B). */
function membersOf(agents: string[], cls: LatentClass): string[] {
  if (cls === 'dead' || cls === 'rare') return [];
  return cls === 'shared'
    ? agents
    : cls.startsWith('private-')
      ? [cls.slice(8)]
      : cls.slice(8).split('+');
}

/** The class of a latent used by the agents marked in `use` (at least one): shared, private or partial. */
function classOfUsers(agents: string[], use: readonly boolean[]): LatentClass {
  const al = use.filter(Boolean).length;
  if (al === agents.length) return 'shared';
  if (al === 1) return `private-${agents[use.indexOf(true)]}`;
  return `partial-${agents.filter((_, a) => use[a]).join('+')}`;
}

/**
 * Per latent, its episode spread over the spread that as many activations placed at random over
 * the episodes reach (expectedSpread): 1 for a latent that fires as evenly as chance allows
 * whatever its frequency, well under 1 for one whose activations sit in a few episodes.
 */
export function relativeSpreads(stats: Pick<UsageStats, 'active' | 'episodeSpread' | 'spreadEpisodes' | 'spreadActive'>): Float64Array {
  const n = stats.spreadActive ?? stats.active;
  return Float64Array.from(stats.episodeSpread, (s, j) => {
    const e = expectedSpread(n[j]!, stats.spreadEpisodes);
    return e > 0 ? s / e : 0;
  });
}

/** Median of per-latent spreads over the latents that fire on at least minActive sample rows (0 if none). */
export function typicalSpread(spreads: ArrayLike<number>, active: ArrayLike<number>, minActive: number): number {
  const md = median(Array.from(spreads).filter((_, j) => active[j]! >= minActive));
  return Number.isNaN(md) ? 0 : md;
}

/** The latents of one class (e.g. 'shared', 'private-A'). */
export function latentsOfClass(split: Pick<SplitResult, 'classes'>, cls: LatentClass): number[] {
  const out: number[] = [];
  split.classes.forEach((c, j) => c === cls && out.push(j));
  return out;
}

/** Whether a class is used by some agents but not all (private-<A> or partial-<A>+<B>…). */
function usedBySome(cls: LatentClass): boolean {
  return cls.startsWith('private-') || cls.startsWith('partial-');
}
