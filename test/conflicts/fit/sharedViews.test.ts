// The shared views and the pair statistic: latents both agents read alike (reliability
// filter), consensus passes that drop what only one agent can predict, the sparse GLR
// statistic, level-binned spreads, their config checks and the detector file versions.
import { describe, expect, it } from 'vitest';
import { openRun } from '../../../data/index.js';
import {
  detectRun,
  detectorFromJson,
  detectorToJson,
  dictionaryViews,
  fitDetector,
  fitDictionaryViews,
  fitPairChannel,
  LinearMap,
  LinearViewModel,
  loadEpisodes,
  PairChannel,
  resolveDetectorConfig,
  resolveEventSpec,
  scoreOnly,
  selectEpisodes,
  type EpisodeSet,
  type LatentCoder,
  type PairNorm,
} from '../../../conflicts/index.js';
import { makeRng } from '../../../util/random.js';
import { tempDir } from '../../helpers/tmp.js';
import { tinyCoder, writeTinyRun } from '../helpers/tinyConflicts.js';

/** The perfect tiny coder plus two latents a faulty split calls shared: shared thought 0 + A's private thought, and A's + B's private thoughts. */
function leakyCoder(base: LatentCoder, K: number): LatentCoder {
  const m = base.nLatents;
  return {
    agents: base.agents,
    nLatents: m + 2,
    classes: [...base.classes, 'shared', 'shared'],
    encode(hidden, rows) {
      const z = base.encode(hidden, rows);
      const out = new Float32Array(rows * (m + 2));
      for (let r = 0; r < rows; r++) {
        out.set(z.subarray(r * m, (r + 1) * m), r * (m + 2));
        out[r * (m + 2) + m] = z[r * m]! + z[r * m + K]!;
        out[r * (m + 2) + m + 1] = z[r * m + K]! + z[r * m + K + 1]!;
      }
      return out;
    },
  };
}

function diffStd(set: EpisodeSet, vm: LinearViewModel, k: number): number {
  let s = 0;
  let s2 = 0;
  let n = 0;
  const K = vm.latents.length;
  for (const e of set.episodes) {
    const [a, b] = vm.views([e.hidden[0]!, e.hidden[1]!], e.length);
    for (let r = 0; r < e.length; r++) {
      const d = a[r * K + k]! - b[r * K + k]!;
      s += d;
      s2 += d * d;
      n++;
    }
  }
  return Math.sqrt(s2 / n - (s / n) ** 2);
}

describe('shared views', () => {
  const root = tempDir('tl-conflicts-views-');
  const data = writeTinyRun(root, 'tiny', { episodes: 12, steps: 100, fraction: 0, seed: 5 });
  const all = loadEpisodes(openRun(data.dir));
  const K = data.shared;
  const coder = leakyCoder(tinyCoder(data), K);
  const leak = K + 3; // shared thought 0 + A's private thought
  const privates = K + 4; // A's + B's private thoughts

  it('keeps only the latents both agents read alike', () => {
    const loose = fitDictionaryViews(all, [0, 1], coder, { minReliability: 0 });
    expect(loose.latents.map((l) => l.id)).toEqual([0, 1, 2, 3, leak, privates]);
    const strict = fitDictionaryViews(all, [0, 1], coder, { minReliability: 0.9 });
    expect(strict.latents.map((l) => l.id)).toEqual([0, 1, 2, 3]);
    expect(strict.quality!.meanReliability).toBeGreaterThan(0.95);
    expect(strict.quality!.candidates).toBe(6);
    // None passes: all are kept rather than failing, and the fallback is recorded.
    const none = fitDictionaryViews(all, [0, 1], coder, { minReliability: 1.01 });
    expect(none.latents).toHaveLength(6);
    expect(none.quality!.reliabilityFallback).toBe(1);
  });

  it('consensus passes remove what only one agent can predict', () => {
    const first = fitDictionaryViews(all, [0, 1], coder, { minReliability: 0, consensus: 0 });
    const cons = fitDictionaryViews(all, [0, 1], coder, { minReliability: 0, consensus: 2 });
    const k = first.latents.findIndex((l) => l.id === leak);
    // The leaky latent: A reads shared + its private thought, B only the shared part.
    expect(diffStd(all, cons, k)).toBeLessThan(0.5 * diffStd(all, first, k));
    // A truly shared latent stays as it was (its views already agree).
    expect(diffStd(all, cons, 0)).toBeLessThan(1.5 * diffStd(all, first, 0) + 0.02);
  });

  it('the detector records its view options', () => {
    const src = dictionaryViews(coder, 'shared', { randomFeatures: 0 });
    expect(src.info).toMatchObject({ views: { ridge: 1e-3, consensus: 2, minReliability: 0.9, randomFeatures: 0 } });
    expect(dictionaryViews(coder, 'all').info).toMatchObject({ views: { minReliability: 0 } });
  });
});

function identityChannel(K: number, norm: Partial<PairNorm>): PairChannel {
  const eye = Float32Array.from({ length: K * K }, (_, i) => (i % (K + 1) === 0 ? 1 : 0));
  const map = () => new LinearMap(K, K, new Float32Array(K), eye, new Float32Array(K));
  const vm = new LinearViewModel(
    'test',
    ['A', 'B'],
    Array.from({ length: K }, (_, j) => ({ id: j, class: 'shared', label: `z${j}` })),
    [map(), map()],
  );
  const ones = new Array<number>(K).fill(1);
  return new PairChannel(vm, [0, 1], 1, { diffMean: new Array<number>(K).fill(0), diffStd: ones, actMean: ones, actStd: ones, ewmaDiffRms: ones, ewmaActRms: ones, whiten: null, ...norm });
}

describe('pair statistics', () => {
  it('sparse: the largest matched filter over single latents and same-sign pairs', () => {
    const ch = identityChannel(3, { statistic: 'sparse' });
    expect(ch.sparse(Float64Array.of(1, 1, 0))).toBeCloseTo(Math.SQRT2, 10);
    expect(ch.sparse(Float64Array.of(1, -1, 0))).toBeCloseTo(1, 10);
    expect(ch.sparse(Float64Array.of(0, 0, -3))).toBeCloseTo(3, 10);
    // With λ = 1 the feature is the statistic of this step's difference.
    const out = new Float64Array(ch.featureNames.length);
    const rows = { length: 1, episode: [0], step: [0], hidden: [Float32Array.of(2, 2, 0), Float32Array.of(0, 0, 0)], columns: [{}, {}] };
    ch.step(ch.newState(), ch.prepare(rows), rows, 0, out);
    expect(out[0]).toBeCloseTo(2 * Math.SQRT2, 5);
    // MEWMA of the same step: √(eᵀe / K).
    const m = identityChannel(3, {});
    m.step(m.newState(), m.prepare(rows), rows, 0, out);
    expect(out[0]).toBeCloseTo(Math.sqrt(8 / 3), 5);
  });

  it('level bins: the spread follows the lower of the two readings', () => {
    const ch = identityChannel(1, { levelEdges: [[0.5]], levelStd: [[0.1, 2]] });
    expect(ch.spread(0, 0.2)).toBe(0.1);
    expect(ch.spread(0, 0.9)).toBe(2);
    // A reads 3, B 0.2: the lower reading (0.2) picks the quiet bin.
    const out = new Float64Array(ch.featureNames.length);
    const rows = { length: 1, episode: [0], step: [0], hidden: [Float32Array.of(3), Float32Array.of(0.2)], columns: [{}, {}] };
    ch.step(ch.newState(), ch.prepare(rows), rows, 0, out);
    expect(out[1]).toBeCloseTo(28, 4);
  });

  it('fits level bins on null steps: a latent that disagrees more when active gets a larger spread there', () => {
    const rng = makeRng(3);
    const n = 4000;
    const a = new Float32Array(n);
    const b = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      const on = rng.next() < 0.2;
      const u = on ? 1 + 0.3 * rng.normal() : 0.05 * rng.normal();
      a[r] = u + (on ? 0.3 : 0.02) * rng.normal();
      b[r] = u + (on ? 0.3 : 0.02) * rng.normal();
    }
    const set: EpisodeSet = {
      agents: ['A', 'B'],
      dims: [1, 1],
      columnSpecs: [[], []],
      episodes: [{ episode: 0, length: n, step: Int32Array.from({ length: n }, (_, i) => i), hidden: [a, b], columns: [{}, {}] }],
    };
    const vm = identityChannel(1, {}).viewModel;
    const ch = fitPairChannel(vm, set, [0, 1], 0.35, [new Int8Array(n)], 'sparse', 5);
    const sd = ch.norm.levelStd![0]!;
    expect(ch.norm.levelEdges![0]).toHaveLength(4);
    // The off steps (80 %) fill the first four bins; the lowest bin holds the steps whose lower
    // reading fell furthest, so it disagrees somewhat more than the middle ones.
    expect(Math.max(sd[0]!, sd[1]!, sd[2]!)).toBeLessThan(0.1);
    expect(sd[4]!).toBeGreaterThan(0.3);
    expect(ch.norm.statistic).toBe('sparse');
    // One bin: no level spreads, and MEWMA is not written (it is what an absent statistic means).
    const plain = fitPairChannel(vm, set, [0, 1], 0.35, [new Int8Array(n)]);
    expect(plain.norm.levelEdges).toBeUndefined();
    expect(plain.norm.statistic).toBeUndefined();
  });

  it('config: defaults and checks', () => {
    expect(resolveDetectorConfig({})).toMatchObject({ statistic: 'sparse', levelBins: 5 });
    expect(() => resolveDetectorConfig({ statistic: 'max' as never })).toThrow(/statistic/);
    expect(() => resolveDetectorConfig({ levelBins: 0 })).toThrow(/levelBins/);
  });
});

describe('detector files', () => {
  const root = tempDir('tl-conflicts-ver-');
  const data = writeTinyRun(root, 'tiny', { episodes: 16, steps: 100, fraction: 0.5, seed: 9 });
  const all = loadEpisodes(openRun(data.dir));
  const train = selectEpisodes(all, (e) => e.episode < 12);
  const test = selectEpisodes(all, (e) => e.episode >= 12);
  const events = resolveEventSpec(all.agents, all.columnSpecs);

  it('round-trips a version 2 detector and reads version 1 files as MEWMA with one spread', () => {
    const det = fitDetector(train, { events, views: dictionaryViews(tinyCoder(data), 'shared', { randomFeatures: 0 }), config: { horizon: 15, far: 0.01, mode: 'disagreement' } });
    const json = detectorToJson(det);
    expect(json.version).toBe(2);
    const back = detectorFromJson(JSON.parse(JSON.stringify(json)));
    expect(Array.from(scoreOnly(back, test.episodes[0]!))).toEqual(Array.from(scoreOnly(det, test.episodes[0]!)));

    const mewma = fitDetector(train, {
      events,
      views: dictionaryViews(tinyCoder(data), 'shared', { randomFeatures: 0 }),
      config: { horizon: 15, far: 0.01, mode: 'disagreement', statistic: 'mewma', levelBins: 1 },
    });
    const v1 = JSON.parse(JSON.stringify(detectorToJson(mewma))) as ReturnType<typeof detectorToJson>;
    v1.version = 1;
    delete (v1.config as { statistic?: unknown }).statistic;
    delete (v1.config as { levelBins?: unknown }).levelBins;
    const old = detectorFromJson(v1);
    expect(old.config).toMatchObject({ statistic: 'mewma', levelBins: 1 });
    expect(Array.from(scoreOnly(old, test.episodes[0]!))).toEqual(Array.from(scoreOnly(mewma, test.episodes[0]!)));
    expect(() => detectorFromJson({ ...v1, version: 3 })).toThrow(/versions 1, 2/);
  });
});

describe('views on the latents both agents read alike, not on the split labels', () => {
  // A split that decoupled shared thoughts 1..K−1 (one latent per agent, labelled private):
  // the same perfect readings, only the labels are wrong. Thought 0 stays labelled shared.
  const decouple = (base: LatentCoder, K: number): LatentCoder => ({ ...base, classes: base.classes.map((c, j) => (j >= 1 && j < K ? (j % 2 ? 'private-A' : 'private-B') : c)) });

  it("compares every latent both agents' states read alike, whatever its class, and no private one", () => {
    const data = writeTinyRun(tempDir('tl-conflicts-readalike-'), 'quiet', { episodes: 12, steps: 100, fraction: 0, seed: 8 });
    const K = data.shared;
    const coder = decouple(tinyCoder(data), K);
    const all = loadEpisodes(openRun(data.dir));
    const readAlike = fitDictionaryViews(all, [0, 1], coder, { split: false, minReliability: 0.9 });
    expect(readAlike.latents.map((l) => l.id)).toEqual(Array.from({ length: K }, (_, j) => j));
    const shared = fitDictionaryViews(all, [0, 1], coder, { split: true, minReliability: 0.9 });
    expect(shared.latents.map((l) => l.id)).toEqual([0]);
  });

  it('is the default, and flags drifts the split-shared views cannot see', () => {
    const data = writeTinyRun(tempDir('tl-conflicts-readalike-'), 'decoupled', { episodes: 40, steps: 120, fraction: 0.5, seed: 8 });
    const coder = decouple(tinyCoder(data), data.shared);
    expect(dictionaryViews(coder).name).toBe('dictionary-read-alike');
    expect(dictionaryViews(coder).info).toMatchObject({ views: { latents: 'read-alike', minReliability: 0.9 } });
    const run = (views: ReturnType<typeof dictionaryViews>) => detectRun({ runDir: data.dir, views, config: { far: 0.01 }, resamples: 20 }).report.evaluation!;
    const ra = run(dictionaryViews(coder, 'read-alike', { randomFeatures: 0 }));
    const sh = run(dictionaryViews(coder, 'shared', { randomFeatures: 0 }));
    // the split-shared views hold thought 0 only: drifts in the other K − 1 thoughts pass unseen
    expect(ra.conflicts).toBe(sh.conflicts);
    expect(ra.flaggedBefore).toBeGreaterThan(sh.flaggedBefore);
    expect(ra.detectionRate).toBeGreaterThanOrEqual(0.6);
  });
});
