// Fits shared view models on reference episodes. Rows can be masked out (steps inside
// known behavioural conflicts), so the views learn what agreement looks like.
import { CrossMoments } from './covariance.js';
import type { EpisodeSet } from './episodes.js';
import { DetectorConfigError, DetectorDataError } from './errors.js';
import { ccaFromMoments, ridgeFromMoments } from './fitLinear.js';
import { isDeadClass, isSharedClass, type LatentCoder } from './latentCoder.js';
import { LinearViewModel, type ViewLatent } from './viewModel.js';

/** Which rows of which episode to learn from (episode index in the set, row). */
export type RowMask = (episodeIndex: number, row: number) => boolean;

export interface CcaViewOptions {
  /** Canonical pairs kept (default 16). */
  components?: number;
  /** Relative ridge on each covariance (default 1e-3). */
  reg?: number;
  mask?: RowMask;
}

/** Canonical correlation between two agents' raw states: the no-dictionary baseline. */
export function fitCcaViews(set: EpisodeSet, pair: [number, number], opts: CcaViewOptions = {}): LinearViewModel {
  const [ia, ib] = pair;
  const m = new CrossMoments(set.dims[ia]!, set.dims[ib]!, true);
  forMaskedRows(set, opts.mask, (e, rows) => m.add(gather(e.hidden[ia]!, rows, set.dims[ia]!), gather(e.hidden[ib]!, rows, set.dims[ib]!), rows.length));
  const fit = ccaFromMoments(m, opts.components ?? 16, opts.reg ?? 1e-3);
  const latents: ViewLatent[] = fit.correlations.map((r, c) => ({ id: c, class: 'canonical', label: `cc${c} (r=${r.toFixed(2)})` }));
  return new LinearViewModel('cca-raw', [set.agents[ia]!, set.agents[ib]!], latents, fit.maps, {
    meanCanonicalCorrelation: fit.correlations.reduce((s, x) => s + x, 0) / Math.max(1, fit.correlations.length),
  });
}

export interface DictionaryViewOptions {
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
  const ma = new CrossMoments(set.dims[ia]!, K);
  const mb = new CrossMoments(set.dims[ib]!, K);
  let c = 0;
  forMaskedRows(set, opts.mask, (e, rows) => {
    const z = codes[c++]!;
    const y = new Float32Array(rows.length * K);
    for (let r = 0; r < rows.length; r++) for (let k = 0; k < K; k++) y[r * K + k] = z[r * coder.nLatents + keep[k]!.j]!;
    ma.add(gather(e.hidden[ia]!, rows, set.dims[ia]!), y, rows.length);
    mb.add(gather(e.hidden[ib]!, rows, set.dims[ib]!), y, rows.length);
  });
  const maps = [ridgeFromMoments(ma, opts.ridge ?? 1e-2), ridgeFromMoments(mb, opts.ridge ?? 1e-2)] as const;
  // R² of each agent's view against the joint code, on the same rows.
  const ssRes = [0, 0];
  let ssTot = 0;
  c = 0;
  forMaskedRows(set, opts.mask, (e, rows) => {
    const z = codes[c++]!;
    const va = maps[0].apply(gather(e.hidden[ia]!, rows, set.dims[ia]!), rows.length);
    const vb = maps[1].apply(gather(e.hidden[ib]!, rows, set.dims[ib]!), rows.length);
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
  });
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
