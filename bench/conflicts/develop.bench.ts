// Development study behind the detector's defaults, on DEVELOPMENT seeds (101, 102) of the
// planted-conflict source: never the held-out seeds of planted.bench.ts. Per seed: record
// the run and train the dictionary on episodes 0–59 exactly as planted.bench.ts does (cached
// under artifacts/conflicts/dev-*), fit each view source on 70 % of those episodes, then
// score every (views × statistic) pair offline: the same normalisation, EWMA, statistics and
// calibration as sae/conflicts/pairChannel.ts (disagreement only, no precursors), threshold
// for 1 false alarm per 1000 null steps on the other 30 %, evaluated on episodes 60–99.
//   npx tsx bench/conflicts/develop.bench.ts [--seeds 101,102] [--lag 10] [--horizon 15]
//     [--lambda 0.35] [--kinds mewma,sparse,mewma+bins,sparse+bins] [--oracle]
// View sources: S = split-shared latents as last version (ridge 1e-2, no consensus); A = all
// live latents; C8 = canonical correlation (8 pairs); Sx = the current defaults (reliable
// shared latents, 2 consensus passes, ridge 1e-3); Ax = all live latents with the same view
// fitting; --oracle adds views fitted to the TRUE shared thoughts (truth files; diagnostic).
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { recordSynthetic } from '../../agents/index.js';
import { openRun } from '../../data/index.js';
import { loadCheckpoint, readCheckpointJson, readRunTruth, selectBackend, trainDictionary, type SplitResult } from '../../sae/index.js';
import {
  sparseStatistic,
  calibrateThreshold,
  coderFromModel,
  episodeEvents,
  episodeOutcome,
  evaluateOutcomes,
  fitCcaViews,
  fitDictionaryViews,
  flagRows,
  inverseSqrt,
  loadEpisodes,
  makeEventPredicate,
  resolveEventSpec,
  stat,
  stepLabels,
  type EpisodeOutcome,
  type EpisodeSet,
  type LatentCoder,
  type SharedViewModel,
} from '../../conflicts/index.js';
import { makeRng, shuffleInPlace } from '../../util/random.js';
import { copyEpisodes } from './runSubset.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i++) {
  const k = process.argv[i]!.replace(/^--/, '');
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith('--')) args.set(k, '1');
  else {
    args.set(k, v);
    i++;
  }
}
const LAG = Number(args.get('lag') ?? 10);
const H = Number(args.get('horizon') ?? 15);
const LAMBDA = Number(args.get('lambda') ?? 0.35);
const seeds = (args.get('seeds') ?? '101,102').split(',').map(Number);
const kinds = (args.get('kinds') ?? 'mewma,sparse,mewma+bins,sparse+bins').split(',');
const FAR = 0.001;
const REARM = 10;
const BINS = 5;
const root = join(process.cwd(), 'artifacts', 'conflicts');
mkdirSync(root, { recursive: true });
await selectBackend('auto');

type Views = [Float32Array, Float32Array][];
interface Prepared {
  set: EpisodeSet;
  fitIdx: number[];
  calIdx: number[];
  heldIdx: number[];
  labels: Int8Array[];
  events: { active: Uint8Array; onsets: number[] }[];
}
const results = new Map<string, EpisodeOutcome[]>();

/** Scores of one episode's views: mirrors PairChannel (difference normalised per latent, optionally per level bin of the lower reading; EWMA; MEWMA or sparse GLR). */
function scorer(views: Views, P: Prepared, K: number, kind: string): (ei: number) => Float64Array {
  const bins = kind.endsWith('+bins');
  const statName = kind.replace('+bins', '');
  const nullRows = (fn: (a: Float32Array, b: Float32Array, r: number) => void) => {
    for (const ei of P.fitIdx) {
      const [a, b] = views[ei]!;
      const L = P.labels[ei]!;
      for (let r = 0; r < L.length; r++) if (L[r] === 0) fn(a, b, r);
    }
  };
  const mu = new Float64Array(K);
  const sd = new Float64Array(K);
  let n = 0;
  nullRows((a, b, r) => {
    n++;
    for (let j = 0; j < K; j++) mu[j]! += a[r * K + j]! - b[r * K + j]!;
  });
  for (let j = 0; j < K; j++) mu[j]! /= n;
  nullRows((a, b, r) => {
    for (let j = 0; j < K; j++) sd[j]! += (a[r * K + j]! - b[r * K + j]! - mu[j]!) ** 2;
  });
  for (let j = 0; j < K; j++) sd[j] = Math.sqrt(sd[j]! / n) || 1;
  const edges: number[][] = [];
  const binSd: number[][] = [];
  if (bins) {
    for (let j = 0; j < K; j++) {
      const lv: number[] = [];
      const df: number[] = [];
      nullRows((a, b, r) => {
        lv.push(Math.min(a[r * K + j]!, b[r * K + j]!));
        df.push(a[r * K + j]! - b[r * K + j]! - mu[j]!);
      });
      const srt = Float64Array.from(lv).sort();
      const ed = Array.from({ length: BINS - 1 }, (_, i) => srt[Math.floor(((i + 1) / BINS) * srt.length)]!);
      const ss = new Float64Array(BINS);
      const nn = new Float64Array(BINS);
      lv.forEach((v, i) => {
        let bi = 0;
        while (bi < BINS - 1 && v > ed[bi]!) bi++;
        ss[bi]! += df[i]! ** 2;
        nn[bi]!++;
      });
      edges.push(ed);
      binSd.push(Array.from(ss, (v, i) => (nn[i]! >= 20 ? Math.sqrt(v / nn[i]!) : sd[j]!)));
    }
  }
  const spread = (j: number, a: number, b: number) => {
    if (!bins) return sd[j]!;
    const m = Math.min(a, b);
    let bi = 0;
    while (bi < BINS - 1 && m > edges[j]![bi]!) bi++;
    return binSd[j]![bi]!;
  };
  const ewma = (ei: number) => {
    const [a, b] = views[ei]!;
    const T = P.labels[ei]!.length;
    const e = new Float64Array(K);
    const out: Float64Array[] = [];
    for (let r = 0; r < T; r++) {
      for (let j = 0; j < K; j++) {
        const x = a[r * K + j]!;
        const y = b[r * K + j]!;
        e[j] = (1 - LAMBDA) * e[j]! + (LAMBDA * (x - y - mu[j]!)) / spread(j, x, y);
      }
      out.push(e.slice());
    }
    return out;
  };
  const warm = Math.ceil(1 / LAMBDA);
  const cov = new Float64Array(K * K);
  let cn = 0;
  for (const ei of P.fitIdx) {
    const L = P.labels[ei]!;
    ewma(ei).forEach((e, r) => {
      if (r < warm || L[r] !== 0) return;
      cn++;
      for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) cov[i * K + j]! += e[i]! * e[j]!;
    });
  }
  let tr = 0;
  for (let i = 0; i < K * K; i++) cov[i]! /= cn;
  for (let i = 0; i < K; i++) tr += cov[i * K + i]!;
  for (let i = 0; i < K; i++) cov[i * K + i]! += (1e-3 * tr) / K;
  const W = inverseSqrt(cov, K);
  const Si = new Float64Array(K * K);
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) for (let k = 0; k < K; k++) Si[i * K + j]! += W[i * K + k]! * W[k * K + j]!;
  const g = new Float64Array(K);
  return (ei) => {
    const E = ewma(ei);
    const out = new Float64Array(E.length);
    E.forEach((e, r) => {
      if (statName === 'mewma') {
        let q = 0;
        for (let i = 0; i < K; i++) {
          let v = 0;
          for (let j = 0; j < K; j++) v += W[i * K + j]! * e[j]!;
          q += v * v;
        }
        out[r] = Math.sqrt(q / K);
        return;
      }
      out[r] = sparseStatistic(Si, K, e, g);
    });
    return out;
  };
}

function evaluateVariant(name: string, seed: number, views: Views, P: Prepared, K: number, kind: string): string {
  const score = scorer(views, P, K, kind);
  const c = calibrateThreshold(
    P.calIdx.map((ei) => ({ scores: score(ei), labels: P.labels[ei]! })),
    FAR,
    REARM,
  );
  const o = P.heldIdx.map((ei) => {
    const sc = score(ei);
    const e = P.set.episodes[ei]!;
    const scored = { episode: e.episode, step: e.step, score: sc, active: P.events[ei]!.active, onsets: P.events[ei]!.onsets, flags: flagRows(sc, c.threshold, REARM) };
    return { ...episodeOutcome(scored, H), episode: seed * 1e6 + e.episode };
  });
  results.set(name, [...(results.get(name) ?? []), ...o]);
  const ev = evaluateOutcomes(o, H, { resamples: 10 });
  return `${name.padEnd(24)} K=${String(K).padStart(2)} AUROC ${ev.auroc.toFixed(3)} before ${ev.flaggedBefore}/${ev.conflicts} lead ${ev.medianLead} FA/1000 ${ev.falseAlarmsPer1000.toFixed(2)}`;
}

const viewsOf = (vm: SharedViewModel, set: EpisodeSet): Views => set.episodes.map((e) => vm.views([e.hidden[0]!, e.hidden[1]!], e.length));

/** A coder whose "latents" are the run's true thoughts (diagnostic upper bound on what views of the thoughts give). */
function truthCoder(dir: string, set: EpisodeSet): LatentCoder {
  const truth = readRunTruth(dir);
  const d = set.dims[0]!;
  const key = (h: ArrayLike<number>, r: number) => `${h[r * d]},${h[r * d + 1]},${h[r * d + 2]}`;
  const rowOf = new Map<string, number>();
  for (const e of set.episodes) for (let r = 0; r < e.length; r++) rowOf.set(key(e.hidden[0]!, r), truth.rowOf.get(e.episode * 0x100000000 + e.step[r]!)!);
  const n = truth.n;
  return {
    agents: set.agents,
    nLatents: n,
    classes: truth.owners.map((o) => (o.length > 1 ? 'shared' : `private-${o[0]}`)),
    encode(hidden, rows) {
      const out = new Float32Array(rows * n);
      for (let r = 0; r < rows; r++) out.set(truth.values.subarray(rowOf.get(key(hidden[0]!, r))! * n, (rowOf.get(key(hidden[0]!, r))! + 1) * n), r * n);
      return out;
    },
  };
}

for (const seed of seeds) {
  const t0 = Date.now();
  const dir = join(root, `dev-l${LAG}-s${seed}`);
  if (!existsSync(dir)) await recordSynthetic(dir, { episodes: 100, steps: 200, hiddenSize: 64, seed, conflicts: { fraction: 0.5, lag: LAG } });
  if (!existsSync(dir + '-train')) copyEpisodes(dir, dir + '-train', (e) => e < 60);
  const ck = join(root, `dev-ckpt-l${LAG}-s${seed}`);
  if (!existsSync(join(ck, 'split.json'))) {
    rmSync(ck, { recursive: true, force: true });
    await trainDictionary({ runs: [dir + '-train'], out: ck, config: { latents: 32, k: 2, steps: 1500, seed, batchSize: 512, lr: 3e-3, deadAfter: 20_000 } });
  }
  const coder = coderFromModel(loadCheckpoint(ck), readCheckpointJson<SplitResult>(ck, 'split.json')!);
  const set = loadEpisodes(openRun(dir));
  const ref = set.episodes.map((_, i) => i).filter((i) => set.episodes[i]!.episode < 60);
  const order = [...ref];
  shuffleInPlace(makeRng(seed), order);
  const nCal = Math.round(0.3 * order.length);
  const calIdx = order.slice(0, nCal).sort((a, b) => a - b);
  const fitIdx = order.slice(nCal).sort((a, b) => a - b);
  const heldIdx = set.episodes.map((_, i) => i).filter((i) => set.episodes[i]!.episode >= 60);
  const pred = makeEventPredicate(resolveEventSpec(set.agents, set.columnSpecs), set.agents, set.columnSpecs);
  const events = set.episodes.map((e) => episodeEvents(pred, e.columns, e.length));
  const labels = set.episodes.map((e, i) => stepLabels(e.step, events[i]!.active, events[i]!.onsets, H));
  const P: Prepared = { set, fitIdx, calIdx, heldIdx, labels, events };
  const fitSet = { ...set, episodes: fitIdx.map((i) => set.episodes[i]!) };
  const mask = (ei: number, r: number) => labels[fitIdx[ei]!]![r] === 0;
  const feat = { randomFeatures: 256, featureSeed: 0, mask };
  const current = { ridge: 1e-3, consensus: 2 };
  const sources: [string, SharedViewModel][] = [
    ['S', fitDictionaryViews(fitSet, [0, 1], coder, { split: true, ridge: 1e-2, ...feat })],
    ['A', fitDictionaryViews(fitSet, [0, 1], coder, { split: false, ridge: 1e-2, ...feat })],
    ['C8', fitCcaViews(fitSet, [0, 1], { components: 8, ...feat })],
    ['S rel≥0.9', fitDictionaryViews(fitSet, [0, 1], coder, { split: true, ridge: 1e-2, minReliability: 0.9, ...feat })],
    ['S consensus', fitDictionaryViews(fitSet, [0, 1], coder, { split: true, ...current, ...feat })],
    ['Sx', fitDictionaryViews(fitSet, [0, 1], coder, { split: true, ...current, minReliability: 0.9, ...feat })],
    ['Ax', fitDictionaryViews(fitSet, [0, 1], coder, { split: false, ...current, ...feat })],
  ];
  if (args.has('oracle')) sources.push(['oracle (true thoughts)', fitDictionaryViews(fitSet, [0, 1], truthCoder(dir, set), { split: true, ...current, ...feat })]);
  const lines = [`seed ${seed}: ${sources.map(([n, vm]) => `${n}: ${vm.latents.map((l) => l.id).join(',')}`).join(' | ')}`];
  for (const kind of kinds) for (const [name, vm] of sources) lines.push(evaluateVariant(`${name} ${kind}`, seed, viewsOf(vm, set), P, vm.latents.length, kind));
  process.stdout.write(lines.join('\n') + `\n[${((Date.now() - t0) / 1000).toFixed(0)} s]\n`);
}
const out = ['', `pooled over seeds ${seeds.join(', ')} (AUROC: mean of per-seed AUROC), lag ${LAG}, H ${H}, λ ${LAMBDA}`];
for (const [name, o] of results) {
  const bySeed = new Map<number, EpisodeOutcome[]>();
  for (const e of o) bySeed.set(Math.floor(e.episode / 1e6), [...(bySeed.get(Math.floor(e.episode / 1e6)) ?? []), e]);
  const a = [...bySeed.values()].map((g) => stat.auroc(g));
  const ev = evaluateOutcomes(o, H, { resamples: 10 });
  out.push(`${name.padEnd(30)} AUROC ${(a.reduce((x, y) => x + y, 0) / a.length).toFixed(3)} before ${ev.flaggedBefore}/${ev.conflicts} lead ${ev.medianLead} FA/1000 ${ev.falseAlarmsPer1000.toFixed(2)}`);
}
process.stdout.write(out.join('\n') + '\n');
