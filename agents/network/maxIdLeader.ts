// Scripted leader election by flooding the maximum uid: a node keeps the largest (uid, origin)
// claim it has seen and forwards it; after at least diameter rounds every node holds the
// maximum, and only its owner answers 1. A claim names the node it comes from, so a verifying
// neighbour can check it against that node's real uid.
import type { Protocol } from './protocol.js';
import { stateVector } from './stateVector.js';

interface LeaderState {
  best: number;
  origin: number;
  node: number;
  uid: number;
  /** A false claim this node makes about itself (a fault), or -1. */
  claimed: number;
}

export const maxIdLeader: Protocol<LeaderState> = {
  name: 'max-id-flooding',
  task: 'leader-election',
  messageWidth: 2,
  hiddenSize: 18,
  init: (ctx) => ({ best: ctx.uid, origin: ctx.node, node: ctx.node, uid: ctx.uid, claimed: -1 }),
  send: (s) => Int32Array.of(s.best, s.origin),
  receive(s, inbox) {
    let { best, origin } = s;
    for (const m of inbox) {
      if (m.message[0]! > best) {
        best = m.message[0]!;
        origin = m.message[1]!;
      }
    }
    return best === s.best ? s : { ...s, best, origin };
  },
  answer: (s) => (s.best === s.uid || s.best === s.claimed ? 1 : 0),
  belief: (s) => s.best,
  corrupt: (s, wrong) => ({ ...s, best: wrong, origin: s.node, claimed: wrong }),
  claimValid: (m, _b, inst) => m[1]! >= 0 && m[1]! < inst.uid.length && inst.uid[m[1]!] === m[0],
  hidden: (s) => stateVector(16, s.best, [s.best === s.uid ? 1 : 0, s.uid / 100]),
};
