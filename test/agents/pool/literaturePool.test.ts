// The literature evaluation set (examples/pools/literature.json): it parses, every strategy has
// an exact optimum, and the machines play as their published descriptions say.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPool, type CompiledStyle } from '../../../agents/pool/index.js';
import { exactMachine, exactPayoff, hasExactOptimum, optimum, titForTat } from '../../../agents/population/index.js';

const FILE = fileURLToPath(new URL('../../../examples/pools/literature.json', import.meta.url));
const pool = loadPool(FILE);
const byName = (name: string): CompiledStyle => {
  const s = pool.styles.find((x) => x.name === name);
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
