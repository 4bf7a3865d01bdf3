// Dictionary size and sparsity chosen from the data, for `train` without --latents / --k.
//   probe size   m_p = clamp(largest hidden size, 16, 512) latents
//   k            short probes at m_p for k ∈ {1, 2, 3, 4, 6, 8}; held-out FVU(k) on the episodes
//                held out of training; k* = the smallest k that reaches `kneeFraction` (0.8) of the
//                reduction FVU(1) − min_k FVU(k). More k always lowers FVU, so FVU alone would pick
//                the densest code; the knee stops where extra active latents only fit detail.
//   latents      two probes at (m_p, k*) with different seeds; their codes on held-out rows are
//                matched (Hungarian on |Pearson r|); S = latents reproduced with r ≥ 0.9.
//                m* = ⌈h·S⌉ with headroom h = 1.25 for two agents, 1.5 for three, 1.75 for four or more: room for a
//                few more than the reproducible ones (the split labels latents the witness seed
//                does not reproduce 'rare'). The headroom grows with N because each agent may
//                take its own reading of a shared variable (a decoupled latent) and, in a joint
//                loss over N agents, one agent's private variable weighs 1/N of a shared one, so
//                at 1.25·S with three agents the dictionary spent its room on extra readings and
//                left 13 of 99 private thoughts without a latent (docs/RESULTS.md, twelfth session).
//   growth       after training at m*, the reproducible probe latents the dictionary has no reading
//                of (best |r| < 0.3, probeCoverage.ts) — U of them — make `train` retrain once at
//                m* + ⌈h·U⌉ when config `grow` is set (default off: neutral on held-out runs,
//                docs/RESULTS.md "Growing the dictionary…").
// Every probe is a short run (600 steps or the training's own steps if fewer, batch 512, lr 3e-3)
// on the training episodes only.
import { encodeJoint, decodeAgent, releaseModel } from '../model/inference.js';
import type { SaeModel } from '../checkpoint/checkpoint.js';
import type { EpisodeSample } from '../split/heldOut.js';
import { pearsonMatrix } from '../eval/correlation.js';
import { fractionUnexplained } from '../eval/fvu.js';
import { matchByCorrelation } from '../eval/mcc.js';
import { withoutDense } from '../model/normalisation.js';

export interface SizeChoice {
  latents: number;
  k: number;
  /** How it was chosen (stored in the checkpoint and printed). */
  reason: string;
  probe: { latents: number; k: number[]; fvu: number[]; stable: number | null; stableAt: number };
  /** Set when the dictionary was retrained larger because it left reproducible probe latents unread (probeCoverage.ts). */
  grown?: { from: number; unread: number; r: number[] };
}

/**
 * The first probe and the indices of its latents the second seed reproduced, kept (when the
 * latents were chosen) for the coverage check after training; the caller releases `model`.
 */
export interface ProbeReference {
  model: SaeModel;
  reproduced: number[];
}

export const PROBE_CONFIG = { steps: 600, batchSize: 512, lr: 3e-3, warmupSteps: 30 } as const;

/** Probe settings for a training of `steps` steps: never longer than the training itself. */
export function probeConfig(steps: number): { steps: number; batchSize: number; lr: number; warmupSteps: number } {
  const s = Math.max(20, Math.min(PROBE_CONFIG.steps, steps));
  return { ...PROBE_CONFIG, steps: s, warmupSteps: Math.min(PROBE_CONFIG.warmupSteps, Math.floor(s / 10)) };
}
export const K_GRID = [1, 2, 3, 4, 6, 8];
export const KNEE_FRACTION = 0.8;
export const STABLE_R = 0.9;

/** Mean over agents of Σ‖x − x̂‖² / Σ‖x − x̄‖² on the sample (raw units). */
export function sampleFvu(model: SaeModel, sample: EpisodeSample): number {
  const z = encodeJoint(model, sample.xs, sample.rows);
  let sum = 0;
  model.cfg.agents.forEach((ag, a) => {
    const f = fractionUnexplained(withoutDense(sample.xs[a]!, model.norms[a]!), decodeAgent(model, a, z, sample.rows), sample.rows, ag.dim);
    sum += Number.isFinite(f) ? f : 0;
  });
  return sum / model.cfg.agents.length;
}

/**
 * Per latent of `a`: its Hungarian match among `b`'s latents (−1: none) and the |r| of their codes on
 * the sample (`r`), and its best |r| with any latent of `b` (`rAny`; the split's duplicate test).
 */
export function crossSeedStability(a: SaeModel, b: SaeModel, sample: EpisodeSample): { match: Int32Array; r: Float64Array; rAny: Float64Array } {
  const ma = a.cfg.latents;
  const mb = b.cfg.latents;
  const za = encodeJoint(a, sample.xs, sample.rows);
  const zb = encodeJoint(b, sample.xs, sample.rows);
  const C = pearsonMatrix(za, ma, zb, mb, sample.rows);
  const M = matchByCorrelation(C, ma, mb);
  // Per latent of a, its best |r| with any latent of b (one latent of b may be best for several).
  const rAny = new Float64Array(ma);
  for (let i = 0; i < ma; i++) for (let j = 0; j < mb; j++) rAny[i] = Math.max(rAny[i]!, Math.abs(C[i * mb + j]!) || 0);
  return { match: Int32Array.from(M.match), r: Float64Array.from(M.corr), rAny };
}

/**
 * Latents per reproducible probe latent for N agents: 1.25 for two, 1.5 for three, 1.75 for four or
 * more (measured up to four; held there so a network run of 16 or 100 nodes is not sized at many
 * times its reproducible latents). 1.5 for two agents was tried in the twelfth session and not
 * kept: 9 → 14 of 27 development runs met every split target, but fresh runs went 8 → 7 of 18
 * (docs/RESULTS.md, "Headroom 1.5 for two agents").
 */
export function sizeHeadroom(agents: number): number {
  return agents >= 4 ? 1.75 : agents === 3 ? 1.5 : 1.25;
}

export type ProbeTrainer = (latents: number, k: number, seed: number) => Promise<SaeModel>;

export async function chooseSize(
  dims: number[],
  sample: EpisodeSample,
  train: ProbeTrainer,
  seed: number,
  fixed: { latents?: number; k?: number },
  log: (line: string) => void,
): Promise<SizeChoice & { reference?: ProbeReference }> {
  const mp = fixed.latents ?? Math.max(16, Math.min(512, Math.max(...dims)));
  const ks: number[] = [];
  const fvus: number[] = [];
  let atK: SaeModel | null = null;
  let k = fixed.k ?? NaN;
  if (fixed.k === undefined) {
    const models: SaeModel[] = [];
    for (const kk of K_GRID.filter((x) => x <= mp)) {
      const model = await train(mp, kk, seed);
      ks.push(kk);
      fvus.push(sampleFvu(model, sample));
      models.push(model);
      log(`size: probe ${mp} latents, k ${kk}: held-out FVU ${fvus.at(-1)!.toFixed(4)}`);
    }
    const best = Math.min(...fvus);
    const gain = fvus[0]! - best;
    const at = fvus.findIndex((f) => fvus[0]! - f >= KNEE_FRACTION * gain - 1e-12);
    k = ks[Math.max(0, at)]!;
    atK = models[Math.max(0, at)]!;
    models.forEach((m) => m !== atK && releaseModel(m));
  }
  let latents = fixed.latents ?? NaN;
  let stable: number | null = null;
  let reference: ProbeReference | undefined;
  const headroom = sizeHeadroom(dims.length);
  if (fixed.latents === undefined) {
    atK ??= await train(mp, k, seed);
    const other = await train(mp, k, seed + 1);
    const st = crossSeedStability(atK, other, sample).r;
    const reproduced = [...st.keys()].filter((i) => st[i]! >= STABLE_R);
    stable = reproduced.length;
    releaseModel(other);
    latents = Math.max(2, Math.ceil(headroom * stable));
    log(`size: ${stable} of ${mp} probe latents reproduced by a second seed (r ≥ ${STABLE_R}) → ${latents} latents`);
    reference = { model: atK, reproduced };
    atK = null;
  }
  if (atK) releaseModel(atK);
  k = Math.min(k, latents);
  const reason =
    (fixed.k === undefined
      ? `k ${k}: smallest k reaching ${KNEE_FRACTION * 100}% of the held-out FVU reduction from k 1 to the best of k ∈ {${ks.join(', ')}} (FVU ${fvus.map((f) => f.toFixed(3)).join(', ')}) at ${mp} probe latents`
      : `k ${k} given`) +
    '; ' +
    (fixed.latents === undefined
      ? `latents ${latents}: ${headroom} × the ${stable} probe latents a second seed reproduces (code r ≥ ${STABLE_R}; ${headroom} for ${dims.length} agents)`
      : `latents ${latents} given`);
  return { latents, k, reason, probe: { latents: mp, k: ks, fvu: fvus, stable, stableAt: mp }, ...(reference ? { reference } : {}) };
}
