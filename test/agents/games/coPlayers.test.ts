import { describe, expect, it } from 'vitest';
import { bestReply, coPlayerPopulation, GAMES, gameIndex, gameOptima, levelKMove, levelKPlayer, minimaxPlayer, securityStrategy, STYLE_FAMILIES, trustPlayer } from '../../../agents/games/index.js';
import { machineOptimum, optimum, titForTat, exactMachine } from '../../../agents/population/index.js';
import { PAYOFF } from '../../../agents/ipd/index.js';
import { makeRng } from '../../../util/random.js';
import type { GameCoPlayer } from '../../../agents/games/index.js';

/** Plays a co-player against a fixed sequence of agent moves; returns its moves. */
function coMoves(c: GameCoPlayer, agent: number[], seed = 1): number[] {
  const rng = makeRng(seed);
  const m = c.machine;
  let s = m.initial;
  return agent.map((a) => {
    const b = rng.next() < m.coop[s]! ? 0 : 1;
    s = m.next[s * 4 + 2 * b + a]!;
    return b;
  });
}

describe('minimaxPlayer', () => {
  it('plays the security strategy of its game whatever the agent does', () => {
    for (let g = 0; g < GAMES.length; g++) {
      const c = minimaxPlayer(g);
      expect(c.machine.coop[0]).toBeCloseTo(securityStrategy(GAMES[g]!, 'B').p0, 12);
      expect(c.machine.nStates).toBe(1);
    }
    const pd = minimaxPlayer(gameIndex('prisoners-dilemma'));
    expect(coMoves(pd, [0, 1, 0, 0, 1, 1, 0])).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });

  it('trembles towards the other move with probability ε', () => {
    const c = minimaxPlayer(gameIndex('stag-hunt'), 0.2);
    expect(c.machine.coop[0]).toBeCloseTo(0.2, 12);
    const moves = coMoves(c, new Array(20000).fill(0), 3);
    expect(moves.filter((b) => b === 0).length / moves.length).toBeCloseTo(0.2, 1);
  });
});

describe('trustPlayer', () => {
  const pd = gameIndex('prisoners-dilemma');
  it('cooperates until betrayed and then, with f = 0, never again (grim trigger)', () => {
    const agent = [0, 0, 0, 1, 0, 0, 0, 0];
    expect(coMoves(trustPlayer(pd, 0), agent)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
  });

  it('forgives at its rate: P(trusting move) per punishing round ≈ f, and trusts again after forgiving', () => {
    for (const f of [0.1, 0.4]) {
      const c = trustPlayer(pd, f);
      expect(c.machine.coop[1]).toBeCloseTo(f, 12);
      // agent betrays once in round 0, then cooperates: the punishment lasts a geometric number of rounds
      const runs: number[] = [];
      for (let seed = 1; seed <= 3000; seed++) {
        const b = coMoves(c, [1, ...new Array(60).fill(0)], seed);
        const back = b.indexOf(0, 1);
        expect(b[0]).toBe(0);
        if (back > 0) {
          runs.push(back - 1);
          // once forgiven, with no further betrayal it keeps trusting
          expect(b.slice(back).every((x) => x === 0)).toBe(true);
        }
      }
      // rounds punished before forgiving: geometric with mean (1 − f)/f
      const meanRun = runs.reduce((a, x) => a + x, 0) / runs.length;
      expect(meanRun).toBeGreaterThan(((1 - f) / f) * 0.9);
      expect(meanRun).toBeLessThan(((1 - f) / f) * 1.1);
    }
  });

  it('takes the game’s own betrayal move: in matching pennies, matching its heads', () => {
    const mp = gameIndex('matching-pennies');
    expect(coMoves(trustPlayer(mp, 0), [1, 1, 0, 1, 1])).toEqual([0, 0, 0, 1, 1]);
  });
});

describe('levelKPlayer', () => {
  const ch = gameIndex('chicken');
  it('level 1 best-replies to the agent’s last move (predicted to repeat)', () => {
    const c = levelKPlayer(ch, 1);
    const agent = [0, 1, 1, 0, 0];
    const b = coMoves(c, agent);
    // first round: the agent's last move counts as 0 (swerve) → straight
    expect(b[0]).toBe(bestReply(GAMES[ch]!, 'B', 0));
    for (let t = 1; t < agent.length; t++) expect(b[t]).toBe(bestReply(GAMES[ch]!, 'B', agent[t - 1]!));
  });

  it('level 2 best-replies to the agent’s best reply to its own last move', () => {
    for (let g = 0; g < GAMES.length; g++) {
      for (let b = 0; b < 2; b++) {
        for (let a = 0; a < 2; a++) {
          const predicted = bestReply(GAMES[g]!, 'A', b);
          expect(levelKMove(g, 2, b, a)).toBe(bestReply(GAMES[g]!, 'B', predicted));
          expect(levelKMove(g, 3, b, a)).toBe(bestReply(GAMES[g]!, 'B', bestReply(GAMES[g]!, 'A', bestReply(GAMES[g]!, 'B', a))));
        }
      }
    }
  });

  it('in matching pennies a level-1 co-player is fully exploitable: the exact optimum wins every round', () => {
    const mp = gameIndex('matching-pennies');
    const [opt] = gameOptima([levelKPlayer(mp, 1)], 20);
    expect(opt!.best).toBe(20);
  });
});

describe('machineOptimum', () => {
  it('equals optimum() for a prisoner’s-dilemma style', () => {
    const tft = titForTat();
    const a = optimum(tft, 30);
    const b = machineOptimum(exactMachine(tft), 30, PAYOFF, tft.name);
    expect(b.best).toBe(a.best);
    expect(b.worst).toBe(a.worst);
    expect(Array.from(b.q)).toEqual(Array.from(a.q));
  });

  it('uses the game’s table: stag against a grim trust player earns 4 a round', () => {
    const [opt] = gameOptima([trustPlayer(gameIndex('stag-hunt'), 0)], 10);
    expect(opt!.best).toBe(40);
  });
});

describe('coPlayerPopulation', () => {
  it('has every family in every game, with held-out members never seen in training', () => {
    const train = coPlayerPopulation('train');
    const held = coPlayerPopulation('held-out');
    for (let g = 0; g < GAMES.length; g++) for (const f of STYLE_FAMILIES) {
      expect(train.some((c) => c.game === g && c.family === f)).toBe(true);
      expect(held.some((c) => c.game === g && c.family === f)).toBe(true);
    }
    const names = new Set(train.map((c) => `${c.game}:${c.name}`));
    for (const c of held) expect(names.has(`${c.game}:${c.name}`)).toBe(false);
  });
});
