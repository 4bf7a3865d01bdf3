// Peer memory (Potter et al. 2026): the agent's context starts with the trajectory of a third
// agent, as that peer observed it, before its own game starts (the game's start symbol
// separates the two). The peer's rounds, from its own side:
//   exploited    the peer cooperated and was defected against (CD)
//   defecting    the peer defected against a cooperator (DC)
//   cooperating  mutual cooperation (CC)
//   neutral      the control of equal length: both moves coin flips (no consistent story)
// Each move of the first three is flipped with probability `noise`, so the memories are not
// one repeated symbol.
import type { Rng } from '../../util/random.js';
import { UsageError } from '../../data/index.js';

export const PEER_MEMORIES = ['exploited', 'defecting', 'cooperating', 'neutral'] as const;
export type PeerMemory = (typeof PEER_MEMORIES)[number];

export interface PeerPrefixSpec {
  memory: PeerMemory;
  /** Rounds of the peer's trajectory. */
  length: number;
  /** Probability that a move of the story is flipped (default 0.1). */
  noise?: number;
}

const STORY: Record<Exclude<PeerMemory, 'neutral'>, [number, number]> = { exploited: [0, 1], defecting: [1, 0], cooperating: [0, 0] };

/** n prefixes of spec.length observations (episode-major): the peer's start symbol, then its outcomes. */
export function peerPrefix(spec: PeerPrefixSpec, n: number, rng: Rng): Int32Array {
  const L = spec.length;
  if (!Number.isInteger(L) || L < 1) throw new UsageError(`peer memory length must be a positive integer, got ${L}`);
  const noise = spec.noise ?? 0.1;
  const out = new Int32Array(n * L);
  for (let i = 0; i < n; i++) {
    for (let t = 1; t < L; t++) {
      let own: number;
      let other: number;
      if (spec.memory === 'neutral') {
        own = rng.int(2);
        other = rng.int(2);
      } else {
        [own, other] = STORY[spec.memory];
        if (rng.next() < noise) own = 1 - own;
        if (rng.next() < noise) other = 1 - other;
      }
      out[i * L + t] = 1 + 2 * own + other;
    }
  }
  return out;
}
