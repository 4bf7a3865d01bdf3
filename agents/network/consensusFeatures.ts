// What the learned consensus policy sees each step, as sparse feature indices (the GRU's
// multi-hot input): its own initial value, the share of its neighbours' messages that said 1
// in the last round (5 buckets, or "no messages yet"), and its own last message (or "none
// yet"). Nothing else: no node id, no degree, no round number, no graph size.
export const CONSENSUS_FEATURES = 11;
export const CONSENSUS_FEATURES_PER_STEP = 3;

/** Writes the 3 feature indices of one node into out[at…at+3). ones/heard: 1s among the messages heard; heard = -1 before any round. */
export function consensusFeatures(initial: number, ones: number, heard: number, lastMessage: number, out: Int32Array, at: number): void {
  out[at] = initial ? 1 : 0;
  if (heard < 0) out[at + 1] = 7;
  else if (heard === 0) out[at + 1] = 2;
  else {
    const f = ones / heard;
    out[at + 1] = f === 0 ? 2 : f <= 1 / 3 ? 3 : f < 2 / 3 ? 4 : f < 1 ? 5 : 6;
  }
  out[at + 2] = lastMessage < 0 ? 10 : lastMessage ? 9 : 8;
}
