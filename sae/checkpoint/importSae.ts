// Dictionaries trained elsewhere, as thoughtlens checkpoints (usable by split, encode, detect
// and the views):
//  - SAELens SAE folders (cfg.json + sae_weights.safetensors: W_enc [d_in, d_sae], b_enc
//    [d_sae], W_dec [d_sae, d_in], b_dec [d_in]), one per agent. Views exported by
//    export-saelens (cfg.json's `thoughtlens` block: config, mean, scale, threshold) are
//    folded back into the joint dictionary they came from ('shared' layout). Independent
//    SAEs become one dictionary whose latents are each agent's own ('separate' layout:
//    latents concatenated, block-diagonal weights).
//  - dictionary_learning CrossCoder / BatchTopKCrossCoder state dicts (ae.pt or safetensors):
//    encoder.weight [L, d, m], encoder.bias [m], decoder.weight [L, m, d], decoder.bias
//    [L, d], and for BatchTopK the buffers k and threshold; layer l is agent l.
// The unfolding inverts exportSaelens.ts: with x̃ = (x − μ)/s,
//   W_a = s·W_enc, D_a = W_dec/s, c_a = (b_dec − μ)/s, b = b_enc − (b_dec − μ)·W_enc.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readSafetensors, readTorchStateDict, type NamedTensor } from '../../data/index.js';
import { resolveSaeConfig, type ResolvedSaeConfig, type SaeConfig } from '../config.js';
import { CheckpointError } from '../errors.js';
import type { ParamSet } from '../model/params.js';
import { makeCheckpointCfg, type SaeModel } from './checkpoint.js';

export type ImportLayout = 'auto' | 'shared' | 'separate';

export interface ImportedDictionary {
  model: SaeModel;
  /** 'shared': latent j is one latent of every agent; 'separate': each agent's latents are its own. */
  layout: 'shared' | 'separate' | 'crosscoder';
  /** What was read, for import.json. */
  source: Record<string, unknown>;
  /** Approximations the user should know about (printed by the CLI). */
  notes: string[];
}

interface SaelensView {
  agent: string;
  dir: string;
  d: number;
  m: number;
  Wenc: Float32Array;
  benc: Float32Array;
  Wdec: Float32Array;
  bdec: Float32Array;
  topk: boolean;
  k: number | undefined;
  applyBdec: boolean;
  tl: { config?: SaeConfig; agents?: string[]; mean?: number[]; scale?: number; batchTopKThreshold?: number | null; checkpoint?: string | null } | null;
}

function f32(t: NamedTensor | undefined, name: string, shape: number[], file: string): Float32Array {
  if (!t) throw new CheckpointError(`tensor '${name}' is missing (expected shape [${shape}])`, { file });
  if (!(t.data instanceof Float32Array)) throw new CheckpointError(`tensor '${name}' must be F32 (convert with .float() before saving)`, { file });
  if (t.shape.length !== shape.length || t.shape.some((s, i) => s !== shape[i])) {
    throw new CheckpointError(`tensor '${name}' has shape [${t.shape}], expected [${shape}]`, { file });
  }
  return t.data;
}

function readJson(file: string): Record<string, unknown> {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not a JSON object');
    return v as Record<string, unknown>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new CheckpointError(`no such file`, { file });
    throw new CheckpointError(`not a valid JSON object: ${(err as Error).message}`, { file });
  }
}

/** Reads one SAELens SAE folder; errors name the file and what is wrong. */
export function readSaelensFolder(agent: string, dirIn: string): SaelensView {
  const dir = resolve(dirIn);
  const cfgFile = join(dir, 'cfg.json');
  const cfg = readJson(cfgFile);
  const arch = String(cfg.architecture ?? (cfg.activation_fn_str === 'topk' ? 'topk' : 'standard'));
  const actFn = String(cfg.activation_fn_str ?? (arch === 'topk' ? 'topk' : 'relu'));
  if (arch === 'jumprelu' || arch === 'gated') {
    throw new CheckpointError(`SAELens architecture '${arch}' is not supported (thoughtlens dictionaries use ReLU, or BatchTopK with one global threshold)`, { file: cfgFile });
  }
  if (arch !== 'standard' && arch !== 'topk') throw new CheckpointError(`unknown SAELens architecture '${arch}' (supported: standard, topk)`, { file: cfgFile });
  if (actFn !== 'relu' && actFn !== 'topk') throw new CheckpointError(`activation_fn_str '${actFn}' is not supported (relu or topk)`, { file: cfgFile });
  const norm = cfg.normalize_activations ?? 'none';
  if (norm !== 'none' && norm !== null) {
    throw new CheckpointError(`normalize_activations '${String(norm)}' depends on the training data and cannot be folded in; only 'none' is supported`, { file: cfgFile });
  }
  if (cfg.finetuning_scaling_factor === true) throw new CheckpointError(`finetuning_scaling_factor is not supported`, { file: cfgFile });
  const topk = arch === 'topk' || actFn === 'topk';
  const kw = (cfg.activation_fn_kwargs ?? {}) as { k?: unknown };
  const kRaw = cfg.k ?? kw.k;
  const k = topk ? Number(kRaw) : undefined;
  if (topk && !(Number.isFinite(k) && k! > 0)) throw new CheckpointError(`a topk SAE needs 'k' (or activation_fn_kwargs.k), got ${JSON.stringify(kRaw)}`, { file: cfgFile });
  const stFile = join(dir, 'sae_weights.safetensors');
  if (!existsSync(stFile)) throw new CheckpointError(`no sae_weights.safetensors in the SAELens folder`, { file: stFile });
  const { tensors } = readSafetensors(stFile);
  const We = tensors.W_enc;
  if (!We || We.shape.length !== 2) throw new CheckpointError(`tensor 'W_enc' is missing or not 2-D (expected [d_in, d_sae])`, { file: stFile });
  const [d, m] = We.shape as [number, number];
  if (cfg.d_in !== undefined && cfg.d_in !== d) throw new CheckpointError(`W_enc is [${We.shape}] but cfg.json says d_in ${String(cfg.d_in)} (W_enc must be [d_in, d_sae])`, { file: stFile });
  if (cfg.d_sae !== undefined && cfg.d_sae !== m) throw new CheckpointError(`W_enc is [${We.shape}] but cfg.json says d_sae ${String(cfg.d_sae)}`, { file: stFile });
  const tl = (cfg.thoughtlens ?? null) as SaelensView['tl'];
  return {
    agent,
    dir,
    d,
    m,
    Wenc: f32(We, 'W_enc', [d, m], stFile),
    benc: f32(tensors.b_enc, 'b_enc', [m], stFile),
    Wdec: f32(tensors.W_dec, 'W_dec', [m, d], stFile),
    bdec: f32(tensors.b_dec, 'b_dec', [d], stFile),
    topk,
    k,
    applyBdec: cfg.apply_b_dec_to_input !== false,
    tl,
  };
}

interface Unfolded {
  W: Float32Array; // [d, m]
  D: Float32Array; // [m, d]
  c: Float32Array; // [d]
  b: Float64Array; // [m]
  mean: Float32Array;
  scale: number;
}

/** Inverts the SAELens fold for one agent's view, given its normalisation. */
function unfold(v: SaelensView, mean: Float32Array, scale: number): Unfolded {
  const { d, m } = v;
  const W = new Float32Array(d * m);
  for (let i = 0; i < d * m; i++) W[i] = v.Wenc[i]! * scale;
  const D = new Float32Array(m * d);
  for (let i = 0; i < m * d; i++) D[i] = v.Wdec[i]! / scale;
  const c = new Float32Array(d);
  for (let i = 0; i < d; i++) c[i] = (v.bdec[i]! - mean[i]!) / scale;
  // pre = (x − [apply]·b_dec)W_enc + b_enc = x̃ W + b  ⇒  b = b_enc − ([apply]·b_dec − μ)W_enc
  const b = new Float64Array(m);
  for (let j = 0; j < m; j++) b[j] = v.benc[j]!;
  for (let i = 0; i < d; i++) {
    const shift = (v.applyBdec ? v.bdec[i]! : 0) - mean[i]!;
    if (shift === 0) continue;
    for (let j = 0; j < m; j++) b[j]! -= shift * v.Wenc[i * m + j]!;
  }
  return { W, D, c, b, mean, scale };
}

function normOf(v: SaelensView): { mean: Float32Array; scale: number } {
  const mean = v.tl?.mean;
  const scale = v.tl?.scale;
  if (Array.isArray(mean) && mean.length === v.d && typeof scale === 'number' && scale > 0) return { mean: Float32Array.from(mean), scale };
  return { mean: new Float32Array(v.d), scale: 1 };
}

function isThoughtlensView(views: SaelensView[]): boolean {
  const first = views[0]!.tl;
  if (!first?.agents || !first.config) return false;
  const ids = JSON.stringify(first.agents);
  const config = JSON.stringify(first.config);
  return views.every(
    (v) => v.tl && JSON.stringify(v.tl.agents) === ids && JSON.stringify(v.tl.config) === config && v.tl.checkpoint === first.checkpoint && v.m === views[0]!.m && v.tl.agents!.includes(v.agent),
  );
}

/** SAELens folders, one per agent, into one dictionary. */
export function importSaelens(sources: { agent: string; dir: string }[], layoutIn: ImportLayout = 'auto'): ImportedDictionary {
  if (sources.length < 2) throw new CheckpointError(`import needs one SAELens folder per agent, at least 2 (got ${sources.length})`);
  const views = sources.map((s) => readSaelensFolder(s.agent, s.dir));
  const fromThoughtlens = isThoughtlensView(views);
  const layout = layoutIn === 'auto' ? (fromThoughtlens ? 'shared' : 'separate') : layoutIn;
  const notes: string[] = [];
  const units = views.map((v) => unfold(v, normOf(v).mean, normOf(v).scale));
  const agents = views.map((v) => ({ id: v.agent, dim: v.d }));
  let cfg: ResolvedSaeConfig;
  const params: ParamSet = {};
  let threshold = NaN;
  if (layout === 'shared') {
    const m = views[0]!.m;
    const bad = views.find((v) => v.m !== m);
    if (bad) throw new CheckpointError(`layout 'shared' needs equal d_sae: ${views[0]!.agent} has ${m}, ${bad.agent} has ${bad.m}`, { file: bad.dir });
    // One joint encoder bias: every view must imply the same one.
    const b = units[0]!.b;
    const tol = 1e-4 * (1 + b.reduce((x, y) => Math.max(x, Math.abs(y)), 0));
    units.forEach((u, a) => {
      let worst = 0;
      for (let j = 0; j < m; j++) worst = Math.max(worst, Math.abs(u.b[j]! - b[j]!));
      if (worst > tol) {
        throw new CheckpointError(
          `layout 'shared': the encoder biases of ${views[0]!.agent} and ${views[a]!.agent} imply different joint biases (max difference ${worst.toPrecision(3)}); ` +
            `these SAEs are not views of one dictionary — import them with --layout separate`,
          { file: views[a]!.dir },
        );
      }
    });
    if (fromThoughtlens && views[0]!.tl!.agents!.length === views.length) {
      cfg = resolveSaeConfig({ ...(views[0]!.tl!.config as SaeConfig), agents });
      threshold = views[0]!.tl!.batchTopKThreshold ?? NaN;
    } else {
      const topk = views[0]!.topk;
      if (views.some((v) => v.topk !== topk)) throw new CheckpointError(`layout 'shared' needs the same architecture for every agent (topk and standard are mixed)`);
      cfg = resolveSaeConfig(topk ? { agents, latents: m, mode: 'batchtopk', k: views[0]!.k } : { agents, latents: m, mode: 'l1', penalty: 'none' });
      if (fromThoughtlens) notes.push(`only ${views.length} of the dictionary's agents (${views[0]!.tl!.agents!.join(', ')}) were given: the others are left out`);
      if (topk && !fromThoughtlens) notes.push(`topk SAEs select the top k per row; thoughtlens selects k·rows over a batch (BatchTopK) when no threshold is known`);
    }
    params['enc.b'] = { data: Float32Array.from(b), shape: [m] };
    views.forEach((v, a) => {
      params[`enc.${v.agent}.W`] = { data: units[a]!.W, shape: [v.d, m] };
      params[`dec.${v.agent}.W`] = { data: units[a]!.D, shape: [m, v.d] };
      params[`dec.${v.agent}.b`] = { data: units[a]!.c, shape: [v.d] };
    });
  } else {
    const m = views.reduce((s, v) => s + v.m, 0);
    const topk = views[0]!.topk;
    if (views.some((v) => v.topk !== topk)) throw new CheckpointError(`cannot join topk and standard SAEs in one dictionary (architectures are mixed)`);
    cfg = resolveSaeConfig(
      topk
        ? { agents, latents: m, mode: 'partitioned', k: views.reduce((s, v) => s + v.k!, 0), blocks: { shared: 0, private: Object.fromEntries(views.map((v) => [v.agent, v.m])) } }
        : { agents, latents: m, mode: 'l1', penalty: 'none' },
    );
    const b = new Float32Array(m);
    let at = 0;
    views.forEach((v, a) => {
      const u = units[a]!;
      const W = new Float32Array(v.d * m);
      for (let i = 0; i < v.d; i++) W.set(u.W.subarray(i * v.m, (i + 1) * v.m), i * m + at);
      const D = new Float32Array(m * v.d);
      D.set(u.D, at * v.d);
      for (let j = 0; j < v.m; j++) b[at + j] = u.b[j]!;
      params[`enc.${v.agent}.W`] = { data: W, shape: [v.d, m] };
      params[`dec.${v.agent}.W`] = { data: D, shape: [m, v.d] };
      params[`dec.${v.agent}.b`] = { data: u.c, shape: [v.d] };
      at += v.m;
    });
    params['enc.b'] = { data: b, shape: [m] };
    notes.push(`layout 'separate': latents ${views.map((v, a) => `${views.slice(0, a).reduce((s, w) => s + w.m, 0)}…${views.slice(0, a + 1).reduce((s, w) => s + w.m, 0) - 1} are ${v.agent}'s`).join(', ')}`);
    if (topk) notes.push(`topk SAEs select the top k per row; thoughtlens selects k·rows over a batch (BatchTopK, k = the sum of the agents' k)`);
  }
  const norms = units.map((u) => ({ mean: u.mean, scale: u.scale }));
  const model = finish(cfg, params, norms, threshold);
  return { model, layout, source: { kind: 'saelens', folders: views.map((v) => ({ agent: v.agent, dir: v.dir, d_in: v.d, d_sae: v.m, topk: v.topk })) }, notes };
}

/** A dictionary_learning CrossCoder / BatchTopKCrossCoder state dict: safetensors, or torch.save's ae.pt (read without Python; data/torchStateDict.ts). */
export function importCrosscoder(path: string, agentIds?: string[]): ImportedDictionary {
  let file = resolve(path);
  if (existsSync(file) && statSync(file).isDirectory()) {
    const dir = file;
    file = ['model.safetensors', 'ae.safetensors', 'ae.pt'].map((n) => join(dir, n)).find((f) => existsSync(f)) ?? join(dir, 'model.safetensors');
  }
  if (!existsSync(file)) throw new CheckpointError(`no crosscoder state dict here (a .safetensors or torch.save file, or a folder with model.safetensors or ae.pt)`, { file });
  const notes: string[] = [];
  let tensors: Record<string, NamedTensor>;
  if (file.endsWith('.safetensors')) tensors = readSafetensors(file).tensors;
  else {
    const sd = readTorchStateDict(file);
    tensors = sd.tensors;
    if (sd.other.length) notes.push(`entries that are not tensors were ignored: ${sd.other.join(', ')}`);
  }
  const We = tensors['encoder.weight'];
  if (!We || We.shape.length !== 3) throw new CheckpointError(`tensor 'encoder.weight' is missing or not [n_layers, d, dict_size] (a CrossCoder state dict)`, { file });
  const [L, d, m] = We.shape as [number, number, number];
  const unknown = Object.keys(tensors).filter((k) => !['encoder.weight', 'encoder.bias', 'decoder.weight', 'decoder.bias', 'k', 'threshold'].includes(k));
  if (unknown.length) throw new CheckpointError(`unsupported tensors in the crosscoder state dict: ${unknown.join(', ')} (supported: encoder/decoder weight and bias, k, threshold)`, { file });
  const ids = agentIds ?? Array.from({ length: L }, (_, l) => String.fromCharCode(65 + l));
  if (ids.length !== L) throw new CheckpointError(`the crosscoder has ${L} layers (agents) but ${ids.length} agent ids were given (${ids.join(', ')})`, { file });
  const W = f32(We, 'encoder.weight', [L, d, m], file);
  const b = f32(tensors['encoder.bias'], 'encoder.bias', [m], file);
  const D = f32(tensors['decoder.weight'], 'decoder.weight', [L, m, d], file);
  const c = f32(tensors['decoder.bias'], 'decoder.bias', [L, d], file);
  const kT = tensors.k;
  const tT = tensors.threshold;
  let threshold = NaN;
  if (tT) {
    if (tT.data.length !== 1) throw new CheckpointError(`tensor 'threshold' has ${tT.data.length} values: per-layer thresholds (decoupled codes) are not supported`, { file });
    threshold = Number(tT.data[0]);
    if (!(threshold >= 0)) {
      threshold = NaN;
      notes.push(`threshold is unset (${Number(tT.data[0])}): codes are selected by BatchTopK over each batch of rows`);
    }
  }
  const agents = ids.map((id) => ({ id, dim: d }));
  const cfg = resolveSaeConfig(kT ? { agents, latents: m, mode: 'batchtopk', k: Number(kT.data[0]) } : { agents, latents: m, mode: 'l1', penalty: 'none' });
  const params: ParamSet = { 'enc.b': { data: b.slice(), shape: [m] } };
  ids.forEach((id, l) => {
    params[`enc.${id}.W`] = { data: W.slice(l * d * m, (l + 1) * d * m), shape: [d, m] };
    params[`dec.${id}.W`] = { data: D.slice(l * m * d, (l + 1) * m * d), shape: [m, d] };
    params[`dec.${id}.b`] = { data: c.slice(l * d, (l + 1) * d), shape: [d] };
  });
  const norms = ids.map(() => ({ mean: new Float32Array(d), scale: 1 }));
  const model = finish(cfg, params, norms, threshold);
  return { model, layout: 'crosscoder', source: { kind: 'dictionary_learning', file, layers: L, d, dictSize: m, k: kT ? Number(kT.data[0]) : null }, notes };
}

function finish(cfg: ResolvedSaeConfig, params: ParamSet, norms: { mean: Float32Array; scale: number }[], threshold: number): SaeModel {
  const base = { cfg, params, norms, threshold };
  const meta = makeCheckpointCfg(base, 'import', 'none', { step: 0, pairsSeen: 0, threshold, runs: [], finished: true });
  return { ...base, meta };
}
