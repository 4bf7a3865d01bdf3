// Adapts a paired-dictionary checkpoint (sae/checkpoint) to the detector's LatentCoder:
// the joint latent values from every agent's state, and each latent's split class from
// split.json. By default the values are the joint pre-activations Σ_a W_a x̃_a + b, not the
// sparse code: the code is zero until a latent crosses its selection threshold, so views
// fitted to it ignore a small drift that the pre-activation shows from its first step.
// The tensor backend must have been selected before encoding (sae/backend.ts).
import { loadCheckpoint, readCheckpointJson, type SaeModel } from '../../sae/checkpoint/checkpoint.js';
import { encodeJoint, preActivationTensor } from '../../sae/model/inference.js';
import type { SplitResult } from '../../sae/split/split.js';
import { DetectorConfigError } from '../errors.js';
import type { LatentCoder } from './latentCoder.js';

export interface DictionaryCoderOptions {
  /** Latents per call to the encoder (default 4096 rows). */
  chunkRows?: number;
  /** 'pre-activation' (default) or the sparse 'code'. */
  values?: 'pre-activation' | 'code';
}

export function dictionaryCoder(checkpointDir: string, opts: DictionaryCoderOptions = {}): LatentCoder {
  const model = loadCheckpoint(checkpointDir);
  const split = readCheckpointJson<SplitResult>(checkpointDir, 'split.json');
  if (!split) throw new DetectorConfigError(`checkpoint ${checkpointDir} has no split.json: run \`thoughtlens split\` on it first`);
  return coderFromModel(model, split, opts, checkpointDir);
}

export function coderFromModel(model: SaeModel, split: Pick<SplitResult, 'classes'>, opts: DictionaryCoderOptions = {}, dir?: string): LatentCoder {
  const m = model.cfg.latents;
  if (split.classes.length !== m) throw new DetectorConfigError(`split.json classifies ${split.classes.length} latents; the model has ${m}`);
  const agents = model.cfg.agents.map((a) => a.id);
  const dims = model.cfg.agents.map((a) => a.dim);
  const chunk = opts.chunkRows ?? 4096;
  const values = opts.values ?? 'pre-activation';
  return {
    agents,
    nLatents: m,
    classes: [...split.classes],
    encode(hidden, rows) {
      const out = new Float32Array(rows * m);
      for (let r0 = 0; r0 < rows; r0 += chunk) {
        const n = Math.min(chunk, rows - r0);
        const xs = hidden.map((h, a) => Float32Array.from({ length: n * dims[a]! }, (_, i) => h[r0 * dims[a]! + i]!));
        if (values === 'code') out.set(encodeJoint(model, xs, n), r0 * m);
        else {
          const t = preActivationTensor(model, xs, n);
          out.set(t.dataSync() as Float32Array, r0 * m);
          t.dispose();
        }
      }
      return out;
    },
    source: {
      checkpoint: dir ?? model.dir ?? null,
      mode: model.cfg.mode,
      values,
      latents: m,
      backend: model.meta.backend,
      shared: split.classes.filter((c) => c === 'shared').length,
    },
  };
}
