// The procedural co-player generator: one seed → one strategy, as a pool style spec (so a
// generated population is an ordinary pool file). Families, drawn from the seed:
//   fsm          35%  a random transition table, 1–6 states, first move C or D with equal odds
//   memory-1     15%  a stochastic memory-one table (each entry: 40% a pure move, else uniform)
//   memory-2     15%  the same over the last two outcomes
//   zd-extortion  8%  Press–Dyson extortioner, χ ∈ [1.5, 5], φ ∈ [0.3, 1]·φ_max, first move random
//   zd-generous   7%  generous ZD, χ ∈ [1.5, 5], φ ∈ [0.3, 1]·φ_max, first move C
//   switch       20%  a small fsm (1–4 states) or memory-1 table that switches to another at round 20–80
// and then, with probability 0.2 (any family), a noisy variant: each move flipped with
// probability 0.02, 0.05 or 0.1. Probabilities are rounded to 2 decimals (ZD entries to 4).
import { makeRng, type Rng } from '../../util/random.js';
import type { FsmTableRow, MemoryStyleSpec, Move, StyleSpec, SwitchPartSpec } from '../pool/index.js';
import { historyName } from '../pool/index.js';
import { zdStrategy } from './zeroDeterminant.js';

export const FAMILIES = ['fsm', 'memory-1', 'memory-2', 'zd-extortion', 'zd-generous', 'switch'] as const;
export type Family = (typeof FAMILIES)[number];
const CUMULATIVE: [Family, number][] = [
  ['fsm', 0.35],
  ['memory-1', 0.5],
  ['memory-2', 0.65],
  ['zd-extortion', 0.73],
  ['zd-generous', 0.8],
  ['switch', 1],
];
export const NOISY_FRACTION = 0.2;
export const NOISE_LEVELS = [0.02, 0.05, 0.1] as const;
export const MAX_FSM_STATES = 6;

/** The strategy of generator seed `seed` (a pool style named `<family>-<seed>`). */
export function generateStrategy(seed: number): StyleSpec {
  const rng = makeRng(seed);
  const u = rng.next();
  const family = CUMULATIVE.find(([, c]) => u < c)![0];
  const body = generateBody(family, rng);
  const noise = rng.next() < NOISY_FRACTION ? NOISE_LEVELS[rng.int(NOISE_LEVELS.length)]! : 0;
  return { name: `${family}-${seed}`, group: family, description: `generated from seed ${seed}`, ...body, ...(noise > 0 ? { noise } : {}) } as StyleSpec;
}

function generateBody(family: Family, rng: Rng): SwitchPartSpec | Omit<Extract<StyleSpec, { kind: 'switch' }>, 'name' | 'group'> {
  switch (family) {
    case 'fsm':
      return randomTable(rng, 1 + rng.int(MAX_FSM_STATES));
    case 'memory-1':
      return randomMemory(rng, 1);
    case 'memory-2':
      return randomMemory(rng, 2);
    case 'zd-extortion':
    case 'zd-generous': {
      const chi = round2(1.5 + 3.5 * rng.next());
      const zd = zdStrategy(family === 'zd-extortion' ? 'extortion' : 'generous', chi, 0.3 + 0.7 * rng.next());
      const p = Object.fromEntries(zd.p.map((x, o) => [historyName(o, 1), Math.round(x * 1e4) / 1e4]));
      const start = family === 'zd-generous' ? 1 : rng.int(2);
      return { kind: 'memory', n: 1, start, p, description: `ZD ${zd.family} χ = ${chi}, φ = ${zd.phi.toPrecision(3)}` } as MemoryStyleSpec;
    }
    case 'switch': {
      const part = (): SwitchPartSpec => (rng.next() < 0.5 ? randomTable(rng, 1 + rng.int(4)) : randomMemory(rng, 1));
      const at = 20 + rng.int(61);
      return { kind: 'switch', at, first: part(), then: part() };
    }
  }
}

function randomTable(rng: Rng, n: number): SwitchPartSpec {
  const move = (): Move => (rng.next() < 0.5 ? 'C' : 'D');
  const transitions: FsmTableRow[] = [];
  for (let s = 1; s <= n; s++) for (const m of ['C', 'D'] as const) transitions.push([String(s), m, String(1 + rng.int(n)), move()]);
  return { kind: 'fsm-table', initialState: '1', initialMove: move(), transitions };
}

function randomMemory(rng: Rng, n: number): SwitchPartSpec {
  const prob = (): number => (rng.next() < 0.4 ? rng.int(2) : round2(rng.next()));
  const start = prob();
  const p: Record<string, number> = {};
  for (let h = 0; h < 4 ** n; h++) p[historyName(h, n)] = prob();
  return { kind: 'memory', n, start, p };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
