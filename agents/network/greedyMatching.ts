// Scripted maximal matching: each free node points at its free neighbour of highest uid (at
// the start, its neighbour of highest uid: nodes know their neighbours' uids); two
// nodes pointing at each other match. The highest-uid free node with a free neighbour is
// always pointed back at, so every round with a free edge matches at least one pair. A node
// whose partner reports another partner frees itself (repairs a fault).
import type { Protocol } from './protocol.js';
import { stateVector } from './stateVector.js';

interface MatchingState {
  node: number;
  partner: number;
  pointer: number;
  uid: number;
}

export const greedyMatching: Protocol<MatchingState> = {
  name: 'greedy-matching',
  task: 'matching',
  messageWidth: 3,
  hiddenSize: 19,
  init(ctx) {
    let best = 0;
    ctx.neighbourUids.forEach((u, i) => u > ctx.neighbourUids[best]! && (best = i));
    return { node: ctx.node, partner: -1, pointer: ctx.neighbours[best]!, uid: ctx.uid };
  },
  send: (s) => Int32Array.of(s.partner, s.pointer, s.uid),
  receive(s, inbox) {
    let partner = s.partner;
    if (partner !== -1) {
      const p = inbox.find((m) => m.from === partner);
      if (p && p.message[0] !== s.node && p.message[0] !== -1) partner = -1;
    } else if (s.pointer !== -1) {
      const p = inbox.find((m) => m.from === s.pointer);
      if (p && p.message[1] === s.node && p.message[0] === -1) partner = s.pointer;
    }
    let pointer = -1;
    if (partner === -1) {
      let best = -1;
      for (const m of inbox) {
        if (m.message[0] === -1 && m.message[2]! > best) {
          best = m.message[2]!;
          pointer = m.from;
        }
      }
    }
    return { ...s, partner, pointer };
  },
  answer: (s) => s.partner,
  belief: (s) => s.partner,
  corrupt: (s, wrong) => ({ ...s, partner: wrong, pointer: -1 }),
  hidden: (s) => stateVector(16, s.partner, [s.partner === -1 ? 0 : 1, s.pointer === -1 ? 0 : 1, s.uid / 100]),
};
