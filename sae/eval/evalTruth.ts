// eval-truth: a checkpoint against a synthetic run's ground truth. Reads truth/structure.json
// (per true latent the agents holding it) and truth/latents.arrows (episode, step, true
// latent values) through data/, encodes the run's joined steps and scores the recovery.
import { resolve } from 'node:path';
import type { Table } from 'apache-arrow';
import { openRun, readTruthJson, readTruthTable, readTruthThoughts, stepKey } from '../../data/index.js';
import type { SaeModel } from '../checkpoint/checkpoint.js';
import { CheckpointError } from '../errors.js';
import { encodeJoint } from '../model/inference.js';
import type { SplitResult } from '../split/split.js';
import { episodeFilter, type EpisodeSet } from '../split/heldOut.js';
import { decoderNorms, signedCodes } from '../split/signedPairs.js';
import {
  evaluateRecovery,
  trueClass,
  type RecoveryOptions,
  type RecoveryReport,
} from './recovery.js';

export interface RunTruth {
  owners: string[][];
  n: number;
  /** (episode, step) → row of `values`. */
  rowOf: Map<number, number>;
  values: Float32Array;
  /**
   * Where the truth carries each agent's own copy of the thoughts (`thoughts_<agent>` columns, as
   * synthetic runs do): per agent a and thought t held by several agents, the drift of a's copy
   * from the common value, copy_a[t] − thoughts[t] (non-zero only where a planted conflict moves
   * a's copy). A drift is private to its agent. Columns: rows × drift.agent.length.
   */
  drift: { agent: string[]; thought: number[]; values: Float32Array } | null;
}


interface StructureJson {
  thoughts?: { id: number; agents: string[] }[];
  latents?: { id: number; agents: string[] }[];
}

/** Ground truth of a synthetic run (structure and per-step true latents). */
export function readRunTruth(runDir: string): RunTruth {
  const st = readTruthJson<StructureJson>(runDir, 'structure.json');
  const list = st.thoughts ?? st.latents;
  if (!Array.isArray(list))
    throw new CheckpointError(`truth/structure.json has no 'thoughts' (or 'latents') list`, {
      file: runDir,
    });
  const owners = [...list].sort((a, b) => a.id - b.id).map((t) => [...t.agents]);
  const n = owners.length;
  const table: Table = readTruthTable(runDir, 'latents.arrows');
  const agents = [...new Set(owners.flat())];
  const t = readTruthThoughts(table, n, agents, (m) => new CheckpointError(`truth/latents.arrows ${m}`, { file: runDir }));
  const { rows, values } = t;
  // Per agent copies (synthetic runs write them): the drift of each copy of a thought several agents hold.
  let drift: RunTruth['drift'] = null;
  if (t.copies.length) {
    const cols: { agent: string; thought: number; copy: Float32Array }[] = [];
    for (const { agent, values: copy } of t.copies) {
      owners.forEach((ow, th) => ow.length > 1 && ow.includes(agent) && cols.push({ agent, thought: th, copy }));
    }
    const q = cols.length;
    const dv = new Float32Array(rows * q);
    cols.forEach((c, k) => {
      for (let r = 0; r < rows; r++) dv[r * q + k] = c.copy[r * n + c.thought]! - values[r * n + c.thought]!;
    });
    drift = { agent: cols.map((c) => c.agent), thought: cols.map((c) => c.thought), values: dv };
  }
  const rowOf = new Map<number, number>();
  for (let r = 0; r < rows; r++) rowOf.set(stepKey(t.episode[r]!, t.step[r]!), r);
  return { owners, n, rowOf, values, drift };
}

export interface EvalTruthOptions extends RecoveryOptions {
  /** Rows of the run to score, evenly spaced (default 4096). */
  maxRows?: number;
  /**
   * Episodes to score: 'heldout' (those the checkpoint held out of training), 'train', 'all', or
   * 'auto' (default): held-out episodes when the run is one the checkpoint was trained on, else all.
   */
  episodes?: EpisodeSet | 'auto';
}

export interface TruthEvaluation extends RecoveryReport {
  /** The episode set scored and how many episodes it held. */
  episodeSet: EpisodeSet;
  episodesScored: number;
  /**
   * Per class: variables the split labels with it (a signed pair once) and true thoughts of it;
   * `latents`: the latents labelled with it (a signed pair twice).
   */
  countsVsTruth: Record<string, { labelled: number; truth: number; latents: number }>;
  /**
   * Signed pairs the split found (split.json `signed`). The figures above score each pair as one
   * signed latent, z_j‖D_j‖ − z_k‖D_k‖; `perLatent` scores every latent on its own, each half of a
   * pair matched separately (null when there are no pairs: the figures above are already that).
   */
  signedPairs: number;
  perLatent: {
    mcc: RecoveryReport['mcc'];
    structureF1: number;
    classPrecision: number;
    classRecall: number;
  } | null;
}

/** Encodes the run's steps and scores the recovery against its truth. */
export function evaluateOnRun(
  model: SaeModel,
  split: SplitResult,
  runDir: string,
  o: EvalTruthOptions = {},
): TruthEvaluation {
  const truth = readRunTruth(runDir);
  const run = openRun(runDir);
  const ids = model.cfg.agents.map((a) => a.id);
  const trainedOn = model.meta.training.runs.some((r) => resolve(r.dir) === resolve(runDir));
  const set: EpisodeSet =
    o.episodes === undefined || o.episodes === 'auto'
      ? trainedOn && model.cfg.holdoutEvery >= 2
        ? 'heldout'
        : 'all'
      : o.episodes;
  if (set !== 'all' && model.cfg.holdoutEvery < 2)
    throw new CheckpointError(
      `the checkpoint held no episodes out of training (holdoutEvery ${model.cfg.holdoutEvery}); use --episodes all`,
      { file: runDir },
    );
  const keep = episodeFilter(set, model.cfg.holdoutEvery) ?? (() => true);
  let total = 0;
  const scored = new Set<number>();
  for (const b of run.joined({ agents: ids, reuseBuffer: true, validate: false })) {
    for (let r = 0; r < b.length; r++) {
      if (!keep(b.episode[r]!)) continue;
      total++;
      scored.add(b.episode[r]!);
    }
  }
  if (total === 0)
    throw new CheckpointError(`the run has no steps in the '${set}' episodes`, { file: runDir });
  const want = Math.min(o.maxRows ?? 4096, total);
  const every = Math.max(1, Math.floor(total / Math.max(1, want)));
  const m = model.cfg.latents;
  const codes = new Float32Array(want * m);
  const tv = new Float32Array(want * truth.n);
  const q = truth.drift?.agent.length ?? 0;
  const dv = new Float32Array(want * q);
  let got = 0;
  let seen = 0;
  const buf = model.cfg.agents.map((a) => new Float32Array(1024 * a.dim));
  const keys: number[] = [];
  const flush = (k: number) => {
    if (!k) return;
    const z = encodeJoint(
      model,
      buf.map((b, a) => b.subarray(0, k * model.cfg.agents[a]!.dim)),
      k,
    );
    codes.set(z, (got - k) * m);
    keys.length = 0;
  };
  let pending = 0;
  for (const b of run.joined({ agents: ids, reuseBuffer: true })) {
    for (let r = 0; r < b.length && got < want; r++) {
      if (!keep(b.episode[r]!)) continue;
      if (seen++ % every !== 0) continue;
      const tr = truth.rowOf.get(stepKey(b.episode[r]!, b.step[r]!));
      if (tr === undefined) continue;
      model.cfg.agents.forEach((a, i) =>
        buf[i]!.set(b.hidden[i]!.subarray(r * a.dim, (r + 1) * a.dim), pending * a.dim),
      );
      tv.set(truth.values.subarray(tr * truth.n, (tr + 1) * truth.n), got * truth.n);
      if (q) dv.set(truth.drift!.values.subarray(tr * q, (tr + 1) * q), got * q);
      got++;
      pending++;
      if (pending === 1024) {
        flush(pending);
        pending = 0;
      }
    }
    if (got >= want) break;
  }
  flush(pending);
  if (got < 10)
    throw new CheckpointError(`only ${got} steps of the run have ground truth; cannot score`, {
      file: runDir,
    });
  const drift = q
    ? {
        agents: truth.drift!.agent,
        thoughts: truth.drift!.thought,
        values: dv.subarray(0, got * q),
      }
    : undefined;
  const truthLatents = {
    owners: truth.owners,
    values: tv.subarray(0, got * truth.n),
    rows: got,
    drift,
  };
  const z = codes.subarray(0, got * m);
  const signed = split.signed ?? [];
  const pairs = signed.filter((k, j) => k > j).length;
  let rep: RecoveryReport;
  let perLatent: TruthEvaluation['perLatent'] = null;
  if (pairs) {
    // The signed pair's partner leaves the scoring (its column folded into the pair's first latent).
    const classes = split.classes.map((c, j) => (signed[j]! >= 0 && signed[j]! < j ? 'dead' : c));
    rep = evaluateRecovery(
      truthLatents,
      signedCodes(z, m, got, signed, decoderNorms(model)),
      m,
      classes,
      ids,
      o,
    );
    const each = evaluateRecovery(truthLatents, z, m, split.classes, ids, o);
    perLatent = {
      mcc: each.mcc,
      structureF1: each.structure.f1,
      classPrecision: each.classPrecision,
      classRecall: each.classRecall,
    };
  } else rep = evaluateRecovery(truthLatents, z, m, split.classes, ids, o);
  const countsVsTruth: TruthEvaluation['countsVsTruth'] = {};
  const variables = split.signedCounts ?? split.counts;
  for (const [c, k] of Object.entries(split.counts))
    countsVsTruth[c] = { labelled: variables[c] ?? k, truth: 0, latents: k };
  truth.owners.forEach((ow) => {
    const c = trueClass(ow, ids);
    countsVsTruth[c] ??= { labelled: 0, truth: 0, latents: 0 };
    countsVsTruth[c].truth++;
  });
  return {
    ...rep,
    episodeSet: set,
    episodesScored: scored.size,
    countsVsTruth,
    signedPairs: pairs,
    perLatent,
  };
}
