import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from '../../util/benjaminiHochberg.js';
import { bootstrapTwoSample } from '../../util/bootstrapTwoSample.js';
import { cohensD } from '../../util/cohensD.js';
import { permutationTest } from '../../util/permutationTest.js';
import { makeRng } from '../../util/random.js';
import { signFlipTest } from '../../util/signFlipTest.js';

describe('permutationTest', () => {
  it('rejects at about its level when both samples come from the same distribution', () => {
    const rng = makeRng(11);
    const trials = 400;
    let rejected = 0;
    for (let k = 0; k < trials; k++) {
      const a = Array.from({ length: 20 }, () => rng.normal());
      const b = Array.from({ length: 25 }, () => rng.normal());
      if (permutationTest(a, b, { permutations: 199, seed: k }) <= 0.05) rejected++;
    }
    const rate = rejected / trials;
    // binomial sd at p = 0.05, n = 400 is 0.011: allow about 3 sd
    expect(rate).toBeGreaterThan(0.015);
    expect(rate).toBeLessThan(0.085);
  });

  it('finds a shift of one standard deviation', () => {
    const rng = makeRng(3);
    const a = Array.from({ length: 40 }, () => rng.normal() + 1);
    const b = Array.from({ length: 40 }, () => rng.normal());
    expect(permutationTest(a, b, { permutations: 999, seed: 1 })).toBeLessThan(0.01);
  });

  it('never returns 0 and is NaN for an empty group', () => {
    expect(permutationTest([10, 11, 12], [0, 1, 2], { permutations: 50 })).toBeGreaterThan(0);
    expect(permutationTest([], [1])).toBeNaN();
  });
});

describe('benjaminiHochberg', () => {
  it('adjusts in input order and is monotone in p', () => {
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.2]);
    expect(q[0]).toBeCloseTo(0.04);
    expect(q[1]).toBeCloseTo(0.0533, 3);
    expect(q[2]).toBeCloseTo(0.0533, 3);
    expect(q[3]).toBeCloseTo(0.2);
    expect(benjaminiHochberg([NaN, 0.01])).toEqual([NaN, 0.01]);
  });
});

describe('cohensD and bootstrapTwoSample', () => {
  it('measures a known effect and brackets it', () => {
    expect(cohensD([1, 2, 3], [1, 2, 3])).toBe(0);
    expect(cohensD([2, 3, 4], [1, 2, 3])).toBeCloseTo(1);
    const rng = makeRng(5);
    const a = Array.from({ length: 200 }, () => rng.normal() + 0.5);
    const b = Array.from({ length: 200 }, () => rng.normal());
    const ci = bootstrapTwoSample(a, b, cohensD, { resamples: 300, seed: 2 });
    expect(ci.lo).toBeLessThan(0.5);
    expect(ci.hi).toBeGreaterThan(0.5);
    expect(ci.lo).toBeGreaterThan(0.2);
  });
});

describe('signFlipTest', () => {
  it('rejects at about its level on paired samples from the same distribution, and finds a paired shift', () => {
    const rng = makeRng(17);
    let rejected = 0;
    const trials = 400;
    for (let k = 0; k < trials; k++) {
      const base = Array.from({ length: 30 }, () => rng.normal() * 3);
      const d = base.map(() => rng.normal() - rng.normal());
      if (signFlipTest(d, { permutations: 199, seed: k }) <= 0.05) rejected++;
    }
    expect(rejected / trials).toBeGreaterThan(0.015);
    expect(rejected / trials).toBeLessThan(0.085);
    const shifted = Array.from({ length: 30 }, () => 0.6 + rng.normal() * 0.5);
    expect(signFlipTest(shifted, { permutations: 999, seed: 1 })).toBeLessThan(0.01);
    expect(signFlipTest([])).toBeNaN();
  });
});
