// A learned one-bit-per-node policy as a Protocol: one shared GRU (agents/ipd's Gru) runs inside
// every node. Each step it reads the task's features (trainBinaryPolicy.ts) and outputs
// P(say 1) = σ(logit); the node broadcasts its bit and its answer is its last bit. Step 0 runs
// before any message (it gives the round-0 message); each round's inbox gives one more step.
// The GRU's hidden state is the node's recorded state. Greedy (P ≥ ½) unless a sampling rng is
// given. `known` is what a node knows from the start (its initial value, its uid's rank…).
import type { Rng } from '../../util/random.js';
import type { Gru } from '../ipd/index.js';
import type { Inbox, NodeContext, Protocol } from './protocol.js';
import type { TaskName } from './task.js';

export interface BinaryNodeState<K> {
  h: Float64Array;
  known: K;
  message: number;
  pSay1: number;
}

export interface BinaryPolicySpec<K> {
  name: string;
  task: TaskName;
  featuresPerStep: number;
  known(ctx: NodeContext): K;
  /** Feature indices from what the node knows, its last bit (−1 before any) and the round's inbox (null before any). */
  features(known: K, lastBit: number, inbox: readonly Inbox[] | null, out: Int32Array): void;
}

export function gruBinaryPolicy<K>(model: Gru, spec: BinaryPolicySpec<K>, sample?: Rng): Protocol<BinaryNodeState<K>> {
  const H = model.cfg.hidden;
  const g = new Float64Array(3 * H);
  const feats = new Int32Array(spec.featuresPerStep);
  const step = (h: Float64Array, known: K, last: number, inbox: readonly Inbox[] | null): BinaryNodeState<K> => {
    spec.features(known, last, inbox, feats);
    const out = new Float64Array(H);
    model.recurrent(h, 0, g);
    model.cell(g, h, 0, feats, 0, out, 0, null, 0);
    const p = 1 / (1 + Math.exp(-model.heads[0]!));
    const message = sample ? (sample.next() < p ? 1 : 0) : p >= 0.5 ? 1 : 0;
    return { h: out, known, message, pSay1: p };
  };
  return {
    name: spec.name,
    task: spec.task,
    messageWidth: 1,
    hiddenSize: H,
    init: (ctx) => step(new Float64Array(H), spec.known(ctx), -1, null),
    send: (s) => Int32Array.of(s.message),
    receive: (s, inbox) => step(s.h, s.known, s.message, inbox),
    answer: (s) => s.message,
    belief: (s) => s.message,
    wrongValue: (s) => 1 - s.message,
    corrupt: (s, wrong) => ({ ...s, message: wrong }),
    hidden: (s) => Float32Array.from(s.h),
  };
}

/** Messages in the inbox that said 1. */
export function saidOne(inbox: readonly Inbox[]): number {
  let n = 0;
  for (const m of inbox) n += m.message[0] === 1 ? 1 : 0;
  return n;
}
