// The split's decision rule on hand-made evidence: the permutation null, the effect floor,
// rare and dead latents, decoupled pairs and the witness seed.
import { describe, expect, it } from 'vitest';
import { classifyLatents, DEFAULT_SPLIT, latentsOfClass } from '../../../sae/index.js';
import { stats } from './usageStatsFixture.js';
import { cappedExplained, expectedSpread } from '../../../sae/split/usageStats.js';

/** Codes of 3 latents over `rows` rows: latent 1 fires with latent 0 (scaled by `together`), latent 2 on its own rows. */
function twoTogetherOneApart(rows: number, together: number): Float32Array {
  const codes = new Float32Array(rows * 3);
  for (let r = 0; r < rows; r++) {
    const on = r % 4 === 0 ? 1 + (r % 7) / 7 : 0;
    codes[r * 3 + 0] = on;
    codes[r * 3 + 1] = on * together;
    codes[r * 3 + 2] = r % 5 === 0 ? 1 : 0;
  }
  return codes;
}

describe('classifyLatents', () => {
  it('classes latents by which agents clear the null and the effect floor', () => {
    const s = stats(
      [
        [true, true, false, false],
        [true, false, true, false],
      ],
      [100, 100, 100, 100],
    );
    const split = classifyLatents(['A', 'B'], s, DEFAULT_SPLIT);
    expect(split.classes).toEqual(['shared', 'private-A', 'private-B', 'rare']);
    expect(split.counts).toMatchObject({ shared: 1, 'private-A': 1, 'private-B': 1, rare: 1, dead: 0 });
    expect(split.individual.A).toEqual([0, 1]);
    expect(latentsOfClass(split, 'private-B')).toEqual([2]);
  });

  it('a use that clears the null but not the floor, or the floor but not the null, is no use', () => {
    const s = stats([[true, true], [true, true]], [100, 100]);
    // Latent 0, agent B: significant but negligible (R² 0.006 < floor 0.01).
    s.explained[1]![0] = 0.006;
    // Latent 1, agent B: large but within the null (μ₀ 0.5, σ₀ 0.05 → threshold 0.7).
    s.explained[1]![1] = 0.6;
    s.nullMean[1]![1] = 0.5;
    s.nullSd[1]![1] = 0.05;
    const split = classifyLatents(['A', 'B'], s, DEFAULT_SPLIT);
    expect(split.classes).toEqual(['private-A', 'private-A']);
    expect(split.threshold[1]![1]).toBeCloseTo(0.7, 4);
  });

  it('too few activations make a latent rare, none make it dead', () => {
    const s = stats([[true, true, true], [true, true, true]], [0, 5, 100]);
    expect(classifyLatents(['A', 'B'], s, DEFAULT_SPLIT).classes).toEqual(['dead', 'rare', 'shared']);
    // Under 0.1% of 10,000 rows is rare even with 9 > minActive… (minActive 5 here).
    const t = { ...DEFAULT_SPLIT, minActive: 5 };
    expect(classifyLatents(['A', 'B'], stats([[true], [true]], [9], 10_000), t).classes).toEqual(['rare']);
  });

  it('a latent whose activation sits in a few of the episodes is rare (a drift in some episodes only)', () => {
    const s = stats([[true, true, true, true, true, true], [true, false, true, true, true, true]], [100, 100, 100, 100, 100, 5]);
    // Median spread of the latents with ≥ 20 rows: 6 (of 2.9, 1.5, 6, 7, 8); threshold 0.5 × 6 = 3.
    // Latent 5 (5 rows) is rare anyway and does not enter the median.
    Object.assign(s.episodeSpread, [2.9, 1.5, 6, 7, 8, 0.1]);
    // With one bar for every latent (minEpisodeSpreadShared = minEpisodeSpread) both are rare.
    const one = { ...DEFAULT_SPLIT, minEpisodeSpreadShared: DEFAULT_SPLIT.minEpisodeSpread };
    const split = classifyLatents(['A', 'B'], s, one);
    expect(split.classes).toEqual(['rare', 'rare', 'shared', 'shared', 'shared', 'rare']);
    expect(split.episodeSpread).toEqual([2.9, 1.5, 6, 7, 8, 0.1]);
    expect(classifyLatents(['A', 'B'], s, { ...DEFAULT_SPLIT, minEpisodeSpread: 0 }).classes).toEqual(['shared', 'private-A', 'shared', 'shared', 'shared', 'rare']);
    // By default a latent both agents use needs a quarter of the median (1.5): latent 0 (2.9) is
    // kept, the private latent 1 (1.5 < 3) stays rare; a shared latent under 1.5 is rare too.
    expect(classifyLatents(['A', 'B'], s, DEFAULT_SPLIT).classes).toEqual(['shared', 'rare', 'shared', 'shared', 'shared', 'rare']);
    s.episodeSpread[0] = 1.4;
    expect(classifyLatents(['A', 'B'], s, DEFAULT_SPLIT).classes[0]).toBe('rare');
  });

  it('the episode spread is judged against what as many activations reach by chance, so a rare but even latent is kept', () => {
    // 48 episodes. Latents 0-3 fire on 2,000 rows each, spread 30 (chance: 2000·48/2047 ≈ 46.9, ratio 0.64).
    // Latent 4 fires on only 40 rows, evenly: spread 12 against chance 40·48/87 ≈ 22.1 (ratio 0.54).
    // Latent 5 fires on 1,000 rows from a few episodes: spread 5 against chance ≈ 46 (ratio 0.11): a drift.
    const s = stats([[true, true, true, true, false, true], [true, true, true, true, true, false]], [2000, 2000, 2000, 2000, 40, 1000], 20_000);
    s.spreadEpisodes = 48;
    Object.assign(s.episodeSpread, [30, 30, 30, 30, 12, 5]);
    expect(expectedSpread(40, 48)).toBeCloseTo((40 * 48) / 87, 10);
    expect(expectedSpread(1, 48)).toBe(1);
    const split = classifyLatents(['A', 'B'], s, DEFAULT_SPLIT);
    // A raw spread of 12 is under half the median (15); against chance it is as even as the rest.
    expect(split.classes).toEqual(['shared', 'shared', 'shared', 'shared', 'private-B', 'rare']);
    // The spread sample's own activation counts take precedence over the held-out sample's.
    s.spreadActive = Int32Array.from([2000, 2000, 2000, 2000, 400, 1000]);
    expect(classifyLatents(['A', 'B'], s, DEFAULT_SPLIT).classes[4]).toBe('rare');
  });

  it('two private latents of different agents that fire together are one decoupled shared pair', () => {
    const rows = 200;
    const codes = twoTogetherOneApart(rows, 0.9);
    const s = stats([[true, false, true], [false, true, false]], [50, 50, 40], rows, codes);
    const split = classifyLatents(['A', 'B'], s, DEFAULT_SPLIT);
    expect(split.classes).toEqual(['shared', 'shared', 'private-A']);
    expect(split.pair).toEqual([1, 0, -1]);
    expect(classifyLatents(['A', 'B'], s, { ...DEFAULT_SPLIT, pairCorrelation: 1 }).classes).toEqual(['private-A', 'private-B', 'private-A']);
  });

  it('a private latent that fires with a shared latent is a duplicate reading of it: shared', () => {
    const rows = 200;
    const codes = twoTogetherOneApart(rows, 0.8);
    const s = stats([[true, true, false], [true, false, true]], [50, 50, 40], rows, codes);
    const split = classifyLatents(['A', 'B'], s, DEFAULT_SPLIT);
    expect(split.classes).toEqual(['shared', 'shared', 'private-B']);
    expect(split.pair).toEqual([-1, 0, -1]);
  });

  it('a private latent explained by several latents the other agent uses is a split reading of them: shared', () => {
    // Latent 2 (B only) = latent 0 + latent 1 (both shared), each alone r ≈ 0.7 < 0.8; together R² ≈ 1.
    // Latent 3 (B only) fires on its own: stays private.
    const rows = 400;
    const codes = new Float32Array(rows * 4);
    for (let r = 0; r < rows; r++) {
      const a = r % 3 === 0 ? 1 + (r % 7) / 7 : 0;
      const b = r % 4 === 1 ? 1 + (r % 5) / 5 : 0;
      codes[r * 4 + 0] = a;
      codes[r * 4 + 1] = b;
      codes[r * 4 + 2] = a + b;
      codes[r * 4 + 3] = r % 5 === 2 ? 1 : 0;
    }
    const s = stats([[true, true, false, false], [true, true, true, true]], [100, 100, 200, 80], rows, codes);
    const one = classifyLatents(['A', 'B'], s, DEFAULT_SPLIT);
    expect(one.classes).toEqual(['shared', 'shared', 'shared', 'private-B']);
    expect([...one.partners![2]!].sort()).toEqual([0, 1]);
    expect(one.partners![3]).toEqual([]);
    // Either partner alone explains too little: with at most one partner (the old pair rule) it stays private.
    const lone = [0, 1].map((q) => {
      let sxy = 0, sxx = 0, syy = 0, mx = 0, my = 0;
      for (let r = 0; r < rows; r++) { mx += codes[r * 4 + q]! / rows; my += codes[r * 4 + 2]! / rows; }
      for (let r = 0; r < rows; r++) { const dx = codes[r * 4 + q]! - mx, dy = codes[r * 4 + 2]! - my; sxy += dx * dy; sxx += dx * dx; syy += dy * dy; }
      return sxy / Math.sqrt(sxx * syy);
    });
    for (const r of lone) expect(r).toBeLessThan(0.8);
  });

  it('a decoupled reading that departs from its partner in a few episodes (a conflict) still joins it: R² in the typical episode', () => {
    // 10 episodes × 80 rows. Latent 1 (B only) copies latent 0 (A and B) in 8 episodes and fires on
    // its own in episodes 2 and 7, so pooled r < 0.8; in the median episode R² = 1. Latent 2 (B only)
    // never follows latent 0: it stays private.
    const E = 10;
    const per = 80;
    const rows = E * per;
    const codes = new Float32Array(rows * 3);
    const episodeOfRow = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      const e = Math.floor(r / per);
      episodeOfRow[r] = e;
      const on = r % 3 === 0 ? 1 + (r % 7) / 7 : 0;
      codes[r * 3 + 0] = on;
      codes[r * 3 + 1] = e === 2 || e === 7 ? (r % 3 === 1 ? 3 + (r % 5) : 0) : on;
      codes[r * 3 + 2] = r % 4 === 1 ? 1 + (r % 3) / 3 : 0;
    }
    const s = { ...stats([[true, false, false], [true, true, true]], [270, 270, 200], rows, codes), episodeOfRow };
    const pooled = classifyLatents(['A', 'B'], { ...s, episodeOfRow: undefined }, DEFAULT_SPLIT);
    expect(pooled.classes).toEqual(['shared', 'private-B', 'private-B']);
    const split = classifyLatents(['A', 'B'], s, DEFAULT_SPLIT);
    expect(split.classes).toEqual(['shared', 'shared', 'private-B']);
    expect(split.partners![1]).toEqual([0]);
    expect(split.partners![2]).toEqual([]);
  });

  it('explained energy counts only up to the trained scale (a zeroed block explains ≈ 0)', () => {
    expect(cappedExplained(0.4, 0.5)).toBe(0.4);
    expect(cappedExplained(0.4, 1)).toBeCloseTo(0.4, 12);
    expect(cappedExplained(0.4, 2)).toBeCloseTo(0.3, 12);
    expect(cappedExplained(0.4, 1e4)).toBeLessThan(1e-4);
    expect(cappedExplained(0.4, -1e4)).toBeLessThan(1e-4);
    expect(cappedExplained(0.4, -2)).toBeCloseTo(0.3, 12);
    expect(cappedExplained(0.4, NaN)).toBe(0);
  });

  it('latents the witness seed does not reproduce are rare unless their own evidence is strong', () => {
    const strong = stats([[true], [true]], [100]);
    const lone = { match: Int32Array.from([0]), r: Float64Array.from([0.1]), classes: ['shared' as const] };
    expect(classifyLatents(['A', 'B'], strong, DEFAULT_SPLIT, 'heldout', lone).classes).toEqual(['shared']);
    strong.explained[0]![0] = 0.4;
    strong.explained[1]![0] = 0.4;
    expect(classifyLatents(['A', 'B'], strong, DEFAULT_SPLIT, 'heldout', lone).classes).toEqual(['rare']);
  });

  it('a latent the witness missed (its content left in the witness residual) is kept; one it explains otherwise is rare', () => {
    // R² 0.4: under the strong bar (0.5), at least half of it; fires on 10% of rows.
    const s = stats([[true, true, true], [false, false, false]], [100, 100, 100]);
    for (let j = 0; j < 3; j++) s.explained[0]![j] = 0.4;
    s.explained[0]![2] = 0.2; // under half the strong bar: the witness decides
    const witness = { match: Int32Array.from([0, 1, 2]), r: Float64Array.from([0.1, 0.1, 0.1]), leftover: Float64Array.from([0.8, 0.2, 0.9]), classes: ['private-A' as const, 'private-A' as const, 'private-A' as const] };
    const split = classifyLatents(['A', 'B'], s, DEFAULT_SPLIT, 'heldout', witness);
    expect(split.classes).toEqual(['private-A', 'rare', 'rare']);
    expect(split.witnessLeftover).toEqual([0.8, 0.2, 0.9]);
    // Rare by frequency: too few rows for the strong-evidence exemptions (under 2% of 1000 rows).
    const few = stats([[true], [false]], [15]);
    few.explained[0]![0] = 0.4;
    expect(classifyLatents(['A', 'B'], few, { ...DEFAULT_SPLIT, minActive: 10 }, 'heldout', { r: [0.1], leftover: [0.9] }).classes).toEqual(['rare']);
  });

  it('a duplicate the witness holds in one latent (matched to our other copy) counts as reproduced; with reproducedByAny off it is rare', () => {
    // Two latents of weak evidence (R² 0.3): latent 1's one-to-one match is poor (0.1) because the
    // witness latent that reads it was matched to latent 0, but that witness latent correlates 0.95 with it.
    const s = stats([[true, true], [false, false]], [100, 100]);
    s.explained[0]![0] = 0.3;
    s.explained[0]![1] = 0.3;
    const witness = { r: Float64Array.from([0.97, 0.1]), rAny: Float64Array.from([0.97, 0.95]), leftover: Float64Array.from([0.05, 0.05]) };
    const split = classifyLatents(['A', 'B'], s, DEFAULT_SPLIT, 'heldout', witness);
    expect(split.classes).toEqual(['private-A', 'private-A']);
    expect(split.stabilityAny).toEqual([0.97, 0.95]);
    expect(classifyLatents(['A', 'B'], s, { ...DEFAULT_SPLIT, reproducedByAny: false }, 'heldout', witness).classes).toEqual(['private-A', 'rare']);
    // Without rAny (a checkpoint from before it was recorded) the one-to-one match decides.
    expect(classifyLatents(['A', 'B'], s, DEFAULT_SPLIT, 'heldout', { r: witness.r, leftover: witness.leftover }).classes).toEqual(['private-A', 'rare']);
    // A latent no witness latent reads stays rare.
    const lone = { r: Float64Array.from([0.97, 0.1]), rAny: Float64Array.from([0.97, 0.5]), leftover: Float64Array.from([0.05, 0.05]) };
    expect(classifyLatents(['A', 'B'], s, DEFAULT_SPLIT, 'heldout', lone).classes).toEqual(['private-A', 'rare']);
  });

  it('agreement with the witness counts reproduced latents classed alike (all matches beside it)', () => {
    const s = stats([[true, true, false, true], [true, false, true, true]], [100, 100, 100, 100]);
    // Weak evidence (R² 0.3 < strongExplained) on latents 0–2, so the witness decides; latent 3 is
    // strong (R² 0.6 on 10% of rows): kept although the witness matches it only at r 0.6.
    for (const e of s.explained) for (let j = 0; j < 3; j++) if (e[j]! > 0.01) e[j] = 0.3;
    const witness = { match: Int32Array.from([2, 0, 1, 3]), r: Float64Array.from([0.95, 0.5, 0.9, 0.6]), classes: ['private-B' as const, 'private-A' as const, 'shared' as const, 'private-A' as const] };
    const split = classifyLatents(['A', 'B'], s, DEFAULT_SPLIT, 'heldout', witness);
    expect(split.classes).toEqual(['shared', 'rare', 'private-B', 'shared']);
    expect(split.seedAgreement).toEqual({ matched: 2, agree: 1, fraction: 0.5, allMatched: { matched: 3, agree: 1, fraction: 1 / 3 } });
    expect(split.stability).toEqual([0.95, 0.5, 0.9, 0.6]);
  });

  it('N = 3 agents: a latent used by two of three is partial', () => {
    const s = stats([[true, true], [true, true], [true, false]], [100, 100]);
    s.fvu = [0.1, 0.1, 0.1];
    const split = classifyLatents(['A', 'B', 'C'], s, DEFAULT_SPLIT);
    expect(split.classes).toEqual(['shared', 'partial-A+B']);
    expect(split.individual.C).toEqual([0]);
    expect(split.individual.B).toEqual([0, 1]);
  });

  it('N = 3 agents: a partial latent that fires with a shared latent is a group\'s duplicate reading of it: shared; a partial latent on its own stays partial', () => {
    const rows = 200;
    const codes = twoTogetherOneApart(rows, 0.8);
    // latent 0 shared, latent 1 used by B and C only (reads what latent 0 reads), latent 2 by A and B.
    const s = stats([[true, false, true], [true, true, true], [true, true, false]], [50, 50, 40], rows, codes);
    s.fvu = [0.1, 0.1, 0.1];
    const split = classifyLatents(['A', 'B', 'C'], s, DEFAULT_SPLIT);
    expect(split.classes).toEqual(['shared', 'shared', 'partial-A+B']);
    expect(split.pair).toEqual([-1, 0, -1]);
    expect(classifyLatents(['A', 'B', 'C'], s, { ...DEFAULT_SPLIT, pairCorrelation: 1 }).classes).toEqual(['shared', 'partial-B+C', 'partial-A+B']);
  });
});
