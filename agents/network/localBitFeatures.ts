// What the learned policies of the local one-bit tasks (vertex cover: "I am in the cover";
// leader election: "I claim to lead") see each step, as sparse feature indices (the GRU's
// multi-hot input): their own last bit, the share of neighbours that said 1 in the last round
// (5 buckets, or "no messages yet"), their uid's rank among their neighbours' (highest, lowest,
// between: the one piece of identity that breaks symmetry) and their degree (1, 2, 3, 4+). No
// round number, no graph size, no uid beyond the rank.
export const LOCAL_BIT_FEATURES = 15;
export const LOCAL_BIT_FEATURES_PER_STEP = 4;

export type UidRank = 'highest' | 'lowest' | 'between';

export function uidRank(uid: number, neighbourUids: readonly number[]): UidRank {
  if (neighbourUids.every((u) => u < uid)) return 'highest';
  if (neighbourUids.every((u) => u > uid)) return 'lowest';
  return 'between';
}

/** Writes the 4 feature indices of one node into out[at…at+4). ones/heard: neighbours that said 1 / messages heard; heard = -1 before any round. */
export function localBitFeatures(lastBit: number, ones: number, heard: number, rank: UidRank, degree: number, out: Int32Array, at: number): void {
  out[at] = lastBit < 0 ? 0 : lastBit ? 2 : 1;
  if (heard < 0) out[at + 1] = 3;
  else {
    const f = heard === 0 ? 1 : ones / heard;
    out[at + 1] = f === 0 ? 4 : f <= 0.5 ? 5 : f < 1 ? 6 : 7;
  }
  out[at + 2] = rank === 'highest' ? 8 : rank === 'lowest' ? 9 : 10;
  out[at + 3] = 10 + Math.min(4, Math.max(1, degree));
}
