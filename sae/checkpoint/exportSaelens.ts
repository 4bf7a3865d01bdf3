// A per-agent view of the paired dictionary in the layout SAELens loads: folder with
// sae_weights.safetensors (W_enc [d_in, d_sae], b_enc [d_sae], W_dec [d_sae, d_in],
// b_dec [d_in]) and cfg.json. The agent's normalisation is folded into the weights, so the
// view takes raw hidden states:  z = σ((x − b_dec) W_enc + b_enc),  x̂ = z W_dec + b_dec,
// with W_enc = W_a/s, W_dec = s·D_a, b_dec = s·c_a + μ, b_enc = b − μW_a/s + b_dec W_enc.
// The view reads agent a alone: a shared latent's joint pre-activation also has the other
// agents' terms, which this view cannot see. cfg.json's `thoughtlens` block keeps the
// normalisation (mean, scale) and the BatchTopK threshold, so import-sae rebuilds the joint
// dictionary from the agents' views exactly (sae/checkpoint/importSae.ts).
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic, writeSafetensors } from '../../data/index.js';
import { ConfigError } from '../errors.js';
import { decoderRowMask } from '../model/params.js';
import type { SaeModel } from './checkpoint.js';

export interface SaelensExport {
  dir: string;
  cfg: Record<string, unknown>;
}

export function exportSaelens(model: SaeModel, agentId: string, outDir: string, extra: { classes?: string[] } = {}): SaelensExport {
  const cfg = model.cfg;
  const a = cfg.agents.findIndex((x) => x.id === agentId);
  if (a < 0) throw new ConfigError(`no agent '${agentId}' in this dictionary (agents: ${cfg.agents.map((x) => x.id).join(', ')})`);
  if (cfg.mode === 'jacobian') throw new ConfigError(`mode 'jacobian' has an MLP decoder; SAELens views need a linear decoder`);
  if (model.norms[a]!.dense?.length) {
    throw new ConfigError(
      `agent '${agentId}' has a dense subspace set aside before the dictionary (train --dense-subspace auto); a SAELens view has no place for that projection, so it is not exported`,
    );
  }
  const d = cfg.agents[a]!.dim;
  const m = cfg.latents;
  const { mean, scale: s } = model.norms[a]!;
  const W = model.params[`enc.${agentId}.W`]!.data as Float32Array; // [d, m]
  const D = model.params[`dec.${agentId}.W`]!.data as Float32Array; // [m, d]
  const c = model.params[`dec.${agentId}.b`]!.data as Float32Array;
  const b = model.params['enc.b']!.data as Float32Array;
  const mask = decoderRowMask(cfg, a);
  const Wenc = new Float32Array(d * m);
  for (let i = 0; i < d * m; i++) Wenc[i] = W[i]! / s;
  const Wdec = new Float32Array(m * d);
  for (let j = 0; j < m; j++) for (let i = 0; i < d; i++) Wdec[j * d + i] = mask && mask[j] === 0 ? 0 : s * D[j * d + i]!;
  const bdec = new Float32Array(d);
  for (let i = 0; i < d; i++) bdec[i] = s * c[i]! + mean[i]!;
  const benc = new Float32Array(m);
  for (let j = 0; j < m; j++) {
    let acc = b[j]!;
    for (let i = 0; i < d; i++) acc += (bdec[i]! - mean[i]!) * Wenc[i * m + j]!;
    benc[j] = acc;
  }
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  writeSafetensors(join(dir, 'sae_weights.safetensors'), {
    W_enc: { data: Wenc, shape: [d, m] },
    b_enc: { data: benc, shape: [m] },
    W_dec: { data: Wdec, shape: [m, d] },
    b_dec: { data: bdec, shape: [d] },
  });
  const topk = cfg.mode === 'batchtopk' || cfg.mode === 'partitioned';
  const k = topk ? Math.max(1, Math.round((cfg as { k: number }).k)) : undefined;
  const out: Record<string, unknown> = {
    architecture: topk ? 'topk' : 'standard',
    d_in: d,
    d_sae: m,
    dtype: 'float32',
    device: 'cpu',
    apply_b_dec_to_input: true,
    normalize_activations: 'none',
    finetuning_scaling_factor: false,
    activation_fn_str: topk ? 'topk' : 'relu',
    activation_fn_kwargs: topk ? { k } : {},
    ...(topk ? { k } : {}),
    model_name: `thoughtlens-agent-${agentId}`,
    hook_name: `agent.${agentId}.hidden`,
    hook_layer: 0,
    hook_head_index: null,
    context_size: 1,
    prepend_bos: false,
    dataset_path: '',
    thoughtlens: {
      agent: agentId,
      agents: cfg.agents.map((x) => x.id),
      mode: cfg.mode,
      config: cfg,
      checkpoint: model.dir ?? null,
      normalisation: 'folded into W_enc, b_enc, W_dec, b_dec (inputs are raw hidden states)',
      // The folded normalisation x̃ = (x − mean)/scale, so import-sae can unfold it exactly.
      scale: s,
      mean: Array.from(mean),
      batchTopKThreshold: Number.isFinite(model.threshold) ? model.threshold : null,
      classes: extra.classes ?? null,
    },
  };
  writeFileAtomic(join(dir, 'cfg.json'), JSON.stringify(out, null, 2) + '\n');
  return { dir, cfg: out };
}
