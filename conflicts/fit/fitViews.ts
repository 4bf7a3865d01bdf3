// Fits shared view models on reference episodes. Rows can be masked out (steps inside
// known behavioural conflicts), so the views learn what agreement looks like.
import { CrossMoments } from '../math/covariance.js';
import type { EpisodeSet } from '../input/episodes.js';
import { DetectorConfigError, DetectorDataError } from '../errors.js';
import { ccaFromMoments, ridgeFromMoments } from './fitLinear.js';
import { FeatureMap } from '../score/featureMap.js';
import { isDeadClass, isSharedClass, type LatentCoder } from '../input/latentCoder.js';
import type { LinearMap } from '../score/linearMap.js';
import { LinearViewModel, type ViewLatent } from '../score/viewModel.js';

/** Which rows of which episode to learn from (episode index in the set, row). */
export type RowMask = (episodeIndex: number, row: number) => boolean;

export interface FeatureOptions {
  /** Random tanh features added to each agent's state before the linear maps (default 0: raw states). */
  randomFeatures?: number;
  /** Seed of the random features (default 0; agent b uses seed + 1). */
  featureSeed?: number;
}

export interface CcaViewOptions extends FeatureOptions {
  /** Canonical pairs kept (default 16). */
  components?: number;
  /** Relative ridge on each covariance (default 1e-3). */
  reg?: number;
  mask?: RowMask;
}

interface Inputs {
  features: [FeatureMap, FeatureMap] | undefined;
  dims: [number, number];
  /** The pair's two inputs (raw states or their expansion) for some rows of an episode. */
  of(e: EpisodeSet['episodes'][number], rows: number[]): [Float32Array, Float32Array];
}

function pairInputs(set: EpisodeSet, pair: [number, number], mask: RowMask | undefined, o: FeatureOptions): Inputs {
  const [ia, ib] = pair;
  const da = set.dims[ia]!;
  const db = set.dims[ib]!;
  const units = o.randomFeatures ?? 0;
  if (units <= 0) {
    return { features: undefined, dims: [da, db], of: (e, rows) => [gather(e.hidden[ia]!, rows, da), gather(e.hidden[ib]!, rows, db)] };
  }
  const xa: Float32Array[] = [];
  const xb: Float32Array[] = [];
  let n = 0;
  forMaskedRows(set, mask, (e, rows) => {
    xa.push(gather(e.hidden[ia]!, rows, da));
    xb.push(gather(e.hidden[ib]!, rows, db));
    n += rows.length;
  });
  const cat = (parts: Float32Array[], d: number) => {
    const out = new Float32Array(n * d);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  const seed = o.featureSeed ?? 0;
  const features: [FeatureMap, FeatureMap] = [FeatureMap.fit(cat(xa, da), n, da, units, seed), FeatureMap.fit(cat(xb, db), n, db, units, seed + 1)];
  return {
    features,
    dims: [features[0].dOut, features[1].dOut],
    of: (e, rows) => [features[0].apply(gather(e.hidden[ia]!, rows, da), rows.length), features[1].apply(gather(e.hidden[ib]!, rows, db), rows.length)],
  };
}

/** Canonical correlation between two agents' raw states: the no-dictionary baseline. */
export function fitCcaViews(set: EpisodeSet, pair: [number, number], opts: CcaViewOptions = {}): LinearViewModel {
  const [ia, ib] = pair;
  const inputs = pairInputs(set, pair, opts.mask, opts);
  const m = new CrossMoments(inputs.dims[0], inputs.dims[1], true);
  forMaskedRows(set, opts.mask, (e, rows) => {
    const [a, b] = inputs.of(e, rows);
    m.add(a, b, rows.length);
  });
  const fit = ccaFromMoments(m, opts.components ?? 16, opts.reg ?? 1e-3);
  const latents: ViewLatent[] = fit.correlations.map((r, c) => ({ id: c, class: 'canonical', label: `cc${c} (r=${r.toFixed(2)})` }));
  return new LinearViewModel('cca-raw', [set.agents[ia]!, set.agents[ib]!], latents, fit.maps, {
    meanCanonicalCorrelation: fit.correlations.reduce((s, x) => s + x, 0) / Math.max(1, fit.correlations.length),
  }, inputs.features);
}

export interface DictionaryViewOptions extends FeatureOptions {
  /**
   * true: only the latents the dictionary calls shared; false: every live latent, whatever its
   * split class (with minReliability, those both agents read alike: see dictionaryViews).
   */
  split?: boolean;
  /** The view model's kind as recorded (default 'dictionary-shared' with the split, 'dictionary-all' without). */
  kind?: string;
  /** Relative ridge penalty (default 1e-2). */
  ridge?: number;
  mask?: RowMask;
  /**
   * Consensus passes (default 0): refit each agent's view onto the OTHER agent's view of the
   * same latent. A joint pre-activation carries some of each agent's private content, which
   * only that agent can predict, so first-pass views differ by it on every step; what one
   * agent can predict of the other's reading is the part they share.
   */
  consensus?: number;
  /**
   * Keep only latents whose two views correlate at least this much on the reference rows
   * (default 0: keep all). A latent both agents really share is read alike by both. Measured
   * on the first-pass views, before any consensus pass. If none passes, all are kept.
   */
  minReliability?: number;
}

/** Ridge maps from each agent's state alone onto the dictionary's joint code (its shared latents, or all live ones). */
export function fitDictionaryViews(set: EpisodeSet, pair: [number, number], coder: LatentCoder, opts: DictionaryViewOptions = {}): LinearViewModel {
  const split = opts.split ?? true;
  const order = coder.agents.map((id) => {
    const i = set.agents.indexOf(id);
    if (i < 0) throw new DetectorConfigError(`the dictionary was trained on agent '${id}', which this run does not have (agents: ${set.agents.join(', ')})`);
    return i;
  });
  if (order.length !== set.agents.length) {
    throw new DetectorConfigError(`the dictionary covers agents ${coder.agents.join(', ')}; this run has ${set.agents.join(', ')}`);
  }
  const candidates = coder.classes.map((c, j) => ({ c, j })).filter(({ c }) => (split ? isSharedClass(c) : !isDeadClass(c)));
  if (candidates.length === 0) throw new DetectorDataError(`the dictionary has no ${split ? 'shared' : 'live'} latents to compare agents on`);
  // Pass 1: which candidate latents ever vary on the reference rows.
  const mean = new Float64Array(coder.nLatents);
  const sq = new Float64Array(coder.nLatents);
  let n = 0;
  const codes: Float32Array[] = [];
  const rowsPer: number[][] = [];
  forMaskedRows(set, opts.mask, (e, rows) => {
    const z = coder.encode(order.map((i) => gather(e.hidden[i]!, rows, set.dims[i]!)), rows.length);
    codes.push(z);
    rowsPer.push(rows);
    for (let r = 0; r < rows.length; r++) {
      for (const { j } of candidates) {
        const v = z[r * coder.nLatents + j]!;
        mean[j]! += v;
        sq[j]! += v * v;
      }
    }
    n += rows.length;
  });
  const keep = candidates.filter(({ j }) => n > 1 && sq[j]! / n - (mean[j]! / n) ** 2 > 1e-10);
  if (keep.length === 0) throw new DetectorDataError(`none of the dictionary's ${split ? 'shared' : 'live'} latents is active on the reference steps`);
  const [ia, ib] = pair;
  const K = keep.length;
  const inputs = pairInputs(set, pair, opts.mask, opts);
  const ma = new CrossMoments(inputs.dims[0], K);
  const mb = new CrossMoments(inputs.dims[1], K);
  let c = 0;
  forMaskedRows(set, opts.mask, (e, rows) => {
    const z = codes[c++]!;
    const y = new Float32Array(rows.length * K);
    for (let r = 0; r < rows.length; r++) for (let k = 0; k < K; k++) y[r * K + k] = z[r * coder.nLatents + keep[k]!.j]!;
    const [xa, xb] = inputs.of(e, rows);
    ma.add(xa, y, rows.length);
    mb.add(xb, y, rows.length);
  });
  const ridge = opts.ridge ?? 1e-2;
  let maps: readonly [LinearMap, LinearMap] = [ridgeFromMoments(ma, ridge), ridgeFromMoments(mb, ridge)];
  // Per latent: R² of each agent's view against the joint code, and the correlation of the two views.
  const fitQuality = () => {
    const Kc = maps[0].dOut;
    const ssRes = [new Float64Array(Kc), new Float64Array(Kc)];
    const ssTot = new Float64Array(Kc);
    const vm = [new Float64Array(Kc), new Float64Array(Kc), new Float64Array(Kc), new Float64Array(Kc), new Float64Array(Kc)]; // Σa Σb Σaa Σbb Σab
    let cc = 0;
    forMaskedRows(set, opts.mask, (e, rows) => {
      const z = codes[cc++]!;
      const [xa, xb] = inputs.of(e, rows);
      const va = maps[0].apply(xa, rows.length);
      const vb = maps[1].apply(xb, rows.length);
      for (let r = 0; r < rows.length; r++) {
        for (let k = 0; k < Kc; k++) {
          const j = kept[k]!;
          const t = z[r * coder.nLatents + j]!;
          const a = va[r * Kc + k]!;
          const b = vb[r * Kc + k]!;
          ssRes[0]![k]! += (a - t) ** 2;
          ssRes[1]![k]! += (b - t) ** 2;
          ssTot[k]! += (t - mean[j]! / n) ** 2;
          vm[0]![k]! += a;
          vm[1]![k]! += b;
          vm[2]![k]! += a * a;
          vm[3]![k]! += b * b;
          vm[4]![k]! += a * b;
        }
      }
    });
    const reliability = Array.from({ length: Kc }, (_, k) => {
      const ma_ = vm[0]![k]! / n;
      const mb_ = vm[1]![k]! / n;
      const den = Math.sqrt(Math.max(vm[2]![k]! / n - ma_ * ma_, 0) * Math.max(vm[3]![k]! / n - mb_ * mb_, 0));
      return den > 0 ? (vm[4]![k]! / n - ma_ * mb_) / den : 0;
    });
    const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
    return { reliability, r2: [1 - sum(ssRes[0]!) / Math.max(sum(ssTot), 1e-12), 1 - sum(ssRes[1]!) / Math.max(sum(ssTot), 1e-12)] };
  };
  let kept = keep.map(({ j }) => j);
  const first = fitQuality();
  const minRel = opts.minReliability ?? 0;
  let sel = kept.map((_, k) => k).filter((k) => first.reliability[k]! >= minRel);
  // None read alike: keep them all rather than fail (recorded in the view model's quality).
  const fallback = sel.length === 0;
  if (fallback) sel = kept.map((_, k) => k);
  if (sel.length < kept.length) {
    maps = [maps[0].select(sel), maps[1].select(sel)];
    kept = sel.map((k) => kept[k]!);
  }
  const Kk = kept.length;
  for (let pass = 0; pass < (opts.consensus ?? 0); pass++) {
    const ca = new CrossMoments(inputs.dims[0], Kk);
    const cb = new CrossMoments(inputs.dims[1], Kk);
    forMaskedRows(set, opts.mask, (e, rows) => {
      const [xa, xb] = inputs.of(e, rows);
      ca.add(xa, maps[1].apply(xb, rows.length), rows.length);
      cb.add(xb, maps[0].apply(xa, rows.length), rows.length);
    });
    maps = [ridgeFromMoments(ca, ridge), ridgeFromMoments(cb, ridge)];
  }
  const last = (opts.consensus ?? 0) > 0 ? fitQuality() : { reliability: sel.map((k) => first.reliability[k]!), r2: first.r2 };
  const quality: Record<string, number> = {
    [`r2_${set.agents[ia]}`]: last.r2[0]!,
    [`r2_${set.agents[ib]}`]: last.r2[1]!,
    meanReliability: last.reliability.reduce((s, v) => s + v, 0) / Kk,
    candidates: K,
    ...(minRel > 0 ? { minReliability: minRel, ...(fallback ? { reliabilityFallback: 1 } : {}) } : {}),
  };
  const latents: ViewLatent[] = kept.map((j) => ({ id: j, class: coder.classes[j]!, label: `z${j}` }));
  return new LinearViewModel(opts.kind ?? (split ? 'dictionary-shared' : 'dictionary-all'), [set.agents[ia]!, set.agents[ib]!], latents, maps, quality, inputs.features);
}

function forMaskedRows(set: EpisodeSet, mask: RowMask | undefined, fn: (e: EpisodeSet['episodes'][number], rows: number[]) => void): void {
  set.episodes.forEach((e, ei) => {
    const rows: number[] = [];
    for (let r = 0; r < e.length; r++) if (!mask || mask(ei, r)) rows.push(r);
    if (rows.length) fn(e, rows);
  });
}

function gather(h: Float32Array, rows: number[], d: number): Float32Array {
  if (rows.length * d === h.length) return h;
  const out = new Float32Array(rows.length * d);
  rows.forEach((r, i) => out.set(h.subarray(r * d, (r + 1) * d), i * d));
  return out;
}
