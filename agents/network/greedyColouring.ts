// Scripted colouring: every node starts from a hashed colour; in each round a node that shares
// its colour with a neighbour of higher uid moves to the smallest colour none of its
// neighbours showed this round. The highest uid of a conflict never moves, so conflicts are
// resolved in uid order (at most n rounds; usually a few).
import type { Protocol } from './protocol.js';
import { stateVector } from './stateVector.js';

interface ColouringState {
  colour: number;
  uid: number;
  colours: number;
  changes: number;
}

export const greedyColouring: Protocol<ColouringState> = {
  name: 'greedy-colouring',
  task: 'colouring',
  messageWidth: 2,
  hiddenSize: 18,
  init: (ctx) => ({ colour: (Math.imul(ctx.uid + 1, 0x9e3779b1) >>> 0) % ctx.instance.colours, uid: ctx.uid, colours: ctx.instance.colours, changes: 0 }),
  send: (s) => Int32Array.of(s.colour, s.uid),
  receive(s, inbox) {
    if (!inbox.some((m) => m.message[0] === s.colour && m.message[1]! > s.uid)) return s;
    const used = new Set(inbox.map((m) => m.message[0]!));
    let c = 0;
    while (used.has(c) && c < s.colours - 1) c++;
    return used.has(c) ? s : { ...s, colour: c, changes: s.changes + 1 };
  },
  answer: (s) => s.colour,
  belief: (s) => s.colour,
  corrupt: (s, wrong) => ({ ...s, colour: wrong }),
  hidden: (s) => stateVector(16, s.colour, [s.uid / 100, Math.tanh(s.changes / 4)]),
};
