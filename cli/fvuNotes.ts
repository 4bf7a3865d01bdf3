// Notes `train` prints when one agent's held-out reconstruction is far worse than the others' —
// the sign of two failure modes measured in docs/SPLIT.md ("Known limits"): the decoder-block
// penalty costing an agent its reading of some thoughts, and one runaway episode dominating an
// agent's normalisation. A note, not a decision: the split is computed as always.

/** An agent's held-out FVU at or above this, and at least UNEVEN_RATIO × the lowest agent's, gets a note. */
export const UNEVEN_FVU = 0.3;
export const UNEVEN_RATIO = 2;

/** One line per agent whose held-out FVU stands out (FVU ≥ 1, or ≥ UNEVEN_FVU and ≥ UNEVEN_RATIO × the lowest). */
export function fvuNotes(fvu: Record<string, number>): string[] {
  const entries = Object.entries(fvu).filter(([, v]) => Number.isFinite(v));
  if (!entries.length) return [];
  const [lowAgent, low] = entries.reduce((a, b) => (b[1] < a[1] ? b : a));
  const notes: string[] = [];
  for (const [a, v] of entries) {
    if (v >= 1) {
      notes.push(`${a}'s held-out FVU is ${v.toFixed(2)} (≥ 1): the dictionary reconstructs ${a}'s held-out states worse than their mean; its split for ${a} is not to be trusted (docs/SPLIT.md, known limits)`);
    } else if (entries.length > 1 && a !== lowAgent && v >= UNEVEN_FVU && v >= UNEVEN_RATIO * low) {
      notes.push(`${a}'s held-out FVU ${v.toFixed(2)} is ${(v / Math.max(low, 1e-12)).toFixed(1)}× ${lowAgent}'s (${low.toFixed(2)}): the dictionary may have lost ${a}'s reading of some thoughts (a longer training, e.g. --steps 6000, recovered them on one measured run and not on others), or one runaway episode dominates ${a}'s scale (docs/SPLIT.md, known limits)`);
    }
  }
  return notes;
}
