// How much of a latent's evidence a second, differently seeded dictionary (the witness) leaves
// unexplained. A latent the witness does not reproduce is either one seed's accident (the witness
// explains the same content its own way: merged, split or spread over other latents) or content the
// witness never learned (at capacity, a seed keeps some variables and drops others). Only the
// second leaves that content in the witness's residual.
//
// Per latent j, on the sample rows where z_j > 0, for the agent a whose residual j explains best:
//   primary   p = ⟨Σ_r z_rj e_r, D̂_a[j]⟩² / (Σ_r z_rj² · Σ_r ‖e_r‖²), e_r = x̃_a,r − x̂_a,r + z_rj·D_a[j]
//             (the primary's residual with j put back: j's uncapped R², as in usageStats.ts)
//   witness   w = the same with e_r = x̃_a,r − x̂ʷ_a,r (the witness's residual, nothing put back)
//   leftover  w / p: ≈ 1 when the witness left j's content in its residual, ≈ 0 when it explains it.
// Units: the primary's normalised space of a (both models see the same raw rows).
import type { SaeModel } from '../checkpoint/checkpoint.js';
import { decodeAgent, encodeJoint } from '../model/inference.js';
import type { EpisodeSample } from './heldOut.js';
import { withoutDense } from '../model/normalisation.js';

export function witnessLeftover(model: SaeModel, witness: SaeModel, sample: EpisodeSample): Float64Array {
  const m = model.cfg.latents;
  const rows = sample.rows;
  const z = encodeJoint(model, sample.xs, rows);
  const zw = encodeJoint(witness, sample.xs, rows);
  const best = new Float64Array(m);
  const out = new Float64Array(m);
  model.cfg.agents.forEach((ag, a) => {
    const d = ag.dim;
    const x = withoutDense(sample.xs[a]!, model.norms[a]!);
    const xp = decodeAgent(model, a, z, rows);
    const xw = decodeAgent(witness, a, zw, rows);
    const D = model.params[`dec.${ag.id}.W`]?.data as Float32Array | undefined;
    if (!D) return; // MLP decoders ('jacobian') have no single direction: no leftover test.
    const inv = 1 / model.norms[a]!.scale;
    for (let j = 0; j < m; j++) {
      let n2 = 0;
      for (let i = 0; i < d; i++) n2 += D[j * d + i]! ** 2;
      const nrm = Math.sqrt(n2);
      if (!(nrm > 0)) continue;
      let szz = 0;
      let sp = 0;
      let ep = 0;
      let sw = 0;
      let ew = 0;
      for (let r = 0; r < rows; r++) {
        const v = z[r * m + j]!;
        if (!(v > 0)) continue;
        let pp = 0;
        let qp = 0;
        let pw = 0;
        let qw = 0;
        for (let i = 0; i < d; i++) {
          const dir = D[j * d + i]! / nrm;
          const resP = (x[r * d + i]! - xp[r * d + i]!) * inv + v * D[j * d + i]!;
          const resW = (x[r * d + i]! - xw[r * d + i]!) * inv;
          pp += resP * dir;
          qp += resP * resP;
          pw += resW * dir;
          qw += resW * resW;
        }
        szz += v * v;
        sp += v * pp;
        ep += qp;
        sw += v * pw;
        ew += qw;
      }
      if (!(szz > 0 && ep > 0 && ew > 0)) continue;
      const p = (sp * sp) / (szz * ep);
      if (p > best[j]!) {
        best[j] = p;
        out[j] = (sw * sw) / (szz * ew) / p;
      }
    }
  });
  return out;
}
