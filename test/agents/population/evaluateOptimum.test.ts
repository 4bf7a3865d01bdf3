import { describe, expect, it } from 'vitest';
import { compileStyle, poolFromJson, type StyleSpec } from '../../../agents/pool/index.js';
import { BayesAgent, evaluateOptimum, exactPayoff, MachineAgent, populationPool, TIT_FOR_TAT, titForTat, TFT_NAME } from '../../../agents/population/index.js';

const strategies = poolFromJson({
  styles: [
    { name: 'tft', group: 'g', kind: 'memory', n: 1, start: 1, p: { '?C': 1, '?D': 0 } },
    { name: 'alld', group: 'g', kind: 'memory', n: 1, start: 0, p: { '??': 0 } },
    { name: 'allc', group: 'g', kind: 'memory', n: 1, start: 1, p: { '??': 1 } },
    { name: 'grim', group: 'g', kind: 'fsm-table', initialState: 1, initialMove: 'C', transitions: [[1, 'C', 1, 'C'], [1, 'D', 2, 'D'], [2, 'C', 2, 'D'], [2, 'D', 2, 'D']] },
    { name: 'flip', group: 'g', kind: 'fsm', initial: 'a', states: { a: { p: 1, after: { min: 5, max: 9, to: 'b' } }, b: { p: 0 } } },
  ],
}).styles;

describe('fraction of the exact optimum', () => {
  it('a played-out machine agent earns exactly its computed payoff against deterministic co-players', () => {
    const r = evaluateOptimum([{ name: 'tft-played', model: new MachineAgent(compileStyle(TIT_FOR_TAT)) }], strategies, { episodes: 3, horizon: 50 });
    expect(r.skipped).toEqual([{ style: 'flip', reason: 'random timer ("after")' }]);
    for (const x of r.results) expect(x.payoff['tft-played']).toBeCloseTo(x.payoff[TFT_NAME]!, 12);
    const tft = r.players.find((p) => p.name === TFT_NAME)!;
    expect(tft.exact).toBe(true);
    expect(tft.atLeastTft.estimate).toBe(1);
  });

  it('the Bayesian baseline best-responds when the co-player is in its population', () => {
    const known = strategies.slice(0, 4);
    const r = evaluateOptimum([{ name: 'bayes', model: new BayesAgent(known, { horizon: 50 }) }], known, { episodes: 2, horizon: 50 });
    for (const name of ['tft', 'alld', 'grim']) expect(r.results.find((x) => x.style === name)!.fraction['bayes']).toBeGreaterThan(0.95);
    // always-cooperate looks like tit-for-tat and grim until probed, and grim punishes a probe:
    // the QMDP policy never probes, so it cooperates with it
    expect(r.results.find((x) => x.style === 'allc')!.fraction['bayes']).toBeLessThan(0.1);
    // without grim and tit-for-tat in the prior it exploits always-cooperate, which tit-for-tat cannot
    const r2 = evaluateOptimum([{ name: 'bayes', model: new BayesAgent([strategies[1]!, strategies[2]!], { horizon: 50 }) }], [strategies[2]!], { episodes: 2, horizon: 50 });
    expect(r2.results[0]!.fraction['bayes']).toBe(1);
    expect(r2.results[0]!.fraction[TFT_NAME]).toBe(0);
  });

  it('the Bayesian baseline beats tit-for-tat on average against held-out generated strangers', () => {
    const test = populationPool('test', 30).styles;
    const bayes = new BayesAgent(populationPool('train', 60).styles, { horizon: 100 });
    const r = evaluateOptimum([{ name: 'bayes', model: bayes }], test, { episodes: 3 });
    const get = (n: string) => r.players.find((p) => p.name === n)!.meanFraction.estimate;
    expect(get('bayes')).toBeGreaterThan(get(TFT_NAME));
    expect(r.styles).toBe(30);
  });

  it('exact payoffs agree with long sampled play against a noisy stochastic co-player', () => {
    const spec: StyleSpec = { name: 'm', group: 'g', kind: 'memory', n: 1, start: 0.5, p: { CC: 0.9, CD: 0.3, DC: 0.7, DD: 0.2 }, noise: 0.05 };
    const style = compileStyle(spec);
    const r = evaluateOptimum([{ name: 'tft-played', model: new MachineAgent(compileStyle(TIT_FOR_TAT)) }], [style], { episodes: 4000, horizon: 30 });
    expect(r.results[0]!.payoff['tft-played']).toBeCloseTo(exactPayoff(titForTat(), style, 30), 0);
  });
});
