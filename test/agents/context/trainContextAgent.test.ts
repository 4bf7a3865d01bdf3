import { describe, expect, it } from 'vitest';
import { resolveContextAgentConfig, trainContextAgent } from '../../../agents/context/index.js';

const tiny = { hidden: 8, coPlayers: 10, episodesPerCoPlayer: 2, episodeLength: 12, sequences: 20, length: 12, epochs: 2, onPolicyEpisodes: 1, seed: 4 };

describe('trainContextAgent', () => {
  it('is deterministic per seed and fits the same number of rounds in every condition', () => {
    const a = trainContextAgent(resolveContextAgentConfig({ ...tiny, context: 'whole' }));
    const b = trainContextAgent(resolveContextAgentConfig({ ...tiny, context: 'whole' }));
    expect(a.loss).toEqual(b.loss);
    a.model.params.forEach((p, i) => expect(Array.from(p.data)).toEqual(Array.from(b.model.params[i]!.data)));
    const iso = trainContextAgent(resolveContextAgentConfig({ ...tiny, context: 'isolated' }));
    expect(iso.samplesPerEpoch).toBe(a.samplesPerEpoch);
    expect(iso.loss).not.toEqual(a.loss);
  });

  it('refuses bad configs with the field named', () => {
    expect(() => resolveContextAgentConfig({ context: 'bursty' as never })).toThrow(/'context' must be one of whole, partial, isolated/);
    expect(() => resolveContextAgentConfig({ length: 80, episodeLength: 50 })).toThrow(/'length' \(80\) must not exceed 'episodeLength'/);
    expect(() => resolveContextAgentConfig({ hidden: 0 })).toThrow(/'hidden' must be a positive integer/);
    expect(() => resolveContextAgentConfig({ wat: 1 } as never)).toThrow(/unknown agent field 'wat'/);
  });
});
