// The learned consensus policy as a Protocol (gruBinaryPolicy.ts): each step the shared GRU
// reads consensusFeatures (its initial value, the share of 1s heard, its own last message) and
// says 0 or 1.
import type { Rng } from '../../util/random.js';
import type { Gru } from '../ipd/index.js';
import { CONSENSUS_FEATURES_PER_STEP, consensusFeatures } from './consensusFeatures.js';
import { gruBinaryPolicy, saidOne, type BinaryNodeState } from './gruBinaryPolicy.js';
import type { Protocol } from './protocol.js';

export function gruConsensusPolicy(model: Gru, sample?: Rng): Protocol<BinaryNodeState<number>> {
  return gruBinaryPolicy(
    model,
    {
      name: 'gru-consensus',
      task: 'consensus',
      featuresPerStep: CONSENSUS_FEATURES_PER_STEP,
      known: (ctx) => ctx.initial,
      features: (initial, last, inbox, out) => consensusFeatures(initial, inbox ? saidOne(inbox) : 0, inbox ? inbox.length : -1, last, out, 0),
    },
    sample,
  );
}
