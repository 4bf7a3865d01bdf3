// The ceiling for any style probe that reads the history: the Bayes classifier with the true
// co-players' machines. Every co-player is a machine whose state the history determines, so
// the likelihood of a history under a co-player is the product over rounds of P(its move |
// its state); a family's likelihood is the mean over its members (uniform within a family),
// and the family with the largest likelihood maximises the mean recall (balanced accuracy)
// among all classifiers of the rounds seen. Only the co-player's moves enter, which is right
// when the agent's moves depend on the co-player only through the history (a trained agent, a
// random player). It is no ceiling for episodes played by the exact best response, whose
// moves are chosen knowing the co-player and so carry its identity.
import { STYLE_FAMILIES, type GameCoPlayer } from './coPlayer.js';
import type { GamePlayRecord } from './playGames.js';

/** Per episode, the family (index into STYLE_FAMILIES) with the largest likelihood of rounds 0..t−1, among the co-players of the episode's game; ties to the first. */
export function bayesFamilies(rec: GamePlayRecord, coPlayers: readonly GameCoPlayer[], t: number): number[] {
  const T = rec.steps;
  return Array.from({ length: rec.n }, (_, i) => {
    const g = rec.game[i]!;
    const like = new Float64Array(STYLE_FAMILIES.length);
    const members = new Float64Array(STYLE_FAMILIES.length);
    for (const c of coPlayers) {
      if (c.game !== g) continue;
      const m = c.machine;
      let s = m.initial;
      let p = 1;
      for (let u = 0; u < t && p > 0; u++) {
        const a = rec.actions[i * T + u]!;
        const b = rec.coActions[i * T + u]!;
        p *= b === 0 ? m.coop[s]! : 1 - m.coop[s]!;
        s = m.next[s * 4 + 2 * b + a]!;
      }
      const f = STYLE_FAMILIES.indexOf(c.family);
      like[f]! += p;
      members[f]!++;
    }
    let best = 0;
    for (let f = 0; f < like.length; f++) {
      like[f] = members[f]! > 0 ? like[f]! / members[f]! : -1;
      if (like[f]! > like[best]! + 1e-15) best = f;
    }
    return best;
  });
}
