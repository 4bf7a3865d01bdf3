import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRng } from '../../../util/random.js';
import { compileStyle, heldOutStyles, loadPool, PoolError, poolFromJson, StylePlayers, styleIndex, trainingStyles, type Pool } from '../../../agents/pool/index.js';
import { tempDir } from '../../helpers/tmp.js';

const pool = loadPool();

/** Plays a style against a fixed sequence of opponent moves; returns the style's moves. */
function respond(p: Pool, name: string, opponent: number[], seed = 1, n = 1): number[][] {
  const players = new StylePlayers(p.styles, n, makeRng(seed));
  players.reset(new Int32Array(n).fill(styleIndex(p, name)));
  const out: number[][] = Array.from({ length: n }, () => []);
  const act = new Int32Array(n);
  for (const o of opponent) {
    players.act(act);
    for (let i = 0; i < n; i++) out[i]!.push(act[i]!);
    players.observe(act, new Int32Array(n).fill(o));
  }
  return out;
}

const C = 0;
const D = 1;

describe('shipped pool styles behave as named', () => {
  it('ships the required styles, with a held-out subset', () => {
    for (const s of ['tit-for-tat', 'grim-trigger', 'two-strike-grim', 'noisy-tit-for-tat', 'win-stay-lose-shift', 'always-cooperate', 'always-defect', 'random', 'random-memory-1', 'flip', 'corrigible', 'zd-extortion-chi2']) {
      expect(styleIndex(pool, s)).toBeGreaterThanOrEqual(0);
    }
    expect(heldOutStyles(pool).length).toBeGreaterThanOrEqual(4);
    expect(new Set(trainingStyles(pool)).size + heldOutStyles(pool).length).toBe(pool.styles.length);
  });

  it('tit-for-tat cooperates first, then copies', () => {
    const opp = [D, C, D, D, C, C, D];
    expect(respond(pool, 'tit-for-tat', opp)[0]).toEqual([C, ...opp.slice(0, -1)]);
  });

  it('grim trigger never forgives', () => {
    expect(respond(pool, 'grim-trigger', [C, C, D, C, C, C, C])[0]).toEqual([C, C, C, D, D, D, D]);
  });

  it('two-strike grim forgives one defection, not two', () => {
    expect(respond(pool, 'two-strike-grim', [D, C, C, C, D, C, C])[0]).toEqual([C, C, C, C, C, D, D]);
  });

  it('win-stay-lose-shift repeats after CC/DC and switches after CD/DD', () => {
    // rounds: CC → C; CD (lost) → D; DC (won) → D; DD (lost) → C
    expect(respond(pool, 'win-stay-lose-shift', [C, D, C, D, C])[0]).toEqual([C, C, D, D, C]);
  });

  it('corrigible defects until punished, then reciprocates', () => {
    expect(respond(pool, 'corrigible', [C, C, C, D, C, C, D, C])[0]).toEqual([D, D, D, D, C, C, C, D]);
  });

  it('flip cooperates for 10..60 rounds, then always defects', () => {
    const runs = respond(pool, 'flip', new Array(80).fill(C), 3, 50);
    for (const r of runs) {
      const first = r.indexOf(D);
      expect(first).toBeGreaterThanOrEqual(10);
      expect(first).toBeLessThanOrEqual(60);
      expect(r.slice(first).every((x) => x === D)).toBe(true);
    }
    expect(new Set(runs.map((r) => r.indexOf(D))).size).toBeGreaterThan(10);
  });

  it('noisy tit-for-tat flips about 10% of its moves', () => {
    const runs = respond(pool, 'noisy-tit-for-tat', new Array(200).fill(C), 4, 20);
    const defections = runs.flat().filter((x) => x === D).length / (200 * 20);
    expect(defections).toBeGreaterThan(0.07);
    expect(defections).toBeLessThan(0.13);
  });

  it('always-defect, always-cooperate and random are unconditional', () => {
    expect(respond(pool, 'always-defect', [C, C, C, C])[0]).toEqual([D, D, D, D]);
    expect(respond(pool, 'always-cooperate', [D, D, D, D])[0]).toEqual([C, C, C, C]);
    const r = respond(pool, 'random', new Array(400).fill(C), 5)[0]!;
    expect(r.filter((x) => x === C).length / 400).toBeCloseTo(0.5, 1);
  });

  it('tit-for-two-tats (memory-2) defects only after two defections in a row', () => {
    expect(respond(pool, 'tit-for-two-tats', [D, C, D, D, C, C])[0]).toEqual([C, C, C, C, D, C]);
  });

  it('random-memory-1 draws a fresh table per episode', () => {
    const s = compileStyle({ name: 'r', group: 'g', kind: 'random-memory', n: 1, dist: 'binary' });
    const p = new StylePlayers([s], 64, makeRng(9));
    p.reset(new Int32Array(64));
    const act = new Int32Array(64);
    p.act(act);
    const coop = [...act].filter((x) => x === C).length;
    expect(coop).toBeGreaterThan(16);
    expect(coop).toBeLessThan(48);
  });

  it('the zero-determinant extortioners enforce s_X − P = χ (s_Y − P) against any memory-1 co-player', () => {
    // Press & Dyson: p = (1,1,0,0) + φ[(R,S,T,P) − χ(R,T,S,P)] with (R,S,T,P) = (1,−1,2,0).
    // χ = 2: (1−2, −1−4, 2+2, 0) = (−1, −5, 4, 0), φ = 1/6 → p = (5/6, 1/6, 2/3, 0).
    // χ = 3: (1−3, −1−6, 2+3, 0) = (−2, −7, 5, 0), φ = 1/8 → p = (3/4, 1/8, 5/8, 0).
    for (const [name, chi, phi] of [['zd-extortion-chi2', 2, 1 / 6], ['zd-extortion-chi3', 3, 1 / 8]] as const) {
      const st = pool.styles[styleIndex(pool, name)]!;
      const expected = [1, 1, 0, 0].map((b, o) => b + phi * ([1, -1, 2, 0][o]! - chi * [1, 2, -1, 0][o]!));
      expect([...st.coop.slice(0, 4)].map((x) => +x.toFixed(9))).toEqual(expected.map((x) => +x.toFixed(9)));
      const rng = makeRng(11);
      for (let trial = 0; trial < 5; trial++) {
        // Y's memory-1 policy q over outcomes from Y's side; stationary distribution of the 4-state chain
        const q = [rng.next(), rng.next(), rng.next(), rng.next()];
        const p = [...st.coop.slice(0, 4)];
        const M = [0, 1, 2, 3].map((o) => {
          const px = p[o]!;
          const qy = q[[0, 2, 1, 3][o]!]!; // Y sees the outcome mirrored
          return [px * qy, px * (1 - qy), (1 - px) * qy, (1 - px) * (1 - qy)];
        });
        let v = [0.25, 0.25, 0.25, 0.25];
        for (let it = 0; it < 20000; it++) v = [0, 1, 2, 3].map((j) => v.reduce((s, vi, i) => s + vi * M[i]![j]!, 0));
        const sX = v[0]! * 1 + v[1]! * -1 + v[2]! * 2;
        const sY = v[0]! * 1 + v[1]! * 2 + v[2]! * -1;
        expect(sX).toBeCloseTo(chi * sY, 6);
      }
    }
  });
});

describe('pool files', () => {
  it('loads a user pool', () => {
    const dir = tempDir();
    const f = join(dir, 'pool.json');
    writeFileSync(f, JSON.stringify({ styles: [{ name: 'mine', group: 'g', kind: 'memory', n: 1, start: 1, p: { '??': 1 } }] }));
    const p = loadPool(f);
    expect(p.styles.map((s) => s.name)).toEqual(['mine']);
    expect(p.source).toBe(f);
  });

  const bad: [unknown, RegExp][] = [
    [{ styles: [] }, /"styles" must be a non-empty array/],
    [{ styles: [{ name: 'x', group: 'g', kind: 'memory', n: 1, start: 2, p: { '??': 1 } }] }, /style #0 \("x"\) field "start" must be a probability/],
    [{ styles: [{ name: 'tft', group: 'g', kind: 'memory', n: 1, start: 1, p: { '?C': 1 } }] }, /style #0 \("tft"\) field "p" covers no pattern for history "CD"/],
    [{ styles: [{ name: 'y', group: 'g', kind: 'memory', n: 1, start: 1, p: { CCC: 1 } }] }, /style #0 \("y"\) field "p.CCC" is not a pattern/],
    [{ styles: [{ name: 'ok', group: 'g', kind: 'memory', n: 1, start: 1, p: { '??': 1 } }, { name: 'g2', group: 'g', kind: 'fsm', initial: 'a', states: { a: { p: 1, next: { '?D': 'zz' } } } }] }, /style #1 \("g2"\) field "states.a.next.\?D" must name a state, got "zz"/],
    [{ styles: [{ name: 'f', group: 'g', kind: 'fsm', initial: 'a', states: { a: { p: 1, after: { min: 5, max: 2, to: 'a' } } } }] }, /style #0 \("f"\) field "states.a.after.max"/],
    [{ styles: [{ name: 'k', group: 'g', kind: 'tabular' }] }, /style #0 \("k"\) field "kind" must be/],
    [{ styles: [{ name: 'w', group: 'g', kind: 'memory', n: 1, start: 1, p: { '??': 1 }, weight: 1.5 }] }, /style #0 \("w"\) field "weight" must be an integer in 1..100, got 1.5/],
    [{ styles: [{ name: 'w', group: 'g', kind: 'memory', n: 1, start: 1, p: { '??': 1 }, weight: 0 }] }, /style #0 \("w"\) field "weight" must be an integer in 1..100, got 0/],
    [{ styles: [{ group: 'g', kind: 'memory' }] }, /style #0 field "name"/],
    [{ styles: [{ name: 'a', group: 'g', kind: 'random-memory', n: 1, dist: 'uniform' }, { name: 'a', group: 'g', kind: 'random-memory', n: 1, dist: 'uniform' }] }, /style #1 \("a"\) field "name" duplicates/],
  ];
  it.each(bad.map(([json, re], i) => ({ i, json, re })))('rejects bad file #$i naming the entry and field', ({ json, re }) => {
    expect(() => poolFromJson(json, 'user.json')).toThrow(PoolError);
    expect(() => poolFromJson(json, 'user.json')).toThrow(re);
  });

  it('deals each training style in proportion to its weight (held-out styles never)', () => {
    const p = poolFromJson({
      styles: [
        { name: 'a', group: 'g', kind: 'memory', n: 1, start: 1, p: { '??': 1 } },
        { name: 'b', group: 'g', kind: 'memory', n: 1, start: 0, p: { '??': 0 }, weight: 3 },
        { name: 'c', group: 'g', kind: 'memory', n: 1, start: 0, p: { '??': 0 }, weight: 2, heldOut: true },
      ],
    });
    expect(trainingStyles(p)).toEqual([0, 1, 1, 1]);
    // the shipped pool weights grim trigger 3× (docs/RESULTS.md, "Built-in agents")
    expect(trainingStyles(pool).filter((i) => i === styleIndex(pool, 'grim-trigger'))).toHaveLength(3);
  });

  it('reports unreadable JSON with the file name', () => {
    const dir = tempDir();
    const f = join(dir, 'broken.json');
    writeFileSync(f, '{ "styles": [');
    expect(() => loadPool(f)).toThrow(/not valid JSON.*broken\.json/);
  });
});
