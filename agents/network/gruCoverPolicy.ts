// The learned vertex-cover policy as a Protocol (gruBinaryPolicy.ts): each step the shared GRU
// reads coverFeatures (its last bit, the share of neighbours that said "in", its uid's rank among
// its neighbours', its degree) and says whether it is in the cover.
import type { Rng } from '../../util/random.js';
import type { Gru } from '../ipd/index.js';
import { COVER_FEATURES_PER_STEP, coverFeatures, uidRank, type UidRank } from './coverFeatures.js';
import { gruBinaryPolicy, saidOne, type BinaryNodeState } from './gruBinaryPolicy.js';
import type { Protocol } from './protocol.js';

export function gruCoverPolicy(model: Gru, sample?: Rng): Protocol<BinaryNodeState<{ rank: UidRank; degree: number }>> {
  return gruBinaryPolicy(
    model,
    {
      name: 'gru-cover',
      task: 'vertex-cover',
      featuresPerStep: COVER_FEATURES_PER_STEP,
      known: (ctx) => ({ rank: uidRank(ctx.uid, ctx.neighbourUids), degree: ctx.neighbours.length }),
      features: (k, last, inbox, out) => coverFeatures(last, inbox ? saidOne(inbox) : 0, inbox ? inbox.length : -1, k.rank, k.degree, out, 0),
    },
    sample,
  );
}
