// Absorbed uses: a private child's latent that absorbed its shared parent is used by the child's
// holder only; two readings of one variable, or a latent strong in both agents, are left alone.
import { describe, expect, it } from 'vitest';
import { classifyLatents, DEFAULT_SPLIT } from '../../../sae/index.js';
import { findAbsorbedUses, unitBlocks } from '../../../sae/split/absorbedUse.js';
import { decoderBlocks } from '../../../sae/split/signedPairs.js';
import { stats } from './usageStatsFixture.js';

/** Unit vector of length d with the given leading entries. */
const v = (d: number, ...xs: number[]) => {
  const out = new Float32Array(d);
  out.set(xs);
  return out;
};

/**
 * Three latents over agents A and B (4-d each), shaped as the hierarchical family trains them:
 * 0 = the shared parent (A: e0, B: e0), 1 = B's private child that absorbed the parent
 * (A: 0.3·e0, B: e1 + 0.3·e0), 2 = another shared thought (A: e2, B: e2).
 */
function decoders(childA: Float32Array, childB: Float32Array): Float32Array[] {
  const A = new Float32Array(12);
  const B = new Float32Array(12);
  A.set(v(4, 1), 0);
  A.set(childA, 4);
  A.set(v(4, 0, 0, 1), 8);
  B.set(v(4, 1), 0);
  B.set(childB, 4);
  B.set(v(4, 0, 0, 1), 8);
  return [A, B];
}

/** The split's relevance: per agent, ‖D_a[j]‖ over the larger block of j (both agents 4-d). */
function relevance(dec: Float32Array[], m: number): number[][] {
  const norm = (W: Float32Array, j: number) => Math.hypot(...W.subarray(j * 4, j * 4 + 4));
  return dec.map((W) =>
    Array.from({ length: m }, (_, j) => norm(W, j) / Math.max(...dec.map((U) => norm(U, j)))),
  );
}

function run(dec: Float32Array[], cos = DEFAULT_SPLIT.absorbedCosine) {
  const uses = [[true, true], [true, true], [true, true]];
  const found = findAbsorbedUses(['A', 'B'], ['shared', 'shared', 'shared'], uses, relevance(dec, 3), unitBlocks(decoderBlocks(dec, [4, 4], 3)), cos);
  return { uses, found };
}

describe('absorbed uses', () => {
  it("drops A's use of B's child latent whose A block repeats the shared parent's direction", () => {
    const { uses, found } = run(decoders(v(4, 0.3), v(4, 0.3, 1)));
    expect(uses).toEqual([[true, true], [false, true], [true, true]]);
    expect(found[1]).toEqual([{ agent: 'A', latent: 0, cos: 1 }]);
    expect(found[0]).toEqual([]);
    expect(found[2]).toEqual([]);
  });

  it('keeps a latent that points where the parent does in both agents (two readings of one variable)', () => {
    const { uses, found } = run(decoders(v(4, 0.3), v(4, 1, 0.1)));
    expect(uses[1]).toEqual([true, true]);
    expect(found[1]).toEqual([]);
  });

  it("keeps a latent whose A block is as strong as the parent's relative to B (a shared child)", () => {
    // A: 0.9·e0 against B's e1 + 0.3·e0 (norm 1.04): ratio 0.86 > 0.5.
    const { uses } = run(decoders(v(4, 0.9), v(4, 0.3, 1)));
    expect(uses[1]).toEqual([true, true]);
  });

  it('keeps a weak A block that points nowhere in particular, and turns off at cosine 1', () => {
    expect(run(decoders(v(4, 0, 0, 0, 0.3), v(4, 0.3, 1))).uses[1]).toEqual([true, true]);
    expect(run(decoders(v(4, 0.3), v(4, 0.3, 1)), 1).uses[1]).toEqual([true, true]);
  });

  it('the split labels the absorbing latent private to the child holder and records why', () => {
    const dec = decoders(v(4, 0.3), v(4, 0.3, 1));
    const s = stats([[true, true, true], [true, true, true]], [100, 100, 100]);
    // The usage evidence's block norms are those of the decoder (relevance is computed from them).
    const rel = relevance(dec, 3);
    rel.forEach((r, a) => r.forEach((x, j) => (s.blockNorm[a]![j] = x)));
    const split = classifyLatents(['A', 'B'], s, DEFAULT_SPLIT, 'heldout', undefined, undefined, unitBlocks(decoderBlocks(dec, [4, 4], 3)));
    expect(split.classes).toEqual(['shared', 'private-B', 'shared']);
    expect(split.absorbed![1]).toEqual([{ agent: 'A', latent: 0, cos: 1 }]);
    const off = classifyLatents(['A', 'B'], s, { ...DEFAULT_SPLIT, absorbedCosine: 1 }, 'heldout', undefined, undefined, unitBlocks(decoderBlocks(dec, [4, 4], 3)));
    expect(off.classes).toEqual(['shared', 'shared', 'shared']);
  });

  it('with three agents drops only the absorbing agent: the latent becomes partial', () => {
    // Latent 0: a parent all three carry (e0 in each). Latent 1: B and C's child (e1 + 0.3·e0 in
    // each) whose A block is 0.3·e0 — A's use is absorbed, B's and C's are not (they point elsewhere).
    const blk = (xs: number[][]) => Float32Array.from(xs.flat());
    const A = blk([[1, 0, 0, 0], [0.3, 0, 0, 0]]);
    const B = blk([[1, 0, 0, 0], [0.3, 1, 0, 0]]);
    const C = blk([[1, 0, 0, 0], [0.3, 0, 1, 0]]);
    const dec = [A, B, C];
    const norm = (W: Float32Array, j: number) => Math.hypot(...W.subarray(j * 4, j * 4 + 4));
    const rel = dec.map((W) => [0, 1].map((j) => norm(W, j) / Math.max(...dec.map((U) => norm(U, j)))));
    const uses = [[true, true, true], [true, true, true]];
    const found = findAbsorbedUses(['A', 'B', 'C'], ['shared', 'shared'], uses, rel, unitBlocks(decoderBlocks(dec, [4, 4, 4], 2)), DEFAULT_SPLIT.absorbedCosine);
    expect(uses).toEqual([[true, true, true], [false, true, true]]);
    expect(found[1]!.map((u) => u.agent)).toEqual(['A']);
  });
});
