// Which agents run a network, by name: 'scripted' (each task's baseline, scriptedProtocol.ts),
// 'gru' (a shared learned policy for the one-bit tasks — consensus, vertex cover, leader
// election — trained here from a seed: ≈ 7–11 s at the defaults) or 'credulous' (the baseline with the LLM-like failure mechanisms of
// credulousAgent.ts at their defaults, seeded from the training seed). Also says, in words, what each recorded hidden coordinate is.
import type { Gru } from '../ipd/index.js';
import { CREDULOUS_DEFAULTS, credulousProtocol } from './credulousAgent.js';
import { NetworkConfigError } from './errors.js';
import { gruConsensusPolicy } from './gruConsensusPolicy.js';
import { gruLocalBitPolicy } from './gruLocalBitPolicy.js';
import type { Protocol } from './protocol.js';
import { scriptedProtocol } from './scriptedProtocol.js';
import type { TaskName } from './task.js';
import { trainConsensusPolicy, type ConsensusTrainConfig, type ConsensusTrainInfo } from './trainConsensusPolicy.js';
import { trainLocalBitPolicy } from './trainLocalBitPolicy.js';

/** Tasks with a learned GRU policy (one bit per node). */
export const LEARNED_TASKS: readonly TaskName[] = ['consensus', 'vertex-cover', 'leader-election'];

export const NETWORK_AGENTS = ['scripted', 'gru', 'credulous'] as const;
export type NetworkAgentKind = (typeof NETWORK_AGENTS)[number];

/** The recorded state vector of each scripted protocol (stateVector.ts), coordinate by coordinate. */
export const SCRIPTED_HIDDEN: Readonly<Record<string, string>> = Object.freeze({
  'greedy-colouring': '18: one-hot of the colour mod 16 (0–15), uid/100, tanh(colour changes/4)',
  'minimal-cover': '4: one-hot of the cover bit (0–1), removable flag, uid/100',
  'greedy-matching': '19: one-hot of the partner node mod 16 (slot 15 = −1 when unmatched), matched flag, pointing flag, uid/100',
  'max-id-flooding': '18: one-hot of the believed leader uid mod 16, flag "I am the leader I believe in", uid/100',
  'max-flooding': '17: one-hot of the held value mod 16, flag "the held value is my own"',
});

export interface NetworkAgent {
  protocol: Protocol<unknown>;
  model: string;
  hiddenDescription: string;
  /** How the agent was made (the learned policy's training config and final success). */
  params: Record<string, unknown>;
  /** The learned model, for saving (gru only). */
  gru?: Gru;
}

export function makeNetworkAgent(kind: string, task: TaskName, train: Partial<ConsensusTrainConfig> = {}, onUpdate?: (i: ConsensusTrainInfo) => void): NetworkAgent {
  if (kind === 'scripted') {
    const p = scriptedProtocol(task);
    return { protocol: p, model: `scripted:${p.name}`, hiddenDescription: SCRIPTED_HIDDEN[p.name] ?? `${p.hiddenSize}: protocol state vector`, params: { agent: 'scripted' } };
  }
  if (kind === 'credulous') {
    const params = { ...CREDULOUS_DEFAULTS, seed: train.seed ?? CREDULOUS_DEFAULTS.seed };
    const p = credulousProtocol(task, params) as Protocol<unknown>;
    const base = scriptedProtocol(task);
    return {
      protocol: p,
      model: `credulous:${base.name}`,
      hiddenDescription: SCRIPTED_HIDDEN[base.name] ?? `${base.hiddenSize}: protocol state vector`,
      params: { agent: 'credulous', credulous: { ...params, budget: Number.isFinite(params.budget) ? params.budget : null } },
    };
  }
  if (kind !== 'gru') throw new NetworkConfigError('agent', `must be one of ${NETWORK_AGENTS.join(', ')}, got '${kind}'`);
  if (!LEARNED_TASKS.includes(task)) throw new NetworkConfigError('agent', `'gru' is a learned policy for ${LEARNED_TASKS.join(', ')}; task '${task}' has the scripted and credulous agents only`);
  const local = task === 'vertex-cover' || task === 'leader-election' ? task : null;
  const { model, history, config } = local ? trainLocalBitPolicy(local, train, onUpdate) : trainConsensusPolicy(train, onUpdate);
  const last = history.slice(-20);
  return {
    protocol: (local ? gruLocalBitPolicy(model, local) : gruConsensusPolicy(model)) as Protocol<unknown>,
    model: `gru-${config.hidden}`,
    hiddenDescription: local
      ? `${config.hidden}: the shared ${task} GRU's hidden state h after reading the node's features (own last bit, share of neighbours that said 1, uid rank among neighbours, degree)`
      : `${config.hidden}: the shared consensus GRU's hidden state h after reading the node's features (initial value, share of 1s heard, own last message)`,
    params: { agent: 'gru', policy: { task, ...config, finalBatchSuccess: last.reduce((s, h) => s + h.success, 0) / Math.max(1, last.length) } },
    gru: model,
  };
}
