// Turns a style spec into a finite-state machine over joint outcomes that a vectorised
// player runs: P(C) per state, next state per (state, outcome), optional timed exits.
// A memory-n policy becomes 4^n history states plus a start state.
import { historyName, matchMemory, matches } from './parsePool.js';
import type { StyleSpec } from './styleSpec.js';

export interface CompiledStyle {
  name: string;
  group: string;
  heldOut: boolean;
  warmup: boolean;
  noise: number;
  /** Relative frequency in training (dealt this many times per round of the pool). */
  weight: number;
  nStates: number;
  initial: number;
  /** P(cooperate) in each state. */
  coop: Float64Array;
  /** Next state per state·4 + outcome (own side, own move first); −1 = stay. */
  next: Int32Array;
  /** Timed exit per state: after k ∈ [afterMin, afterMax] rounds go to afterTo (−1 = none). */
  afterMin: Int32Array;
  afterMax: Int32Array;
  afterTo: Int32Array;
  /** Fresh random P(cooperate) per episode for every state ('random-memory'). */
  randomize: 'uniform' | 'binary' | null;
  spec: StyleSpec;
}

export function compileStyle(spec: StyleSpec): CompiledStyle {
  const base = { name: spec.name, group: spec.group, heldOut: spec.heldOut ?? false, warmup: spec.warmup ?? false, noise: spec.noise ?? 0, weight: spec.weight ?? 1, spec };
  if (spec.kind === 'fsm') {
    const names = Object.keys(spec.states);
    const k = names.length;
    const index = new Map(names.map((s, i) => [s, i]));
    const coop = new Float64Array(k);
    const next = new Int32Array(k * 4).fill(-1);
    const afterMin = new Int32Array(k).fill(-1);
    const afterMax = new Int32Array(k).fill(-1);
    const afterTo = new Int32Array(k).fill(-1);
    names.forEach((sn, i) => {
      const st = spec.states[sn]!;
      coop[i] = st.p;
      for (let o = 0; o < 4; o++) {
        const name = historyName(o, 1);
        let bestWild = Infinity;
        for (const [pat, to] of Object.entries(st.next ?? {})) {
          const wild = (pat.match(/\?/g) ?? []).length;
          if (matches(pat, name) && wild < bestWild) {
            next[i * 4 + o] = index.get(to)!;
            bestWild = wild;
          }
        }
      }
      if (st.after) {
        afterMin[i] = st.after.min;
        afterMax[i] = st.after.max;
        afterTo[i] = index.get(st.after.to)!;
      }
    });
    return { ...base, nStates: k, initial: index.get(spec.initial)!, coop, next, afterMin, afterMax, afterTo, randomize: null };
  }
  const n = spec.n;
  const h = 4 ** n;
  const k = h + 1; // histories, then the start state
  const coop = new Float64Array(k);
  const next = new Int32Array(k * 4);
  for (let s = 0; s < k; s++) {
    const idx = s === h ? 0 : s; // start = history padded with CC
    for (let o = 0; o < 4; o++) next[s * 4 + o] = (idx * 4 + o) % h;
  }
  if (spec.kind === 'memory') {
    for (let s = 0; s < h; s++) coop[s] = matchMemory(spec.p, s, n) ?? spec.default!;
    coop[h] = spec.start;
  }
  const none = new Int32Array(k).fill(-1);
  return {
    ...base,
    nStates: k,
    initial: h,
    coop,
    next,
    afterMin: none,
    afterMax: none,
    afterTo: none,
    randomize: spec.kind === 'random-memory' ? spec.dist : null,
  };
}
