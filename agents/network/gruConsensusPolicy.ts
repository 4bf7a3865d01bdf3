// A learned consensus policy as a Protocol: one shared GRU (agents/ipd's Gru) runs inside every
// node. Each step it reads consensusFeatures and outputs P(say 1) = σ(logit); the node
// broadcasts its choice (0/1) and its answer is its last choice. Step 0 runs before any
// message (it gives the round-0 message); each round's inbox gives one more step. The GRU's
// hidden state is the node's recorded state. Greedy (P ≥ ½) unless a sampling rng is given.
import type { Rng } from '../../util/random.js';
import type { Gru } from '../ipd/index.js';
import { consensusFeatures } from './consensusFeatures.js';
import type { Protocol } from './protocol.js';

interface GruNodeState {
  h: Float64Array;
  initial: number;
  message: number;
  pSay1: number;
}

export function gruConsensusPolicy(model: Gru, sample?: Rng): Protocol<GruNodeState> {
  const H = model.cfg.hidden;
  const g = new Float64Array(3 * H);
  const feats = new Int32Array(3);
  const step = (h: Float64Array, initial: number, ones: number, heard: number, last: number): GruNodeState => {
    consensusFeatures(initial, ones, heard, last, feats, 0);
    const out = new Float64Array(H);
    model.recurrent(h, 0, g);
    model.cell(g, h, 0, feats, 0, out, 0, null, 0);
    const p = 1 / (1 + Math.exp(-model.heads[0]!));
    const message = sample ? (sample.next() < p ? 1 : 0) : p >= 0.5 ? 1 : 0;
    return { h: out, initial, message, pSay1: p };
  };
  return {
    name: 'gru-consensus',
    task: 'consensus',
    messageWidth: 1,
    hiddenSize: H,
    init: (ctx) => step(new Float64Array(H), ctx.initial, 0, -1, -1),
    send: (s) => Int32Array.of(s.message),
    receive(s, inbox) {
      let ones = 0;
      for (const m of inbox) ones += m.message[0] === 1 ? 1 : 0;
      return step(s.h, s.initial, ones, inbox.length, s.message);
    },
    answer: (s) => s.message,
    belief: (s) => s.message,
    wrongValue: (s) => 1 - s.message,
    corrupt: (s, wrong) => ({ ...s, message: wrong }),
    hidden: (s) => Float32Array.from(s.h),
  };
}
