// Each node's own reading of the latents it takes part in: a ridge map from the node's state
// ALONE onto the dictionary's joint values (pre-activations) of the latents relevant to it
// (split.json `individual`: shared ∪ private ∪ partials containing it), fitted on reference
// steps. Two neighbours can then be compared on the latents relevant to both. The raw
// baseline reads each node's standardised state instead (all nodes run one protocol, so
// their coordinates mean the same thing). The N-agent counterpart of fitViews.ts.
import { CrossMoments } from '../math/covariance.js';
import { DetectorDataError } from '../errors.js';
import type { EpisodeSet } from '../input/episodes.js';
import type { LatentCoder } from '../input/latentCoder.js';
import { LinearMap } from '../score/linearMap.js';
import { ridgeFromMoments } from './fitLinear.js';

export interface NodeViews {
  /** 'dictionary' or 'raw'. */
  kind: string;
  /** Per node (run agent order): the coordinates it reads (latent ids, or state dimensions). */
  coords: number[][];
  /** Per node: state → its readings of `coords`. */
  maps: LinearMap[];
  /**
   * Per coordinate: the spread of its target on reference steps (divergences are in these
   * units), floored at 5% of the mean spread: a coordinate that never moves on reference steps
   * and then moves is the clearest divergence there is, not one to divide by zero.
   */
  scale: Float64Array;
}

function floored(scale: Float64Array): Float64Array {
  let s = 0;
  let c = 0;
  for (const x of scale) {
    if (x <= 0) continue;
    s += x;
    c++;
  }
  const floor = c ? (0.05 * s) / c : 1;
  return scale.map((x) => Math.max(x, floor));
}

/** Reference episodes: indexes into set.episodes. */
export function fitDictionaryNodeViews(set: EpisodeSet, coder: LatentCoder, individual: Record<string, readonly number[]>, reference: number[], ridge = 1e-3): NodeViews {
  const order = coder.agents.map((id) => set.agents.indexOf(id));
  if (order.some((i) => i < 0) || order.length !== set.agents.length) {
    throw new DetectorDataError(`the dictionary covers agents ${coder.agents.slice(0, 4).join(', ')}…; the run has ${set.agents.slice(0, 4).join(', ')}… (${set.agents.length})`);
  }
  const m = coder.nLatents;
  const coords = set.agents.map((id) => [...(individual[id] ?? [])].sort((a, b) => a - b));
  const moments = set.agents.map((_, a) => new CrossMoments(set.dims[a]!, coords[a]!.length));
  const sum = new Float64Array(m);
  const sq = new Float64Array(m);
  let n = 0;
  for (const ei of reference) {
    const e = set.episodes[ei]!;
    const z = coder.encode(order.map((i) => e.hidden[i]!), e.length);
    for (let r = 0; r < e.length; r++) {
      for (let j = 0; j < m; j++) {
        const v = z[r * m + j]!;
        sum[j]! += v;
        sq[j]! += v * v;
      }
    }
    n += e.length;
    set.agents.forEach((_, a) => {
      const c = coords[a]!;
      const y = new Float32Array(e.length * c.length);
      for (let r = 0; r < e.length; r++) for (let k = 0; k < c.length; k++) y[r * c.length + k] = z[r * m + c[k]!]!;
      moments[a]!.add(e.hidden[a]!, y, e.length);
    });
  }
  const scale = Float64Array.from(sum, (s, j) => Math.sqrt(Math.max(sq[j]! / Math.max(1, n) - (s / Math.max(1, n)) ** 2, 0)));
  const maps = moments.map((mo, a) => (coords[a]!.length ? ridgeFromMoments(mo, ridge) : new LinearMap(set.dims[a]!, 0, new Float32Array(set.dims[a]!), new Float32Array(0), new Float32Array(0))));
  return { kind: 'dictionary', coords, maps, scale: floored(scale) };
}

/** Each node's state, centred and scaled per dimension over the reference steps of all nodes. */
export function rawNodeViews(set: EpisodeSet, reference: number[]): NodeViews {
  const d = set.dims[0]!;
  if (set.dims.some((x) => x !== d)) throw new DetectorDataError('raw node views need one hidden size for every node');
  const sum = new Float64Array(d);
  const sq = new Float64Array(d);
  let n = 0;
  for (const ei of reference) {
    const e = set.episodes[ei]!;
    for (const h of e.hidden) {
      for (let i = 0; i < h.length; i++) {
        sum[i % d]! += h[i]!;
        sq[i % d]! += h[i]! * h[i]!;
      }
      n += e.length;
    }
  }
  const mean = Float32Array.from(sum, (s) => s / Math.max(1, n));
  const scale = Float64Array.from(sq, (s, i) => Math.sqrt(Math.max(s / Math.max(1, n) - mean[i]! ** 2, 0)));
  const identity = new Float32Array(d * d);
  for (let i = 0; i < d; i++) identity[i * d + i] = 1;
  const map = new LinearMap(d, d, mean, identity, new Float32Array(d));
  const all = Array.from({ length: d }, (_, i) => i);
  return { kind: 'raw', coords: set.agents.map(() => all), maps: set.agents.map(() => map), scale: floored(scale) };
}

/**
 * Node views from a pair dictionary trained on neighbour pairs (input/edgePairRun.ts): a
 * node's reading of `latents` (those the `node` side uses) is the node side's own term of the
 * pair dictionary's pre-activations, W_node·x̃ — exact, read off the dictionary by encoding the
 * reference mean state and one step along each coordinate with the neighbour side held at the
 * mean (the pre-activations are affine in each side's state). Every node runs one protocol, so
 * one map serves them all; unlike a ridge fit on clean episodes it also reads directions the
 * clean episodes never moved along (a fault's new value).
 */
export function fitPairDictionaryNodeViews(set: EpisodeSet, coder: LatentCoder, latents: readonly number[], reference: number[]): NodeViews {
  const d = set.dims[0]!;
  if (coder.agents.length !== 2) throw new DetectorDataError(`a neighbour-pair dictionary has two agents (node, neighbour); this one has ${coder.agents.length}`);
  if (set.dims.some((x) => x !== d)) throw new DetectorDataError('neighbour-pair views need one hidden size for every node');
  const m = coder.nLatents;
  const c = [...latents].sort((a, b) => a - b);
  const raw = rawNodeViews(set, reference);
  const mean = raw.maps[0]!.mean;
  // Row 0: both sides at the mean; row 1 + i: the node side one spread along coordinate i.
  const step = Float64Array.from({ length: d }, (_, i) => (raw.scale[i]! > 0 ? raw.scale[i]! : 1));
  const probe = new Float32Array((d + 1) * d);
  for (let r = 0; r <= d; r++) probe.set(mean, r * d);
  for (let i = 0; i < d; i++) probe[(i + 1) * d + i]! += step[i]!;
  const z = coder.encode([probe, probe.map((_, k) => mean[k % d]!)], d + 1);
  const weight = new Float32Array(d * c.length);
  for (let i = 0; i < d; i++) c.forEach((j, k) => (weight[i * c.length + k] = (z[(i + 1) * m + j]! - z[j]!) / step[i]!));
  const map = new LinearMap(d, c.length, mean, weight, Float32Array.from(c, (j) => z[j]!));
  // Each latent's spread over the reference steps of every node.
  const sum = new Float64Array(c.length);
  const sq = new Float64Array(c.length);
  let n = 0;
  for (const ei of reference) {
    const e = set.episodes[ei]!;
    for (const h of e.hidden) {
      const v = map.apply(h, e.length);
      for (let i = 0; i < v.length; i++) {
        sum[i % c.length]! += v[i]!;
        sq[i % c.length]! += v[i]! * v[i]!;
      }
      n += e.length;
    }
  }
  const scale = new Float64Array(m);
  c.forEach((j, k) => (scale[j] = Math.sqrt(Math.max(sq[k]! / Math.max(1, n) - (sum[k]! / Math.max(1, n)) ** 2, 0))));
  return { kind: 'pair dictionary', coords: set.agents.map(() => c), maps: set.agents.map(() => map), scale: floored(scale) };
}
