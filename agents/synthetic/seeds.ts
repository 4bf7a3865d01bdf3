// Derived seeds: one independent random stream per purpose (mixing weights, an episode's
// thoughts, an agent's noise in an episode…), so what one stream draws never shifts another
// and any part of a run can be regenerated on its own.
import { makeRng, type Rng } from '../../util/random.js';

export const STREAM = {
  mixing: 1,
  calibration: 2,
  thoughts: 3,
  noise: 4,
  conflicts: 5,
  family: 6,
} as const;

/** A generator for (seed, purpose, ...indices); equal inputs give equal streams. */
export function rngFor(seed: number, purpose: number, ...indices: number[]): Rng {
  let h = Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(purpose + 1, 0x85ebca6b);
  for (const i of indices) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    h = (h + Math.imul(i + 1, 0xc2b2ae35)) >>> 0;
  }
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  return makeRng(h ^ (h >>> 15));
}
