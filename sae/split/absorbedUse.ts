// Absorbed uses: an agent's use of a latent that only repeats another latent's direction.
//
// Feature absorption (Chanin et al. 2024) across agents: agent B holds a private thought that is
// on only while a shared thought is on (a child under a shared parent). A sparse dictionary
// gives the child one latent and lets it absorb the parent — the latent fires on the child's
// steps and its decoder writes child + parent in B and, in A, the parent alone (the parent's own
// latent stays silent there). By the usage test A uses that latent, so it is called shared,
// although everything it adds to A is what another latent of A already writes.
//
// An agent a's use of latent j is absorbed when, for another user b of j,
//   direction  cos(D_a[j], D_a[i]) ≥ absorbedCosine for a kept latent i that a and b both use
//              (a's block of j points where i's does),
//   weak in a  ‖D_a[j]‖ ≤ ABSORBED_RATIO·‖D_b[j]‖ (in normalised units: the relevance ratio),
//   unlike i   that ratio is at most ABSORBED_RATIO times i's own ratio
//              (i is the parent both agents carry; j carries it in a only as a passenger),
//   not i      cos(D_b[j], D_b[i]) < absorbedCosine (alike in both agents, j and i would be two
//              readings of one variable, which the decoupled-readings rule handles).
// Agent a is then dropped from j's users: with two agents j becomes private-b. Measured on the
// saved checkpoints of 37 development runs (docs/RESULTS.md, eighteenth session).
import { dot, normalise } from './signedPairs.js';
import type { LatentClass } from './split.js';

/** j's block in the absorbing agent is at most this fraction of its block in another user. */
export const ABSORBED_RATIO = 0.5;

/** Per agent, per latent: the unit decoder block D_a[j]/‖D_a[j]‖ (a zero block stays zero). */
export type UnitBlocks = Float64Array[][];

export interface AbsorbedUse {
  /** The agent whose use of the latent was dropped. */
  agent: string;
  /** The latent whose direction its block repeats in that agent. */
  latent: number;
  /** cos(D_agent[j], D_agent[latent]). */
  cos: number;
}

/**
 * For each latent, the absorbed uses found (empty if none); `uses` is updated in place (the
 * agents dropped). `relevance[a][j]` is ‖D_a[j]‖/√d_a over the largest block of j.
 */
export function findAbsorbedUses(
  agents: string[],
  classes: readonly LatentClass[],
  uses: boolean[][],
  relevance: number[][],
  blocks: UnitBlocks | null,
  absorbedCosine: number,
): AbsorbedUse[][] {
  const m = classes.length;
  const N = agents.length;
  const out: AbsorbedUse[][] = Array.from({ length: m }, () => []);
  if (!blocks || !(absorbedCosine < 1)) return out;
  const kept = (j: number) => classes[j] !== 'dead' && classes[j] !== 'rare';
  const ratio = (a: number, b: number, j: number) => relevance[a]![j]! / Math.max(relevance[b]![j]!, 1e-12);
  // Decided on the uses before any is dropped, so the outcome does not depend on latent order.
  const before = uses.map((u) => [...u]);
  for (let j = 0; j < m; j++) {
    const users = before[j]!.filter(Boolean).length;
    if (!kept(j) || users < 2) continue;
    for (let a = 0; a < N; a++) {
      if (!before[j]![a]) continue;
      let found: AbsorbedUse | null = null;
      for (let b = 0; b < N && !found; b++) {
        if (b === a || !before[j]![b]) continue;
        const rj = ratio(a, b, j);
        if (!(rj <= ABSORBED_RATIO)) continue;
        const dj = blocks[a]![j]!;
        for (let i = 0; i < m; i++) {
          if (i === j || !kept(i) || !before[i]![a] || !before[i]![b]) continue;
          if (!(rj <= ABSORBED_RATIO * ratio(a, b, i))) continue;
          const c = dot(dj, blocks[a]![i]!);
          // In b, j must point elsewhere: two latents alike in both agents read one variable twice.
          if (c >= absorbedCosine && dot(blocks[b]![j]!, blocks[b]![i]!) < absorbedCosine && (!found || c > found.cos)) {
            found = { agent: agents[a]!, latent: i, cos: c };
          }
        }
      }
      if (found) out[j]!.push(found);
    }
    // Never drop every user: a latent whose every use looks absorbed keeps them.
    const drop = out[j]!.map((u) => agents.indexOf(u.agent));
    if (drop.length > 0 && drop.length < users) for (const a of drop) uses[j]![a] = false;
    else out[j] = [];
  }
  return out;
}

/** Per agent, the decoder blocks (signedPairs.ts decoderBlocks) each normalised; null stays null. */
export function unitBlocks(blocks: Float64Array[][] | null): UnitBlocks | null {
  return blocks?.map((rows) => rows.map(normalise)) ?? null;
}
