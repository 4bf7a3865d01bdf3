// The literature evaluation sets (examples/pools/literature.json and literature2.json): they parse,
// every strategy has an exact optimum, and the machines play as their published descriptions say.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPool, type CompiledStyle } from '../../../agents/pool/index.js';
import { exactMachine, exactPayoff, hasExactOptimum, optimum, titForTat } from '../../../agents/population/index.js';

const FILE = fileURLToPath(new URL('../../../examples/pools/literature.json', import.meta.url));
const pool = loadPool(FILE);
const pool2 = loadPool(fileURLToPath(new URL('../../../examples/pools/literature2.json', import.meta.url)));
const byName = (name: string): CompiledStyle => {
  const s = [...pool.styles, ...pool2.styles].find((x) => x.name === name);
  if (!s) throw new Error(`no style ${name}`);
  return s;
};

/** The machine's moves ('C'/'D') against an open-loop sequence of the co-player's moves (deterministic machines). */
function movesAgainst(style: CompiledStyle, coPlayer: string): string {
  const m = exactMachine(style);
  let s = m.initial;
  let out = '';
  for (const c of coPlayer) {
    const b = m.coop[s]! >= 0.5 ? 0 : 1;
    const a = c === 'C' ? 0 : 1;
    out += b === 0 ? 'C' : 'D';
    s = m.next[s * 4 + 2 * b + a]!;
  }
  return out;
}

describe('literature pool', () => {
  it('has 30 held-out strategies, each with an exact optimum', () => {
    expect(pool.styles).toHaveLength(30);
    for (const s of pool.styles) {
      expect(s.heldOut, s.name).toBe(true);
      expect(hasExactOptimum(s), s.name).toBe(true);
    }
  });

  it('plays the published machines', () => {
    expect(movesAgainst(byName('lit-tit-for-tat'), 'CDDCC')).toBe('CCDDC');
    expect(movesAgainst(byName('lit-tit-for-two-tats'), 'CDCDDC')).toBe('CCCCCD');
    expect(movesAgainst(byName('lit-two-tits-for-tat'), 'CDCCC')).toBe('CCDDC');
    expect(movesAgainst(byName('lit-grudger'), 'CDCCC')).toBe('CCDDD');
    // Tester: D first; unchallenged it plays C, C, then alternates D, C; a retaliation gets an apology and tit-for-tat.
    expect(movesAgainst(byName('lit-tester'), 'CCCCCCC')).toBe('DCCDCDC');
    expect(movesAgainst(byName('lit-tester'), 'CDCDD')).toBe('DCCCD');
    // Prober: D, C, C; exploits a co-player that cooperated in rounds 2 and 3, else tit-for-tat.
    expect(movesAgainst(byName('lit-prober'), 'CCCCCC')).toBe('DCCDDD');
    expect(movesAgainst(byName('lit-prober'), 'DCDCC')).toBe('DCCDC');
    // Handshake: C, D; cooperates forever after the co-player's C, D, else defects forever.
    expect(movesAgainst(byName('lit-handshake'), 'CDCDC')).toBe('CDCCC');
    expect(movesAgainst(byName('lit-handshake'), 'CCCCC')).toBe('CDDDD');
    // Fortress3: two mutual defections open its cooperation; a defection against it closes it.
    expect(movesAgainst(byName('lit-fortress3'), 'DDCCDC')).toBe('DDCCCD');
    expect(movesAgainst(byName('lit-cycler-ccd'), 'CCCCCC')).toBe('CCDCCD');
    expect(movesAgainst(byName('lit-bully'), 'CDCC')).toBe('DDCD');
    expect(movesAgainst(byName('lit-forgetful-grudger'), 'D' + 'C'.repeat(11))).toBe('C' + 'D'.repeat(10) + 'C');
  });

  it('scores tit-for-tat exactly against its literature copy and bounds it by the optimum', () => {
    const opt = optimum(byName('lit-tit-for-tat'), 100);
    expect(exactPayoff(titForTat(), byName('lit-tit-for-tat'), 100)).toBe(100);
    expect(opt.best).toBe(101); // cooperate for 99 rounds, defect in the last
  });
});

describe('second literature pool', () => {
  it('has 19 held-out strategies, none named as in the first, each with an exact optimum', () => {
    expect(pool2.styles).toHaveLength(19);
    const first = new Set(pool.styles.map((s) => s.name));
    for (const s of pool2.styles) {
      expect(s.heldOut, s.name).toBe(true);
      expect(first.has(s.name), s.name).toBe(false);
      expect(hasExactOptimum(s), s.name).toBe(true);
    }
  });

  it('plays the published machines', () => {
    // Davis: C for ten rounds whatever happens, then a grudge over the whole history.
    expect(movesAgainst(byName('lit2-davis'), 'C'.repeat(12))).toBe('C'.repeat(12));
    expect(movesAgainst(byName('lit2-davis'), 'CCCD' + 'C'.repeat(8))).toBe('C'.repeat(10) + 'DD');
    // Hard Prober: D, D, C, C; exploits a co-player that cooperated in rounds 2 and 3, else tit-for-tat.
    expect(movesAgainst(byName('lit2-hard-prober'), 'CCCCCC')).toBe('DDCCDD');
    expect(movesAgainst(byName('lit2-hard-prober'), 'CDCCC')).toBe('DDCCC');
    // Slow tit-for-tat: follows a move only once it was played twice in a row.
    expect(movesAgainst(byName('lit2-slow-tft'), 'DDCCC')).toBe('CCDDC');
    expect(movesAgainst(byName('lit2-spiteful-tft'), 'DCDDCC')).toBe('CDCDDD');
    expect(movesAgainst(byName('lit2-cycler-cccccd'), 'C'.repeat(8))).toBe('CCCCCDCC');
    expect(movesAgainst(byName('lit2-tit-for-three-tats'), 'DDDCC')).toBe('CCCDC');
    expect(movesAgainst(byName('lit2-majority-of-three'), 'DCDCC')).toBe('CCCDC');
  });
});
