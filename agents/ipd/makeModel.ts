// Builds a sequence model from its config (the registry of architectures).
import type { Rng } from '../../util/random.js';
import { Gru } from './gru.js';
import type { ModelConfig, SeqModel } from './seqModel.js';
import { CausalTransformer } from './transformer.js';

export function makeModel(cfg: ModelConfig, rng?: Rng): SeqModel {
  switch (cfg.arch) {
    case 'gru':
      return new Gru(cfg, rng);
    case 'transformer':
      return new CausalTransformer(cfg, rng);
  }
}

/** A new model with the same config and a copy of the weights. */
export function cloneModel(m: SeqModel): SeqModel {
  const c = makeModel(m.cfg);
  c.params.forEach((p, i) => p.data.set(m.params[i]!.data));
  return c;
}
