// Per-edge conflict detection over the N agents of a network run (record network): each
// node's reading of the latents it shares with a neighbour (fitNodeViews.ts), the edge's
// divergence against clean episodes at the same step (edgeScores.ts), a threshold calibrated
// to a false-alarm rate per edge-step on other clean episodes (calibrate.ts), and evaluation
// against the injected faults (evaluateEdgeFaults.ts). Clean episodes, in episode order, are
// split into fit (½: views and baselines), calibration (¼) and test (¼: false alarms); faulty
// episodes are only scored. Truth is read to choose the clean episodes and to evaluate; the
// scores never see it.
import { openRun } from '../data/index.js';
import { readCheckpointJson } from '../sae/checkpoint/checkpoint.js';
import type { SplitResult } from '../sae/split/split.js';
import { calibrateThreshold, type Calibration } from './calibrate/calibrate.js';
import { DetectorDataError } from './errors.js';
import { cleanFlags, evaluateEdgeFault, summariseEdgeFaults, type EdgeFaultOutcome, type EdgeFaultSummary } from './evaluate/evaluateEdgeFaults.js';
import { fitDictionaryNodeViews, fitPairDictionaryNodeViews, rawNodeViews, type NodeViews } from './fit/fitNodeViews.js';
import { dictionaryCoder } from './input/dictionaryCoder.js';
import { PAIR_AGENTS } from './input/edgePairRun.js';
import { loadEpisodes, type Episode } from './input/episodes.js';
import type { LatentCoder } from './input/latentCoder.js';
import { readNetworkTruth } from './input/networkTruth.js';
import { EdgeBaseline, edgeCoords, edgeDivergences, nodeReadings } from './score/edgeScores.js';

export interface NetworkDictionary {
  coder: LatentCoder;
  /** split.json `individual`: per node, the latents relevant to it. */
  individual: Record<string, number[]>;
}

/** A trained checkpoint (thoughtlens train) over a network run's nodes. */
export function networkDictionary(checkpointDir: string): NetworkDictionary {
  const { coder, split } = splitAndCoder(checkpointDir);
  return { coder, individual: split.individual };
}

/** A checkpoint's encoder and split.json (which per-edge views need). */
function splitAndCoder(checkpointDir: string): { coder: LatentCoder; split: SplitResult } {
  const split = readCheckpointJson<SplitResult>(checkpointDir, 'split.json');
  if (!split) throw new DetectorDataError(`checkpoint ${checkpointDir} has no split.json: run \`thoughtlens split\` on it first`);
  return { coder: dictionaryCoder(checkpointDir), split };
}

/** A dictionary trained on neighbour pairs (input/edgePairRun.ts) and the latents its `node` side uses. */
export interface PairDictionary {
  coder: LatentCoder;
  latents: number[];
}

/** A trained checkpoint (thoughtlens train) over a neighbour-pair run (agents node, neighbour). */
export function pairDictionary(checkpointDir: string): PairDictionary {
  const d = edgeDictionary(checkpointDir);
  if (d.kind !== 'pair dictionary') throw new DetectorDataError(`checkpoint ${checkpointDir} is over agents ${d.dictionary.coder.agents.join(', ')}, not a neighbour-pair dictionary (${PAIR_AGENTS.join(', ')})`);
  return d.pairDictionary;
}

/**
 * Whichever a checkpoint is — a neighbour-pair dictionary (agents node, neighbour) or one over the
 * run's nodes — as detectEdges options, loading it once.
 */
export function edgeDictionary(checkpointDir: string): { kind: 'pair dictionary'; pairDictionary: PairDictionary } | { kind: 'node dictionary'; dictionary: NetworkDictionary } {
  const { coder, split } = splitAndCoder(checkpointDir);
  return coder.agents.join(',') === PAIR_AGENTS.join(',')
    ? { kind: 'pair dictionary', pairDictionary: { coder, latents: split.individual[PAIR_AGENTS[0]] ?? [] } }
    : { kind: 'node dictionary', dictionary: { coder, individual: split.individual } };
}

export interface DetectEdgesOptions {
  runDir: string;
  /** Absent (and no pairDictionary): the raw baseline (standardised states compared coordinate by coordinate). */
  dictionary?: NetworkDictionary;
  /** A neighbour-pair dictionary instead of one over all nodes. */
  pairDictionary?: PairDictionary;
  /** False alarms per edge-step on calibration episodes (default 0.01). */
  far?: number;
  /** Steps below threshold before an edge re-arms (default 2). */
  rearm?: number;
  ridge?: number;
  seed?: number;
  /**
   * With a dictionary: score each edge-step by the larger of the dictionary views' z and the raw
   * states' z, each in units of its own threshold at the target rate, then calibrate that score
   * as one detector (the dictionary adds what it reads that raw states miss, and raw states keep
   * what they see).
   */
  withRaw?: boolean;
  /** Keep every episode's z-scores (for views). */
  keepScores?: boolean;
}

export interface DetectEdgesResult {
  views: string;
  edges: [number, number][];
  /** Edges without a coordinate both nodes read (never scored). */
  unscoredEdges: number;
  threshold: number;
  calibration: Calibration;
  episodes: { fit: number[]; calibration: number[]; test: number[]; faulty: number[] };
  outcomes: EdgeFaultOutcome[];
  summary: EdgeFaultSummary;
  scores?: { episode: number; z: Float64Array[] }[];
  seconds: number;
}

export function detectEdges(o: DetectEdgesOptions): DetectEdgesResult {
  const t0 = performance.now();
  const truth = readNetworkTruth(o.runDir);
  const set = loadEpisodes(openRun(o.runDir));
  if (set.agents.join(',') !== truth.agents.join(',')) throw new DetectorDataError('the run\'s agents are not the nodes truth/network.json lists');
  const clean = set.episodes.map((e, i) => ({ e, i })).filter(({ e }) => !truth.faultyEpisodes.has(e.episode));
  if (clean.length < 4) throw new DetectorDataError(`per-edge detection needs at least 4 clean episodes (fit, calibration, test); the run has ${clean.length}`);
  const nFit = Math.max(1, Math.floor(clean.length / 2));
  const nCal = Math.max(1, Math.floor(clean.length / 4));
  const fit = clean.slice(0, nFit).map((c) => c.i);
  const cal = clean.slice(nFit, nFit + nCal).map((c) => c.i);
  const test = clean.slice(nFit + nCal).map((c) => c.i);
  const views: NodeViews = o.pairDictionary
    ? fitPairDictionaryNodeViews(set, o.pairDictionary.coder, o.pairDictionary.latents, fit)
    : o.dictionary
      ? fitDictionaryNodeViews(set, o.dictionary.coder, o.dictionary.individual, fit, o.ridge)
      : rawNodeViews(set, fit);
  // Each view set scored against its own clean reference. With `withRaw`, the dictionary's and the
  // raw states' z are each divided by their own threshold at the target rate on the calibration
  // episodes (so neither view's tail sets the bar for the other) and an edge-step scores the
  // larger; that score is then calibrated as one detector below.
  const far = o.far ?? 0.01;
  const rearm = o.rearm ?? 2;
  const T = Math.max(...set.episodes.map((e) => e.length));
  const scorers = [views, ...(o.withRaw && views.kind !== 'raw' ? [rawNodeViews(set, fit)] : [])].map((v) => {
    const ec = edgeCoords(v, truth.edges);
    const divergence = (e: Episode) => edgeDivergences(v, ec, nodeReadings(v, e), e.length);
    const baseline = EdgeBaseline.fit(fit.map((i) => divergence(set.episodes[i]!)), T);
    const memo = new Map<number, Float64Array[]>();
    const score = (i: number) => {
      let z = memo.get(i);
      if (!z) memo.set(i, (z = baseline.score(divergence(set.episodes[i]!))));
      return z;
    };
    return { ec, score };
  });
  const ec = scorers[0]!.ec;
  // Calibration episodes are clean: every edge-step a null sample.
  const calibrate = (score: (i: number) => Float64Array[]) => calibrateThreshold(cal.flatMap((i) => score(i).map((scores) => ({ scores, labels: new Int8Array(scores.length) }))), far, rearm);
  // One view set: its z as it is. Several: each z in units of its own threshold, then the larger.
  const units = scorers.map((sc) => {
    if (scorers.length === 1) return 1;
    const t = calibrate(sc.score).threshold;
    return Number.isFinite(t) && t > 0 ? t : 1;
  });
  const zOf = new Map<number, Float64Array[]>();
  const z = (i: number) => {
    let s = zOf.get(i);
    if (!s) zOf.set(i, (s = maxOf(scorers.map((sc, k) => sc.score(i).map((zs) => (units[k] === 1 ? zs : zs.map((x) => x / units[k]!)))))));
    return s;
  };
  const calibration = calibrate(z);
  const thr = calibration.threshold;
  const byEpisode = new Map(set.episodes.map((e, i) => [e.episode, i]));
  const outcomes = truth.faults.flatMap((f) => {
    const i = byEpisode.get(f.episode);
    return i === undefined ? [] : [evaluateEdgeFault(f, truth.edges, z(i), set.episodes[i]!.step, thr, rearm)];
  });
  let flags = 0;
  let edgeSteps = 0;
  for (const i of test) {
    const c = cleanFlags(z(i), thr, rearm);
    flags += c.flags;
    edgeSteps += c.edgeSteps;
  }
  const summary = summariseEdgeFaults(outcomes, { flags, edgeSteps }, o.seed ?? 0);
  const faulty = set.episodes.map((e, i) => ({ e, i })).filter(({ e }) => truth.faultyEpisodes.has(e.episode)).map((c) => c.i);
  return {
    views: scorers.length > 1 ? `${views.kind} + raw` : views.kind,
    edges: truth.edges,
    unscoredEdges: ec.common.filter((c) => c.j.length === 0).length,
    threshold: thr,
    calibration,
    episodes: { fit: fit.map((i) => set.episodes[i]!.episode), calibration: cal.map((i) => set.episodes[i]!.episode), test: test.map((i) => set.episodes[i]!.episode), faulty: faulty.map((i) => set.episodes[i]!.episode) },
    outcomes,
    summary,
    ...(o.keepScores ? { scores: set.episodes.map((e, i) => ({ episode: e.episode, z: z(i) })) } : {}),
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Per edge, per step: the largest of several z-score series (NaN where every one is NaN). */
function maxOf(zs: Float64Array[][]): Float64Array[] {
  if (zs.length === 1) return zs[0]!;
  return zs[0]!.map((first, e) =>
    first.map((_, t) => {
      let m = NaN;
      for (const z of zs) {
        const x = z[e]![t]!;
        if (!(x <= m)) m = Number.isNaN(x) ? m : x;
      }
      return m;
    }),
  );
}
