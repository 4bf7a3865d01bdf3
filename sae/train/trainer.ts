// Trains a paired dictionary on one or more runs, out of core, resumable. The trainer owns
// data (shuffled stream), normalisation, the learning-rate schedule, dead-latent tracking
// for the auxiliary-k loss and checkpoints; an engine (dense or sparse) runs the steps.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { openRun } from '../../data/index.js';
import { selectBackend, type BackendInfo } from '../backend.js';
import { describeMatmul, selectMatmul, type MatmulInfo } from '../matmul.js';
import {
  loadCheckpoint,
  loadOptimizerState,
  makeCheckpointCfg,
  recoverCheckpoint,
  removeStaleCheckpointTemps,
  saveCheckpoint,
  type SaeModel,
  type TrainingState,
} from '../checkpoint/checkpoint.js';
import { resolveSaeConfig, type ResolvedSaeConfig, type SaeConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { releaseModel } from '../model/inference.js';
import { applyNorm, estimateNorm, withoutDense, type AgentNorm } from '../model/normalisation.js';
import { DENSE_MAX_DIM, estimateDenseSubspace } from '../model/denseSubspace.js';
import { initParams, type ParamSet } from '../model/params.js';
import { analyseModel, type Analysis } from '../split/analyse.js';
import { effectiveHoldout, episodeFilter, MIN_HOLDOUT_ROWS, readEpisodeSample, type EpisodeSample } from '../split/heldOut.js';
import { chooseSize, crossSeedStability, probeConfig, sizeHeadroom, type ProbeReference, type SizeChoice } from './autoSize.js';
import { grownLatents, unreadProbeLatents, UNREAD_R } from './probeCoverage.js';
import { readSample, ShuffledBatches } from './batchStream.js';
import { DenseEngine } from './denseEngine.js';
import type { StepStats, TrainEngine } from './engine.js';
import { learningRate } from './schedule.js';
import { SparseEngine, sparseSupported } from './sparseEngine.js';
import { witnessLeftover } from '../split/witnessLeftover.js';

export interface TrainProgress {
  step: number;
  steps: number;
  pairs: number;
  pairsPerSec: number;
  loss: number;
  recon: number[];
  l0: number;
  deadFraction: number;
  epoch: number;
  /** 'train', or 'witness' while the second seed that checks reproducibility trains. */
  phase?: 'train' | 'witness';
}

export interface TrainOptions {
  runs: string[];
  /** Checkpoint folder. */
  out: string;
  /** Config without agents (taken from the runs) or with them (checked against the runs). */
  config: Omit<SaeConfig, 'agents'> & { agents?: SaeConfig['agents'] };
  /** Continue from the checkpoint in `out` if there is one. */
  resume?: boolean;
  /** The size a first training chose, when this training is its grown retraining (probeCoverage.ts). */
  chosenSize?: SizeChoice;
  /** Stop after this many steps in this call (the schedule still spans config.steps). */
  stopAfter?: number;
  /** Stop after this much wall-clock time (ms). */
  timeBudgetMs?: number;
  /** Threads of the sparse engine (default 1; 2 uses a worker thread for half the latents). */
  threads?: number;
  /** Skip the split and metrics at the end (benchmarks). */
  skipAnalysis?: boolean;
  /** config.holdoutEvery was already checked against these runs (the nested probe and witness trainings). */
  holdoutChecked?: boolean;
  onProgress?: (p: TrainProgress) => void;
  log?: (line: string) => void;
}

export interface TrainResult {
  dir: string;
  model: SaeModel;
  backend: BackendInfo;
  engine: string;
  steps: number;
  pairsPerSec: number;
  analysis: Analysis | null;
  last: StepStats | null;
}

/** cfg.json of an existing checkpoint folder, or null when it cannot be read. */
function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function definedFields<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function agentsOfRuns(runs: string[]): { id: string; dim: number }[] {
  const m = openRun(runs[0]!).manifest;
  return m.agents.map((a) => ({ id: a.id, dim: a.hiddenSize }));
}

function sameTraining(a: ResolvedSaeConfig, b: ResolvedSaeConfig): string | null {
  const keys: (keyof ResolvedSaeConfig)[] = ['mode', 'latents', 'seed', 'batchSize', 'steps', 'lr'];
  for (const k of keys) if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return `${String(k)} (checkpoint ${JSON.stringify(a[k])}, now ${JSON.stringify(b[k])})`;
  if (JSON.stringify(a.agents) !== JSON.stringify(b.agents)) return 'agents';
  return null;
}

/**
 * `threads`: worker threads of the sparse engine (1: none; the dense engine ignores it).
 * `matmul`: what runs the sparse engine's dense encoder product (selectMatmul; default tfjs).
 */
export function makeEngine(cfg: ResolvedSaeConfig, params: ParamSet, backend: BackendInfo, opts: { threads?: number; matmul?: MatmulInfo } = {}): TrainEngine {
  const wantSparse = cfg.engine === 'sparse' || (cfg.engine === 'auto' && (backend.name === 'wasm' || backend.name === 'cpu'));
  if (wantSparse && sparseSupported(cfg)) return new SparseEngine(cfg, params, { threads: opts.threads ?? 1, gemm: opts.matmul?.gemm ?? null });
  if (cfg.engine === 'sparse') throw new ConfigError(`engine 'sparse' supports modes batchtopk and partitioned, not '${cfg.mode}'`);
  return new DenseEngine(cfg, params);
}

export async function trainDictionary(o: TrainOptions): Promise<TrainResult> {
  const runs = o.runs.map((r) => resolve(r));
  const log = o.log ?? (() => {});
  const agents = o.config.agents ?? agentsOfRuns(runs);
  const asked = resolveSaeConfig({ ...o.config, agents } as SaeConfig);
  const ids = asked.agents.map((a) => a.id);
  // The hold-out actually used (0 when the runs have too few episodes to hold any out).
  const holdoutEvery = o.holdoutChecked ? asked.holdoutEvery : effectiveHoldout(runs, ids, asked.holdoutEvery);
  if (holdoutEvery !== asked.holdoutEvery) {
    log(
      holdoutEvery >= 2
        ? `too few episodes to hold every ${asked.holdoutEvery}th out: holding every ${holdoutEvery}th out instead`
        : `too few episodes to hold any out (every ${asked.holdoutEvery}th to every 2nd leaves under ${MIN_HOLDOUT_ROWS} rows on one side): training and splitting on all episodes, so the split and eval-truth are in-sample`,
    );
  }
  const out0 = resolve(o.out);
  const resuming = o.resume === true && existsSync(join(out0, 'cfg.json'));
  const given = o.config as { latents?: number; k?: number };
  // The held-out rows the size probes and the split are scored on: read once, when first needed.
  let heldSample: EpisodeSample | null = null;
  const sampleSet = holdoutEvery >= 2 ? 'heldout' : 'all';
  const analysisSample = () => (heldSample ??= readEpisodeSample(runs, ids, asked.split.sampleRows, episodeFilter(sampleSet, holdoutEvery)));
  // Rows of every episode, for the split's episode spread (analyseModel).
  const spreadSample = () => (sampleSet === 'all' ? analysisSample() : readEpisodeSample(runs, ids, asked.split.sampleRows, null));
  let size: SizeChoice | null = o.chosenSize ?? null;
  let reference: ProbeReference | null = null;
  // Resuming a training whose size train chose (e.g. after a kill): the checkpoint's size and its
  // record, not a new choice — the probes would run again and the default would not match.
  let resumedSize: { latents?: number; k?: number } = {};
  if (resuming && !size && (given.latents === undefined || given.k === undefined)) {
    const prev = readJson(join(out0, 'cfg.json')) as { config?: { latents?: number; k?: number }; training?: { size?: SizeChoice } } | null;
    size = prev?.training?.size ?? null;
    resumedSize = { latents: given.latents ?? prev?.config?.latents, k: given.k ?? prev?.config?.k };
  }
  if (!size && !resuming && asked.mode === 'batchtopk' && (given.latents === undefined || given.k === undefined)) {
    // Size from the data: short probes on the training episodes, scored on the held-out ones.
    mkdirSync(dirname(out0), { recursive: true });
    const probeRoot = mkdtempSync(join(dirname(out0), `.${basename(out0)}.probe-`));
    try {
      const chosen = await chooseSize(
        asked.agents.map((a) => a.dim),
        analysisSample(),
        async (latents, k, seed) => {
          const r = await trainDictionary({
            runs,
            out: join(probeRoot, `${latents}-${k}-${seed}`),
            config: { ...o.config, agents, ...probeConfig(asked.steps), latents, k, seed, witness: false, holdoutEvery, checkpointEvery: 0 },
            skipAnalysis: true,
            holdoutChecked: true,
            threads: o.threads,
          });
          return r.model;
        },
        asked.seed,
        { latents: given.latents, k: given.k },
        log,
      );
      const { reference: ref, ...choice } = chosen;
      size = choice;
      reference = ref ?? null;
    } finally {
      rmSync(probeRoot, { recursive: true, force: true });
    }
    log(`size: ${size.reason}`);
  }
  const cfg =
    holdoutEvery === asked.holdoutEvery && !size && resumedSize.latents === undefined
      ? asked
      : resolveSaeConfig({ ...o.config, agents, holdoutEvery, ...definedFields(resumedSize), ...(size ? { latents: size.latents, k: size.k } : {}) } as SaeConfig);
  const backend = await selectBackend(cfg.backend);
  const trainEpisodes = episodeFilter('train', cfg.holdoutEvery);
  const stream = new ShuffledBatches({ runs, agents: ids, batchSize: cfg.batchSize, seed: cfg.seed, bufferRows: cfg.shuffleBuffer, episodes: trainEpisodes });
  const runInfo = runs.map((dir) => {
    const r = openRun(dir);
    return { dir, id: r.manifest.id, rows: Math.min(...ids.map((id) => r.manifest.counts[id]?.rows ?? 0)) };
  });

  let params: ParamSet;
  let norms: AgentNorm[];
  let opt: ParamSet | null = null;
  let state: TrainingState = { step: 0, pairsSeen: 0, threshold: NaN, runs: runInfo, finished: false, ...(size ? { size } : {}) };
  const m = cfg.latents;
  let sinceFired = new Float64Array(m);
  const out = resolve(o.out);
  if (o.resume && recoverCheckpoint(out) !== 'none') log(`recovered the checkpoint in ${out} from a save that a crash interrupted`);
  const stale = removeStaleCheckpointTemps(out);
  if (stale.length) log(`removed ${stale.length} temporary folder(s) that killed saves left next to ${basename(out)}: ${stale.join(', ')}`);
  if (o.resume && existsSync(join(out, 'cfg.json'))) {
    const ck = loadCheckpoint(out);
    const diff = sameTraining(ck.cfg, cfg);
    if (diff) throw new ConfigError(`cannot resume: the checkpoint was trained with a different ${diff}`);
    params = ck.params;
    norms = ck.norms;
    state = { ...ck.meta.training, threshold: ck.meta.training.threshold ?? NaN, runs: runInfo };
    opt = loadOptimizerState(out);
    const sf = opt?.['state.sinceFired'];
    if (sf) sinceFired = Float64Array.from(sf.data);
    log(`resuming from step ${state.step} of ${cfg.steps} (${out})`);
  } else {
    params = initParams(cfg);
    // Normalisation from the first rows of a separately seeded shuffled stream.
    const sample = readSample(runs, ids, cfg.normRows, cfg.seed ^ 0x6e6f726d, trainEpisodes);
    norms = cfg.agents.map((a, i) => estimateNorm([sample.xs[i]!], a.dim));
    if (cfg.denseSubspace === 'auto') {
      // From a sample that does not depend on the seed, so that the witness seed and the size
      // probes set aside the same subspace as the dictionary they are compared with.
      const fixed = readSample(runs, ids, cfg.normRows, 0x64656e73, trainEpisodes);
      norms = cfg.agents.map((a, i) => {
        const mean = estimateNorm([fixed.xs[i]!], a.dim).mean;
        const ds = estimateDenseSubspace(fixed.xs[i]!, a.dim, mean);
        if (ds.rank === 0) {
          // Nothing set aside: the agent's normalisation is the one 'off' gives, bit for bit.
          log(`dense subspace: ${a.id} sets aside nothing${a.dim > DENSE_MAX_DIM ? ` (hidden size ${a.dim} > ${DENSE_MAX_DIM}: not examined)` : ` (excess kurtosis of the top components ${ds.kurtosis.join(', ')})`}`);
          return norms[i]!;
        }
        log(`dense subspace: ${a.id} sets aside ${ds.rank} direction${ds.rank === 1 ? '' : 's'} (${(100 * ds.share).toFixed(0)}% of the variance; excess kurtosis of the top components ${ds.kurtosis.join(', ')})`);
        // The scale of the states the dictionary models (E‖x̃‖ = √d on x').
        return { ...estimateNorm([withoutDense(sample.xs[i]!, { mean, scale: 1, dense: ds.basis })], a.dim), mean, dense: ds.basis };
      });
    }
  }
  // Threads also come as a config field (`--config '{"threads":2}'` on the command line).
  const threads = o.threads ?? (o.config as { threads?: unknown }).threads ?? 1;
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1) throw new ConfigError(`config field 'threads' must be an integer ≥ 1, got ${JSON.stringify(threads)}`);
  // Native kernels for the sparse engine's encoder product (the dense engine runs on tfjs).
  const wantsMatmul = sparseSupported(cfg) && (cfg.engine === 'sparse' || (cfg.engine === 'auto' && (backend.name === 'wasm' || backend.name === 'cpu')));
  const matmul = wantsMatmul ? await selectMatmul(cfg.matmul) : null;
  const engine = makeEngine(cfg, params, backend, { threads, matmul: matmul ?? undefined });
  if (opt) engine.load(params, opt, state.step);
  log(`backend ${backend.name}, engine ${engine.kind}${threads > 1 && engine.kind === 'sparse' ? ` (${threads} threads)` : ''}, mode ${cfg.mode}, ${cfg.agents.map((a) => `${a.id}:${a.dim}`).join(' ')} → ${m} latents`);
  if (engine.kind === 'sparse' && matmul) log(describeMatmul(matmul, backend.name));

  // Replay the data stream up to where the checkpoint left it: bit-for-bit resume.
  for (let s = 0; s < state.step; s++) stream.next();

  const normed = cfg.agents.map((a) => new Float32Array(cfg.batchSize * a.dim));
  const dead = new Uint8Array(m);
  const started = performance.now();
  let last: StepStats | null = null;
  let stepsThisCall = 0;
  const current = (finished: boolean): SaeModel => {
    const base = { cfg, params: engine.params(), norms, threshold: state.threshold };
    return { ...base, meta: makeCheckpointCfg(base, backend.name, engine.kind, { ...state, finished }) };
  };
  const snapshot = (finished: boolean, analysis?: Analysis, model = current(finished)): SaeModel => {
    const optState = { ...engine.optimizerState(), 'state.sinceFired': { data: sinceFired, shape: [m] } };
    saveCheckpoint(out, model, { optimizer: optState, split: analysis?.split, metrics: analysis?.metrics });
    return model;
  };

  while (state.step < cfg.steps) {
    if (o.stopAfter !== undefined && stepsThisCall >= o.stopAfter) break;
    if (o.timeBudgetMs !== undefined && performance.now() - started >= o.timeBudgetMs) break;
    const batch = stream.next();
    cfg.agents.forEach((_, a) => applyNorm(batch.xs[a]!, norms[a]!, normed[a]!));
    let anyDead = false;
    for (let j = 0; j < m; j++) {
      dead[j] = sinceFired[j]! >= cfg.deadAfter ? 1 : 0;
      anyDead ||= dead[j] === 1;
    }
    const lr = learningRate(state.step + 1, cfg);
    last = engine.step(normed, batch.rows, lr, anyDead ? dead : null);
    state.step++;
    stepsThisCall++;
    state.pairsSeen += batch.rows;
    for (let j = 0; j < m; j++) sinceFired[j] = last.fired[j]! > 0 ? 0 : sinceFired[j]! + batch.rows;
    if (Number.isFinite(last.threshold)) state.threshold = Number.isFinite(state.threshold) ? 0.99 * state.threshold + 0.01 * last.threshold : last.threshold;
    if (!Number.isFinite(last.loss)) throw new ConfigError(`training diverged at step ${state.step} (loss ${last.loss}); lower --lr`);
    if (o.onProgress) {
      const secs = (performance.now() - started) / 1000;
      let nDead = 0;
      for (let j = 0; j < m; j++) if (sinceFired[j]! >= cfg.deadAfter) nDead++;
      o.onProgress({
        phase: 'train',
        step: state.step,
        steps: cfg.steps,
        pairs: state.pairsSeen,
        pairsPerSec: (stepsThisCall * cfg.batchSize) / Math.max(secs, 1e-6),
        loss: last.loss,
        recon: last.recon,
        l0: last.l0,
        deadFraction: nDead / m,
        epoch: batch.epoch,
      });
    }
    if (cfg.checkpointEvery > 0 && state.step % cfg.checkpointEvery === 0 && state.step < cfg.steps) snapshot(false);
  }
  const secs = (performance.now() - started) / 1000;
  const finished = state.step >= cfg.steps;
  const model = current(finished);
  if (reference) {
    // Reproducible probe latents the dictionary left without any reading: retrain once, larger.
    const unread = finished && cfg.grow && size ? unreadProbeLatents(reference.model, reference.reproduced, model, analysisSample()) : [];
    releaseModel(reference.model);
    reference = null;
    if (unread.length && size) {
      const h = sizeHeadroom(cfg.agents.length);
      const latents = grownLatents(m, unread.length, h);
      log(
        `size: ${unread.length} of the ${size.probe.stable} reproduced probe latents ${unread.length === 1 ? 'has' : 'have'} no reading in the ${m}-latent dictionary ` +
          `(best |r| ${unread.map((u) => u.r.toFixed(2)).join(', ')} < ${UNREAD_R}) → training again at ${m} + ⌈${h} × ${unread.length}⌉ = ${latents} latents`,
      );
      engine.dispose();
      releaseModel(model);
      const grown: SizeChoice = {
        ...size,
        latents,
        reason: `${size.reason}; grown to ${latents}: the ${m}-latent dictionary left ${unread.length} reproduced probe latent${unread.length === 1 ? '' : 's'} unread (best |r| < ${UNREAD_R}), ⌈${h} × ${unread.length}⌉ added`,
        grown: { from: m, unread: unread.length, r: unread.map((u) => Math.round(u.r * 1e4) / 1e4) },
      };
      const sizeCfg = 'k' in cfg ? { latents, k: cfg.k } : { latents };
      return trainDictionary({ ...o, config: { ...o.config, ...sizeCfg }, chosenSize: grown, resume: false });
    }
  }
  let analysis: Analysis | null = null;
  if (!o.skipAnalysis) {
    const sample = analysisSample();
    const spread = spreadSample();
    let witness: Parameters<typeof analyseModel>[4] = undefined;
    if (cfg.witness && finished) {
      // A second dictionary, seeded differently: latents it does not reproduce are not trusted.
      const wdir = join(dirname(out), `.${basename(out)}.witness-${process.pid}`);
      try {
        const wseed = cfg.seed + 1;
        const w = await trainDictionary({
          runs,
          out: wdir,
          config: { ...o.config, agents, latents: cfg.latents, ...('k' in cfg ? { k: cfg.k } : {}), seed: wseed, witness: false, holdoutEvery: cfg.holdoutEvery, checkpointEvery: 0 },
          skipAnalysis: true,
          holdoutChecked: true,
          threads: o.threads,
          onProgress: o.onProgress ? (p) => o.onProgress!({ ...p, phase: 'witness' }) : undefined,
        });
        const st = crossSeedStability(model, w.model, sample);
        const leftover = witnessLeftover(model, w.model, sample);
        const wa = analyseModel(w.model, sample, undefined, sampleSet, undefined, spread);
        releaseModel(w.model);
        witness = { r: st.r, rAny: st.rAny, match: st.match, classes: wa.split.classes, leftover };
        // Counted as the split counts it (split.reproducedByAny: a duplicate the witness holds in
        // one latent is reproduced too), with the one-to-one count beside it.
        const oneToOne = Array.from(st.r).filter((r) => r >= cfg.split.minStability).length;
        const byAny = Array.from(st.r, (r, j) => Math.max(r, st.rAny[j]!)).filter((r) => r >= cfg.split.minStability).length;
        state.witness = {
          seed: wseed,
          reproduced: cfg.split.reproducedByAny ? byAny : oneToOne,
          reproducedOneToOne: oneToOne,
          match: cfg.split.reproducedByAny ? 'any' : 'one',
          latents: cfg.latents,
          minStability: cfg.split.minStability,
        };
        model.meta.training.witness = state.witness;
      } finally {
        rmSync(wdir, { recursive: true, force: true });
      }
    }
    analysis = analyseModel(model, sample, undefined, sampleSet, witness, spread);
    releaseModel(model);
  }
  snapshot(finished, analysis ?? undefined, model);
  engine.dispose();
  return {
    dir: out,
    model,
    backend,
    engine: engine.kind,
    steps: state.step,
    pairsPerSec: (stepsThisCall * cfg.batchSize) / Math.max(secs, 1e-6),
    analysis,
    last,
  };
}
