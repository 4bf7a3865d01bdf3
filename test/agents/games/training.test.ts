import { describe, expect, it } from 'vitest';
import { coPlayerPopulation, evaluateGames, gameIndex, gameOptima, GAME_INPUTS, playGames, resolveGameAgentConfig, sampleCoPlayers, trainGameAgent, trustPlayer, levelKPlayer } from '../../../agents/games/index.js';
import { makeModel } from '../../../agents/ipd/index.js';
import { makeRng } from '../../../util/random.js';

describe('playGames', () => {
  it('earns the exact optimum as the expert without exploration against deterministic co-players', () => {
    const cps = [trustPlayer(gameIndex('chicken'), 0), levelKPlayer(gameIndex('matching-pennies'), 2), levelKPlayer(gameIndex('trust'), 1)];
    const opt = gameOptima(cps, 12);
    const rec = playGames({ kind: 'expert', explore: 0 }, cps, [0, 1, 2], makeRng(1), { steps: 12 }, opt);
    for (let i = 0; i < 3; i++) {
      let total = 0;
      for (let t = 0; t < 12; t++) total += rec.rewards[i * 12 + t]!;
      expect(total).toBeCloseTo(opt[i]!.best, 9);
      expect(rec.game[i]).toBe(cps[i]!.game);
    }
  });

  it('feeds a model the observation and the game id, and refuses a model without the game feature', () => {
    const cps = coPlayerPopulation('train', [gameIndex('stag-hunt')]);
    const model = makeModel({ arch: 'gru', hidden: 4, inputs: GAME_INPUTS, featuresPerStep: 2 }, makeRng(1));
    const rec = playGames({ kind: 'model', model }, cps, [0, 3], makeRng(2), { steps: 5, hiddenRounds: [2] });
    expect(rec.feats[0]).toBe(0);
    expect(rec.feats[1]).toBe(5 + gameIndex('stag-hunt'));
    expect(rec.feats[2]).toBe(1 + 2 * rec.actions[0]! + rec.coActions[0]!);
    expect(rec.hidden.get(2)!.length).toBe(2 * 4);
    const ipdModel = makeModel({ arch: 'gru', hidden: 4, inputs: 5, featuresPerStep: 1 }, makeRng(1));
    expect(() => playGames({ kind: 'model', model: ipdModel }, cps, [0], makeRng(2), { steps: 5 })).toThrow(/features per step/);
  });

  it('balances games and families when sampling co-players', () => {
    const cps = coPlayerPopulation('train');
    const a = sampleCoPlayers(cps, 6000, makeRng(4));
    const fam = new Map<string, number>();
    for (const k of a) fam.set(cps[k]!.family, (fam.get(cps[k]!.family) ?? 0) + 1);
    for (const n of fam.values()) expect(n / 6000).toBeCloseTo(1 / 3, 1);
  });
});

describe('trainGameAgent', () => {
  it('rejects unknown fields and games', () => {
    expect(() => resolveGameAgentConfig({ games: ['go' as never] })).toThrow(/games/);
    expect(() => resolveGameAgentConfig({ nope: 1 } as never)).toThrow(/unknown/);
  });

  it('beats a random player on held-out co-players after a tiny training run', () => {
    const cfg = resolveGameAgentConfig({ hidden: 12, episodes: 400, steps: 10, epochs: 3, onPolicyEpisodes: 100, seed: 3 });
    const r = trainGameAgent(cfg);
    expect(r.loss[r.loss.length - 1]!).toBeLessThan(r.loss[0]!);
    const held = coPlayerPopulation('held-out');
    const o = { episodesPerCoPlayer: 10, steps: 10, seed: 7 };
    const agent = evaluateGames({ kind: 'model', model: r.model }, held, o);
    const rnd = evaluateGames({ kind: 'random' }, held, o);
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    const fr = (cells: typeof agent.cells): number => mean(cells.filter((c) => Number.isFinite(c.fraction)).map((c) => c.fraction));
    expect(fr(agent.cells)).toBeGreaterThan(fr(rnd.cells) + 0.1);
    expect(mean(agent.cells.map((c) => c.bestRate))).toBeGreaterThan(mean(rnd.cells.map((c) => c.bestRate)) + 0.1);
  }, 60_000);

  it('fits the co-player’s moves with target co-player-move (a predictor, which takes no DAgger)', () => {
    expect(() => resolveGameAgentConfig({ target: 'co-player-move' })).toThrow(/onPolicyEpisodes/);
    const cfg = resolveGameAgentConfig({ target: 'co-player-move', hidden: 12, episodes: 300, steps: 8, epochs: 3, onPolicyEpisodes: 0, games: ['prisoners-dilemma'], seed: 2 });
    const r = trainGameAgent(cfg);
    expect(r.loss[r.loss.length - 1]!).toBeLessThan(r.loss[0]!);
    // after a few rounds of mutual defection the predictor expects defection (P(C) low)
    const m = r.model;
    const ro = m.start(1, 4);
    const f = new Int32Array(2);
    for (let t = 0; t < 4; t++) {
      f[0] = t === 0 ? 0 : 4; // start, then DD
      f[1] = 5 + gameIndex('prisoners-dilemma');
      m.step(ro, f);
    }
    expect(ro.logit[3]!).toBeLessThan(0);
  }, 60_000);
});

