// Fits shared view models on reference episodes. Rows can be masked out (steps inside
// known behavioural conflicts), so the views learn what agreement looks like.
import { CrossMoments } from './covariance.js';
import type { EpisodeSet } from './episodes.js';
import { DetectorConfigError, DetectorDataError } from './errors.js';
import { ccaFromMoments, ridgeFromMoments } from './fitLinear.js';
import { FeatureMap } from './featureMap.js';
import { isDeadClass, isSharedClass, type LatentCoder } from './latentCoder.js';
import { LinearViewModel, type ViewLatent } from './viewModel.js';

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
  /** true: only the latents the dictionary calls shared; false: every live latent (the no-split baseline). */
  split?: boolean;
  /** Relative ridge penalty (default 1e-2). */
  ridge?: number;
  mask?: RowMask;
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
  const maps = [ridgeFromMoments(ma, opts.ridge ?? 1e-2), ridgeFromMoments(mb, opts.ridge ?? 1e-2)] as const;
  // R² of each agent's view against the joint code, on the same rows.
  const ssRes = [0, 0];
  let ssTot = 0;
  c = 0;
  forMaskedRows(set, opts.mask, (e, rows) => {
    const z = codes[c++]!;
    const [xa, xb] = inputs.of(e, rows);
    const va = maps[0].apply(xa, rows.length);
    const vb = maps[1].apply(xb, rows.length);
    for (let r = 0; r < rows.length; r++) {
      for (let k = 0; k < K; k++) {
        const j = keep[k]!.j;
        const t = z[r * coder.nLatents + j]!;
        ssRes[0]! += (va[r * K + k]! - t) ** 2;
        ssRes[1]! += (vb[r * K + k]! - t) ** 2;
        ssTot += (t - mean[j]! / n) ** 2;
      }
    }
  });
  const latents: ViewLatent[] = keep.map(({ c: cls, j }) => ({ id: j, class: cls, label: `z${j}` }));
  return new LinearViewModel(split ? 'dictionary-shared' : 'dictionary-all', [set.agents[ia]!, set.agents[ib]!], latents, maps, {
    [`r2_${set.agents[ia]}`]: 1 - ssRes[0]! / Math.max(ssTot, 1e-12),
    [`r2_${set.agents[ib]}`]: 1 - ssRes[1]! / Math.max(ssTot, 1e-12),
  }, inputs.features);
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
