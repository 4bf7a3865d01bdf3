// Which agents use each latent, measured on episodes the dictionary was not trained on
// (Latent Scaling, Minder et al. 2025, arXiv 2504.02922, adapted to per-agent decoders).
// Per latent j and agent a, over the sample rows R_j where z_j > 0 (units: a's normalised space):
//   contribution  c_r = z_rj·D_a[j]                 residual without j   e_r = x̃_a,r − x̂_a,r + c_r
//   scaling       ν_a,j = ⟨Σ_r z_rj e_r, D_a[j]⟩ / (Σ_r z_rj²·‖D_a[j]‖²)   (≈ 1: a reads j at its
//                 trained scale; ≈ 0: a's state does not move along j's direction when j fires)
//   explained     R²_a,j = ⟨Σ_r z_rj e_r, D̂_a[j]⟩² / (Σ_r z_rj² · Σ_r ‖e_r‖²) · cap(ν)
//                 the fraction of a's residual energy on j's rows (j excluded) that z_j explains
//                 along j's direction D̂ = D/‖D‖, at most at the trained scale: cap(ν) = 1 for
//                 |ν| ≤ 1 and 2/|ν| − 1/ν² above (the residual reduction at scale ‖D‖), so a
//                 near-zero block (|ν| ≫ 1) explains ≈ 0 however its leftover direction points.
//   null          R² recomputed with a's rows re-paired to rows of *other episodes* (a random
//                 permutation, K times): z_j from the true rows, a's residual from unrelated ones.
//                 Its mean μ₀ and standard deviation σ₀ per latent and agent calibrate the test.
//   interval      2.5–97.5% of ν over a bootstrap of episodes (200 resamples).
// Mode 'jacobian' (MLP decoders, no single direction) uses the free least-squares direction
// Σ_r z_rj e_r instead of D̂, refitted in every null permutation (so the null carries the same
// d_a fitted parameters).
import * as tf from '@tensorflow/tfjs';
import { quantileSorted } from '../../util/quantile.js';
import { makeRng } from '../../util/random.js';
import type { SaeModel } from '../checkpoint/checkpoint.js';
import { decodeAgent, encodeJoint } from '../model/inference.js';
import { tidyData } from '../model/ops.js';
import { fractionUnexplained } from '../eval/fvu.js';
import type { EpisodeSample } from './heldOut.js';
import { withoutDense } from '../model/normalisation.js';

export interface UsageOptions {
  /** Null permutations (default 16). */
  permutations?: number;
  /** Bootstrap resamples of episodes for the ν interval (default 200). */
  bootstrap?: number;
  seed?: number;
}

export interface UsageStats {
  rows: number;
  episodes: number;
  /** Per latent: rows with z_j > 0. */
  active: Int32Array;
  /**
   * Per latent: the effective number of episodes its activation mass comes from,
   * (Σ_e s_e)² / Σ_e s_e² with s_e = Σ_{r ∈ e} z_rj (the participation ratio; E when it fires
   * evenly in all E episodes, 1 when all of it sits in one episode).
   */
  episodeSpread: Float64Array;
  /** Episodes the spread was computed over (the sample's own unless replaced by analyseModel). */
  spreadEpisodes: number;
  /**
   * Per latent: active rows of the sample the spread was computed on (absent: `active`). With n
   * activations placed at random over E episodes the participation ratio is about nE/(E − 1 + n),
   * so a latent that fires rarely has a small spread however evenly it fires (expectedSpread).
   */
  spreadActive?: Int32Array;
  /** Mean active latents per row. */
  l0: number;
  /** Per agent, per latent. */
  explained: Float64Array[];
  nullMean: Float64Array[];
  nullSd: Float64Array[];
  scaling: Float64Array[];
  scalingLo: Float64Array[];
  scalingHi: Float64Array[];
  /** Per agent, per latent: ‖D_a[j]‖/√d_a (NaN for MLP decoders). */
  blockNorm: Float64Array[];
  /** Per agent: fraction of variance unexplained on the sample (raw units). */
  fvu: number[];
  /** The codes of the sample (rows × m), for pair checks. */
  codes: Float32Array;
  /** Per row of the sample: its episode as a dense index 0…episodes−1 (absent: one episode). */
  episodeOfRow?: Int32Array;
}

/** Active rows of every latent as a CSR list (col[j]..col[j+1] into rowsOf / valsOf). */
function columns(z: Float32Array, rows: number, m: number) {
  const count = new Int32Array(m + 1);
  for (let i = 0; i < rows * m; i++) if (z[i]! > 0) count[(i % m) + 1]!++;
  for (let j = 0; j < m; j++) count[j + 1]! += count[j]!;
  const fill = count.slice(0, m);
  const rowsOf = new Int32Array(count[m]!);
  const valsOf = new Float64Array(count[m]!);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < m; j++) {
      const v = z[r * m + j]!;
      if (v > 0) {
        const p = fill[j]!++;
        rowsOf[p] = r;
        valsOf[p] = v;
      }
    }
  }
  return { col: count, rowsOf, valsOf };
}

/** A permutation of rows that sends each row to a row of another episode where it can. */
function otherEpisodePermutation(episode: Int32Array, rng: ReturnType<typeof makeRng>): Int32Array {
  const n = episode.length;
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const k = rng.int(i + 1);
    const t = p[i]!;
    p[i] = p[k]!;
    p[k] = t;
  }
  for (let i = 0; i < n; i++) {
    for (let tries = 0; tries < 8 && episode[p[i]!] === episode[i]; tries++) {
      const k = rng.int(n);
      if (episode[p[k]!] !== episode[i] && episode[p[i]!] !== episode[k]) {
        const t = p[i]!;
        p[i] = p[k]!;
        p[k] = t;
      }
    }
  }
  return p;
}

/** Mean and standard deviation of a statistic over the null permutations. */
function nullMoments(perms: Int32Array[], stat: (perm: Int32Array) => number): [number, number] {
  let s1 = 0;
  let s2 = 0;
  for (const perm of perms) {
    const x = stat(perm);
    s1 += x;
    s2 += x * x;
  }
  const mean = s1 / perms.length;
  return [mean, Math.sqrt(Math.max(0, s2 / perms.length - mean * mean))];
}

/**
 * R² along a latent's direction, counted only up to its trained scale: for |ν| > 1 (the state moves
 * along ±D̂ by more than the decoder delivers) the residual reduction at scale ‖D‖ is
 * R²·(2/|ν| − 1/ν²); |ν| ≤ 1 keeps R². The sign does not matter (R² is symmetric): a zeroed block
 * gives |ν| ≫ 1 of either sign.
 */
export function cappedExplained(r2: number, nu: number): number {
  if (!Number.isFinite(nu)) return 0;
  const a = Math.abs(nu);
  return a > 1 ? r2 * (2 / a - 1 / (a * a)) : r2;
}

/**
 * Per latent, the effective number of episodes its activation mass comes from: the participation
 * ratio (Σ_e s_e)² / Σ_e s_e² of its per-episode mass s_e (E when it fires evenly in E episodes,
 * 1 when all of it sits in one). `ep` gives each row's dense episode index (0…E−1).
 */
function spreadOverEpisodes(col: Int32Array, rowsOf: Int32Array, valsOf: Float64Array, ep: Int32Array, E: number): Float64Array {
  const m = col.length - 1;
  const out = new Float64Array(m);
  const mass = new Float64Array(E);
  for (let j = 0; j < m; j++) {
    mass.fill(0);
    for (let p = col[j]!; p < col[j + 1]!; p++) mass[ep[rowsOf[p]!]!]! += valsOf[p]!;
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < E; i++) {
      s1 += mass[i]!;
      s2 += mass[i]! * mass[i]!;
    }
    out[j] = s2 > 0 ? (s1 * s1) / s2 : 0;
  }
  return out;
}

/** Active rows per latent of a CSR column list. */
function activeCounts(col: Int32Array): Int32Array {
  const m = col.length - 1;
  const active = new Int32Array(m);
  for (let j = 0; j < m; j++) active[j] = col[j + 1]! - col[j]!;
  return active;
}

/** Dense episode indices (0…E−1, in order of first appearance) of a sample's rows, and E. */
function denseEpisodes(episode: Int32Array): { ep: Int32Array; E: number } {
  const index = new Map<number, number>();
  const ep = new Int32Array(episode.length);
  for (let r = 0; r < episode.length; r++) {
    const e = episode[r]!;
    if (!index.has(e)) index.set(e, index.size);
    ep[r] = index.get(e)!;
  }
  return { ep, E: index.size };
}

/**
 * The episode spread of every latent on a sample of its own (the split takes it over all episodes
 * of the runs, training ones included: 9 held-out episodes cannot tell a thought present in every
 * episode from a drift present in a few). Returns the spreads and the number of episodes seen.
 */
export function episodeSpreadOnSample(model: SaeModel, sample: EpisodeSample): { spread: Float64Array; episodes: number; active: Int32Array } {
  const m = model.cfg.latents;
  const z = encodeJoint(model, sample.xs, sample.rows);
  const { col, rowsOf, valsOf } = columns(z, sample.rows, m);
  const { ep, E } = denseEpisodes(sample.episode);
  return { spread: spreadOverEpisodes(col, rowsOf, valsOf, ep, E), episodes: E, active: activeCounts(col) };
}

/**
 * The participation ratio n activations of equal mass reach on average when each falls in one of
 * E episodes at random: n²/E[Σ_e c_e²] with c ~ Multinomial(n, 1/E), = nE/(E − 1 + n) (1 for one
 * activation, → E for many).
 */
export function expectedSpread(n: number, E: number): number {
  return n > 0 && E > 0 ? (n * E) / (E - 1 + n) : 0;
}

export function collectUsageStats(model: SaeModel, sample: EpisodeSample, o: UsageOptions = {}): UsageStats {
  const cfg = model.cfg;
  const m = cfg.latents;
  const rows = sample.rows;
  const K = o.permutations ?? 16;
  const nBoot = o.bootstrap ?? 200;
  const z = encodeJoint(model, sample.xs, rows);
  const { col, rowsOf, valsOf } = columns(z, rows, m);
  const active = activeCounts(col);
  const l0 = rowsOf.length / Math.max(1, rows);
  // Episodes as dense indices for the bootstrap.
  const { ep, E } = denseEpisodes(sample.episode);
  const episodeSpread = spreadOverEpisodes(col, rowsOf, valsOf, ep, E);
  const rng = makeRng((o.seed ?? cfg.seed) + 0x5ca1e);
  const perms = Array.from({ length: K }, () => otherEpisodePermutation(sample.episode, rng));
  const boots = Array.from({ length: nBoot }, () => {
    const w = new Float64Array(E);
    for (let i = 0; i < E; i++) w[rng.int(E)]!++;
    return w;
  });
  const linear = cfg.mode !== 'jacobian';
  const out: UsageStats = {
    rows,
    episodes: E,
    active,
    episodeSpread,
    spreadEpisodes: E,
    l0,
    explained: [],
    nullMean: [],
    nullSd: [],
    scaling: [],
    scalingLo: [],
    scalingHi: [],
    blockNorm: [],
    fvu: [],
    codes: z,
    episodeOfRow: ep,
  };
  cfg.agents.forEach((ag, a) => {
    const d = ag.dim;
    const x = withoutDense(sample.xs[a]!, model.norms[a]!);
    const xhat = decodeAgent(model, a, z, rows);
    const inv = 1 / model.norms[a]!.scale;
    out.fvu.push(fractionUnexplained(x, xhat, rows, d));
    // The residual in a's normalised units, and its energy per row.
    const e = new Float32Array(rows * d);
    const q = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let o2 = r * d; o2 < (r + 1) * d; o2++) {
        e[o2] = (x[o2]! - xhat[o2]!) * inv;
        s += e[o2]! ** 2;
      }
      q[r] = s;
    }
    const explained = new Float64Array(m);
    const nullMean = new Float64Array(m);
    const nullSd = new Float64Array(m);
    const scaling = new Float64Array(m).fill(NaN);
    const lo = new Float64Array(m).fill(NaN);
    const hi = new Float64Array(m).fill(NaN);
    const bn = new Float64Array(m).fill(NaN);
    if (linear) {
      const D = model.params[`dec.${ag.id}.W`]!.data as Float32Array;
      const norm = new Float64Array(m);
      const unit = new Float32Array(m * d);
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let i = 0; i < d; i++) s += D[j * d + i]! ** 2;
        norm[j] = Math.sqrt(s);
        bn[j] = norm[j]! / Math.sqrt(d);
        if (s > 0) for (let i = 0; i < d; i++) unit[j * d + i] = D[j * d + i]! / norm[j]!;
      }
      // P[r, j] = ⟨e_r, D̂_j⟩: one matmul.
      const P = tidyData(() => tf.matMul(tf.tensor2d(e, [rows, d]), tf.tensor2d(unit, [m, d]), false, true));
      const stat = (j: number, perm: Int32Array | null): { r2: number; szp: number; szz: number } => {
        const nD = norm[j]!;
        let szz = 0;
        let szp = 0;
        let e0 = 0;
        for (let p = col[j]!; p < col[j + 1]!; p++) {
          const r = rowsOf[p]!;
          const v = valsOf[p]!;
          const s = perm ? perm[r]! : r;
          const vs = perm ? z[s * m + j]! : v; // the re-paired row's own contribution is added back
          const ps = P[s * m + j]!;
          szz += v * v;
          szp += v * (ps + vs * nD);
          e0 += q[s]! + 2 * vs * ps * nD + vs * vs * nD * nD;
        }
        if (!(szz > 0 && e0 > 0 && nD > 0)) return { r2: 0, szp, szz };
        // Counted only up to the trained scale (cappedExplained): a zeroed block explains ≈ 0.
        return { r2: cappedExplained((szp * szp) / (szz * e0), szp / (szz * nD)), szp, szz };
      };
      const epZP = new Float64Array(E);
      const epZZ = new Float64Array(E);
      const nu = new Float64Array(nBoot);
      for (let j = 0; j < m; j++) {
        if (col[j + 1]! === col[j]!) continue;
        const real = stat(j, null);
        explained[j] = real.r2;
        [nullMean[j], nullSd[j]] = nullMoments(perms, (perm) => stat(j, perm).r2);
        const nD = norm[j]!;
        if (nD <= 0) continue;
        scaling[j] = real.szp / (real.szz * nD);
        epZP.fill(0);
        epZZ.fill(0);
        for (let p = col[j]!; p < col[j + 1]!; p++) {
          const r = rowsOf[p]!;
          const v = valsOf[p]!;
          epZP[ep[r]!]! += v * (P[r * m + j]! + v * nD);
          epZZ[ep[r]!]! += v * v;
        }
        boots.forEach((w, b) => {
          let a1 = 0;
          let a2 = 0;
          for (let i = 0; i < E; i++) {
            a1 += w[i]! * epZP[i]!;
            a2 += w[i]! * epZZ[i]!;
          }
          nu[b] = a2 > 0 ? a1 / (a2 * nD) : NaN;
        });
        const sorted = nu.filter(Number.isFinite).sort();
        lo[j] = quantileSorted(sorted, 0.025);
        hi[j] = quantileSorted(sorted, 0.975);
      }
    } else {
      // Free direction: R² = ‖Σ z e‖² / (Σz² Σ‖e‖²), refitted under each permutation.
      const acc = new Float64Array(d);
      const stat = (j: number, perm: Int32Array | null): number => {
        acc.fill(0);
        let szz = 0;
        let e0 = 0;
        for (let p = col[j]!; p < col[j + 1]!; p++) {
          const r = rowsOf[p]!;
          const v = valsOf[p]!;
          const s = perm ? perm[r]! : r;
          szz += v * v;
          e0 += q[s]!;
          for (let i = 0; i < d; i++) acc[i]! += v * e[s * d + i]!;
        }
        let n2 = 0;
        for (let i = 0; i < d; i++) n2 += acc[i]! * acc[i]!;
        return szz > 0 && e0 > 0 ? n2 / (szz * e0) : 0;
      };
      for (let j = 0; j < m; j++) {
        if (col[j + 1]! === col[j]!) continue;
        explained[j] = stat(j, null);
        [nullMean[j], nullSd[j]] = nullMoments(perms, (perm) => stat(j, perm));
      }
    }
    out.explained.push(explained);
    out.nullMean.push(nullMean);
    out.nullSd.push(nullSd);
    out.scaling.push(scaling);
    out.scalingLo.push(lo);
    out.scalingHi.push(hi);
    out.blockNorm.push(bn);
  });
  return out;
}
