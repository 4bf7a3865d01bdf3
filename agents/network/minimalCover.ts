// Scripted minimal vertex cover: every node starts in the cover. A node is removable when it
// and all its neighbours are in the cover; a removable node leaves when its uid beats the uid
// of every neighbour that announced itself removable (and it announced itself too), so two
// neighbours never leave together and the cover stays a cover. It ends minimal (no removable node is left). A node outside the
// cover that sees an uncovered edge to a lower-uid neighbour joins again (repairs a fault).
import type { Inbox, Protocol } from './protocol.js';
import { stateVector } from './stateVector.js';

interface CoverState {
  inCover: number;
  removable: number;
  uid: number;
  degree: number;
}

function allIn(s: CoverState, inbox: readonly Inbox[]): boolean {
  return inbox.length === s.degree && inbox.every((m) => m.message[0] === 1);
}

export const minimalCover: Protocol<CoverState> = {
  name: 'minimal-cover',
  task: 'vertex-cover',
  messageWidth: 3,
  hiddenSize: 4,
  init: (ctx) => ({ inCover: 1, removable: 1, uid: ctx.uid, degree: ctx.neighbours.length }),
  send: (s) => Int32Array.of(s.inCover, s.removable, s.uid),
  receive(s, inbox) {
    let inCover = s.inCover;
    if (inCover && s.removable && allIn(s, inbox) && inbox.every((m) => m.message[1] === 0 || m.message[2]! < s.uid)) inCover = 0;
    else if (!inCover && inbox.some((m) => m.message[0] === 0 && m.message[2]! < s.uid)) inCover = 1;
    const removable = inCover && inCover === s.inCover && allIn(s, inbox) ? 1 : 0;
    return { ...s, inCover, removable };
  },
  answer: (s) => s.inCover,
  belief: (s) => s.inCover,
  corrupt: (s, wrong) => ({ ...s, inCover: wrong ? 1 : 0, removable: 0 }),
  hidden: (s) => stateVector(2, s.inCover, [s.removable, s.uid / 100]),
};
