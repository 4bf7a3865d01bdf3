import { describe, expect, it } from 'vitest';
import { IpdBatch, mirrorOutcome, OBS_SIZE, PAYOFF } from '../../../agents/ipd/index.js';

describe('IpdBatch', () => {
  it('pays (C,C)=(1,1), (C,D)=(−1,2), (D,C)=(2,−1), (D,D)=(0,0)', () => {
    const env = new IpdBatch(4);
    env.reset();
    env.step([0, 0, 1, 1], [0, 1, 0, 1]);
    expect([...env.rewardA]).toEqual([1, -1, 2, 0]);
    expect([...env.rewardB]).toEqual([1, 2, -1, 0]);
  });

  it('observes start, then the last joint outcome from each side (own move first), with no clock', () => {
    const env = new IpdBatch(4);
    env.reset();
    expect([...env.obsA]).toEqual([0, 0, 0, 0]);
    env.step([0, 0, 1, 1], [0, 1, 0, 1]);
    expect([...env.obsA]).toEqual([1, 2, 3, 4]); // CC, CD, DC, DD
    expect([...env.obsB]).toEqual([1, 3, 2, 4]); // mirrored
    for (let t = 0; t < 50; t++) env.step([0, 0, 1, 1], [0, 1, 0, 1]);
    expect([...env.obsA]).toEqual([1, 2, 3, 4]); // the same after 50 more rounds: nothing encodes time
    expect(Math.max(...env.obsA, ...env.obsB)).toBeLessThan(OBS_SIZE);
  });

  it('mirrors outcomes', () => {
    expect([0, 1, 2, 3].map(mirrorOutcome)).toEqual([0, 2, 1, 3]);
    expect(PAYOFF).toEqual([1, -1, 2, 0]);
  });
});
