// Scripted consensus by flooding the maximum initial value: a node keeps the largest (value,
// origin) claim it has seen and forwards it; after at least diameter rounds all hold the
// maximum initial value, which is valid (some node started with it). A claim names its
// origin, so a verifying neighbour can check it against that node's real initial value.
import type { Protocol } from './protocol.js';
import { stateVector } from './stateVector.js';

interface ConsensusState {
  value: number;
  origin: number;
  node: number;
}

export const floodingConsensus: Protocol<ConsensusState> = {
  name: 'max-flooding',
  task: 'consensus',
  messageWidth: 2,
  hiddenSize: 17,
  init: (ctx) => ({ value: ctx.initial, origin: ctx.node, node: ctx.node }),
  send: (s) => Int32Array.of(s.value, s.origin),
  receive(s, inbox) {
    let { value, origin } = s;
    for (const m of inbox) {
      if (m.message[0]! > value) {
        value = m.message[0]!;
        origin = m.message[1]!;
      }
    }
    return value === s.value ? s : { ...s, value, origin };
  },
  answer: (s) => s.value,
  belief: (s) => s.value,
  corrupt: (s, wrong) => ({ ...s, value: wrong, origin: s.node }),
  claimValid: (m, _b, inst) => m[1]! >= 0 && m[1]! < inst.initial.length && inst.initial[m[1]!] === m[0],
  hidden: (s) => stateVector(16, s.value, [s.origin === s.node ? 1 : 0]),
};
