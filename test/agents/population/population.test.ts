import { describe, expect, it } from 'vitest';
import { makeRng } from '../../../util/random.js';
import { compileStyle, parsePool, StylePlayers } from '../../../agents/pool/index.js';
import { FAMILIES, generateStrategy, populationPool, populationSpec, splitOfSeed, splitSeeds, SPLITS, zdPhiMax, zdStrategy } from '../../../agents/population/index.js';
import { P, R, S, T } from '../../../agents/ipd/index.js';

describe('the generated co-player population', () => {
  it('is a pure function of the generator seed', () => {
    expect(generateStrategy(3_000_017)).toEqual(generateStrategy(3_000_017));
    expect(generateStrategy(3_000_017)).not.toEqual(generateStrategy(3_000_018));
  });

  it('splits by generator seed: disjoint blocks, every strategy knows its split', () => {
    const seeds = SPLITS.map((s) => new Set(splitSeeds(s, 500)));
    for (let i = 0; i < seeds.length; i++) for (let j = i + 1; j < seeds.length; j++) for (const x of seeds[i]!) expect(seeds[j]!.has(x)).toBe(false);
    for (const s of SPLITS) for (const x of splitSeeds(s, 50)) expect(splitOfSeed(x)).toBe(s);
    const test = populationSpec('test', 20);
    expect(test.styles.every((s) => s.heldOut)).toBe(true);
    expect(populationSpec('train', 20).styles.every((s) => !s.heldOut)).toBe(true);
  });

  it('is valid pool data covering every family, both first moves, 1–6 state machines and noisy variants', () => {
    const spec = populationSpec('train', 400);
    // round-trips through the pool validator
    expect(parsePool(JSON.parse(JSON.stringify(spec))).styles).toHaveLength(400);
    const families = new Set(spec.styles.map((s) => s.group));
    for (const f of FAMILIES) expect(families.has(f)).toBe(true);
    const fsms = spec.styles.filter((s) => s.kind === 'fsm-table');
    const sizes = new Set(fsms.map((s) => (s.kind === 'fsm-table' ? new Set(s.transitions.map((r) => r[0])).size : 0)));
    expect([...sizes].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    const first = new Set(fsms.map((s) => (s.kind === 'fsm-table' ? s.initialMove : '')));
    expect(first).toEqual(new Set(['C', 'D']));
    expect(spec.styles.filter((s) => (s.noise ?? 0) > 0).length).toBeGreaterThan(40);
    const pool = populationPool('test', 50);
    expect(pool.styles).toHaveLength(50);
  });
});

/** Stationary distribution of the memory-one chain of X (p) against Y (q), by power iteration. */
function stationary(p: number[], q: number[]): number[] {
  let v = [0.25, 0.25, 0.25, 0.25];
  for (let it = 0; it < 20000; it++) {
    const w: [number, number, number, number] = [0, 0, 0, 0];
    for (let o = 0; o < 4; o++) {
      const x = p[o]!;
      const y = q[((o & 1) << 1) | (o >> 1)]!; // Y sees the outcome mirrored
      w[0] += v[o]! * x * y;
      w[1] += v[o]! * x * (1 - y);
      w[2] += v[o]! * (1 - x) * y;
      w[3] += v[o]! * (1 - x) * (1 - y);
    }
    v = w;
  }
  return v;
}

describe('zero-determinant strategies (Press & Dyson)', () => {
  it('enforce s_X − κ = χ·(s_Y − κ) against random memory-one co-players', () => {
    const rng = makeRng(3);
    for (const family of ['extortion', 'generous'] as const) {
      for (const chi of [1.5, 2, 3.7]) {
        const zd = zdStrategy(family, chi, 0.6);
        expect(zd.phi).toBeLessThanOrEqual(zdPhiMax(chi, zd.kappa));
        for (const x of zd.p) expect(x >= 0 && x <= 1).toBe(true);
        if (family === 'extortion') expect(zd.p[3]).toBe(0);
        else expect(zd.p[0]).toBe(1);
        for (let k = 0; k < 5; k++) {
          const q = [0.05 + 0.9 * rng.next(), 0.05 + 0.9 * rng.next(), 0.05 + 0.9 * rng.next(), 0.05 + 0.9 * rng.next()];
          const v = stationary(zd.p, q);
          const sx = v[0]! * R + v[1]! * S + v[2]! * T + v[3]! * P;
          const sy = v[0]! * R + v[1]! * T + v[2]! * S + v[3]! * P;
          expect(sx - zd.kappa).toBeCloseTo(chi * (sy - zd.kappa), 6);
        }
      }
    }
  });

  it('generated ZD styles run in the pool players', () => {
    const zdSeeds = splitSeeds('train', 300).filter((s) => generateStrategy(s).group.startsWith('zd-'));
    expect(zdSeeds.length).toBeGreaterThan(10);
    const style = compileStyle(generateStrategy(zdSeeds[0]!));
    const players = new StylePlayers([style], 4, makeRng(1));
    players.reset([0, 0, 0, 0]);
    const out = new Int32Array(4);
    players.act(out);
    expect(out.every((x) => x === 0 || x === 1)).toBe(true);
  });
});
