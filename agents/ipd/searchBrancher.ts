// What the planner's look-ahead needs from a co-player predictor: starting from the real
// episode at round t, step every search node with each of the 4 joint outcomes and read the
// predictor's heads at the children. Nodes of level ℓ are numbered j = episode·4^ℓ + path,
// so child 4j + o of node j extends its path by outcome o.
import { Gru } from './gru.js';
import { GruBrancher } from './gruBrancher.js';
import type { Rollout, SeqModel } from './seqModel.js';
import { CausalTransformer } from './transformer.js';
import { TransformerBrancher } from './transformerBrancher.js';

export interface SearchBrancher {
  /** Makes room for n episodes searched up to `levels` levels below the root. */
  prepare(n: number, levels: number): void;
  /** Level 0 = every episode's state after round t of the real rollout. */
  root(ro: Rollout, t: number): void;
  /**
   * Steps the m nodes of level l with the 4 outcomes: child c = 4j + o is fed
   * feats[c·K … c·K + K) and gets pOut[c] = P(co-player cooperates), vOut[c] = the value head.
   */
  expand(l: number, m: number, feats: Int32Array, pOut: Float64Array, vOut: Float64Array): void;
}

export function brancherFor(model: SeqModel): SearchBrancher {
  if (model instanceof Gru) return new GruBrancher(model);
  if (model instanceof CausalTransformer) return new TransformerBrancher(model);
  throw new Error(`the planner cannot search with a ${model.cfg.arch} predictor`);
}
