// What the learned vertex-cover policy sees each step, as sparse feature indices (the GRU's
// multi-hot input): its own last bit ("in the cover"), the share of its neighbours that said
// "in" in the last round (5 buckets, or "no messages yet"), its uid's rank among its neighbours'
// (highest, lowest, between: the one piece of identity that breaks symmetry) and its degree
// (1, 2, 3, 4+). No round number, no graph size.
export const COVER_FEATURES = 15;
export const COVER_FEATURES_PER_STEP = 4;

export type UidRank = 'highest' | 'lowest' | 'between';

export function uidRank(uid: number, neighbourUids: readonly number[]): UidRank {
  if (neighbourUids.every((u) => u < uid)) return 'highest';
  if (neighbourUids.every((u) => u > uid)) return 'lowest';
  return 'between';
}

/** Writes the 4 feature indices of one node into out[at…at+4). inCover/heard: neighbours that said 1 / messages heard; heard = -1 before any round. */
export function coverFeatures(lastBit: number, inCover: number, heard: number, rank: UidRank, degree: number, out: Int32Array, at: number): void {
  out[at] = lastBit < 0 ? 0 : lastBit ? 2 : 1;
  if (heard < 0) out[at + 1] = 3;
  else {
    const f = heard === 0 ? 1 : inCover / heard;
    out[at + 1] = f === 0 ? 4 : f <= 0.5 ? 5 : f < 1 ? 6 : 7;
  }
  out[at + 2] = rank === 'highest' ? 8 : rank === 'lowest' ? 9 : 10;
  out[at + 3] = 10 + Math.min(4, Math.max(1, degree));
}
