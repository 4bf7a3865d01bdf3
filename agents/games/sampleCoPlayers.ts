// Draws a co-player for each of n episodes so that games and style families are balanced
// whatever their member counts: a game uniformly, then a family present in that game
// uniformly, then one of its members uniformly.
import type { Rng } from '../../util/random.js';
import type { GameCoPlayer } from './coPlayer.js';

export function sampleCoPlayers(coPlayers: readonly GameCoPlayer[], n: number, rng: Rng): Int32Array {
  const groups = new Map<number, Map<string, number[]>>();
  coPlayers.forEach((c, k) => {
    const byFamily = groups.get(c.game) ?? groups.set(c.game, new Map()).get(c.game)!;
    (byFamily.get(c.family) ?? byFamily.set(c.family, []).get(c.family)!).push(k);
  });
  const games = [...groups.values()].map((m) => [...m.values()]);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const fams = games[rng.int(games.length)]!;
    const members = fams[rng.int(fams.length)]!;
    out[i] = members[rng.int(members.length)]!;
  }
  return out;
}
