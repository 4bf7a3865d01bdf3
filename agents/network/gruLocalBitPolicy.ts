// The learned vertex-cover and leader-election policies as Protocols (gruBinaryPolicy.ts): each
// step the shared GRU reads localBitFeatures (its last bit, the share of neighbours that said 1,
// its uid's rank among its neighbours', its degree) and says one bit — "in the cover" or "I lead".
import type { Rng } from '../../util/random.js';
import type { Gru } from '../ipd/index.js';
import { LOCAL_BIT_FEATURES_PER_STEP, localBitFeatures, uidRank, type UidRank } from './localBitFeatures.js';
import { gruBinaryPolicy, saidOne, type BinaryNodeState } from './gruBinaryPolicy.js';
import type { Protocol } from './protocol.js';

export type LocalBitTask = 'vertex-cover' | 'leader-election';

export function gruLocalBitPolicy(model: Gru, task: LocalBitTask, sample?: Rng): Protocol<BinaryNodeState<{ rank: UidRank; degree: number }>> {
  return gruBinaryPolicy(
    model,
    {
      name: task === 'vertex-cover' ? 'gru-cover' : 'gru-leader',
      task,
      featuresPerStep: LOCAL_BIT_FEATURES_PER_STEP,
      known: (ctx) => ({ rank: uidRank(ctx.uid, ctx.neighbourUids), degree: ctx.neighbours.length }),
      features: (k, last, inbox, out) => localBitFeatures(last, inbox ? saidOne(inbox) : 0, inbox ? inbox.length : -1, k.rank, k.degree, out, 0),
    },
    sample,
  );
}
