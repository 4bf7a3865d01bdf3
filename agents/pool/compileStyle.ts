// Turns a style spec into a finite-state machine over joint outcomes that a vectorised
// player runs: P(C) per state, next state per (state, outcome), optional timed exits.
// A memory-n policy becomes 4^n history states plus a start state.
import { historyName, matchMemory, matches } from './parsePool.js';
import type { FsmTableStyleSpec, StyleSpec, SwitchPartSpec, SwitchStyleSpec } from './styleSpec.js';

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
  return { ...base, ...compileMachine(spec) };
}

type Machine = Pick<CompiledStyle, 'nStates' | 'initial' | 'coop' | 'next' | 'afterMin' | 'afterMax' | 'afterTo' | 'randomize'>;

function compileMachine(spec: StyleSpec | SwitchPartSpec): Machine {
  if (spec.kind === 'fsm-table') return compileTable(spec);
  if (spec.kind === 'switch') return compileSwitch(spec);
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
    return { nStates: k, initial: index.get(spec.initial)!, coop, next, afterMin, afterMax, afterTo, randomize: null };
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

/** Moore states (table state, move about to be played): 2 per table state. */
function compileTable(spec: Omit<FsmTableStyleSpec, 'name' | 'group'>): Machine {
  const names: string[] = [];
  const index = new Map<string, number>();
  for (const [st] of spec.transitions) if (!index.has(st)) index.set(st, names.push(st) - 1);
  const k = 2 * names.length;
  const row = new Map(spec.transitions.map(([st, opp, nx, own]) => [`${st} ${opp}`, 2 * index.get(nx)! + (own === 'C' ? 0 : 1)]));
  const coop = new Float64Array(k);
  const next = new Int32Array(k * 4);
  names.forEach((st, i) => {
    for (let m = 0; m < 2; m++) {
      coop[2 * i + m] = m === 0 ? 1 : 0;
      for (let o = 0; o < 4; o++) next[(2 * i + m) * 4 + o] = row.get(`${st} ${o & 1 ? 'D' : 'C'}`)!;
    }
  });
  const none = new Int32Array(k).fill(-1);
  return { nStates: k, initial: 2 * index.get(spec.initialState)! + (spec.initialMove === 'C' ? 0 : 1), coop, next, afterMin: none, afterMax: none, afterTo: none, randomize: null };
}

/**
 * A switch is compiled with the round in its state: (round t < at, state of `first`), then
 * the states of `then`. Each part's noise is folded into its P(cooperate) (a flipped move is
 * a move drawn with the flipped probability; the machines move on the move actually played).
 */
function compileSwitch(spec: Omit<SwitchStyleSpec, 'name' | 'group'>): Machine {
  const part = (p: SwitchPartSpec): Machine => {
    const m = compileMachine(p);
    const e = p.noise ?? 0;
    const coop = m.coop.map((c) => c * (1 - e) + (1 - c) * e);
    const next = m.next.map((to, j) => (to < 0 ? Math.floor(j / 4) : to));
    return { ...m, coop, next };
  };
  const a = part(spec.first);
  const b = part(spec.then);
  const at = spec.at;
  const off = at * a.nStates;
  const k = off + b.nStates;
  const coop = new Float64Array(k);
  const next = new Int32Array(k * 4);
  for (let t = 0; t < at; t++) {
    for (let s = 0; s < a.nStates; s++) {
      const i = t * a.nStates + s;
      coop[i] = a.coop[s]!;
      for (let o = 0; o < 4; o++) next[i * 4 + o] = t + 1 < at ? (t + 1) * a.nStates + a.next[s * 4 + o]! : off + b.initial;
    }
  }
  coop.set(b.coop, off);
  for (let j = 0; j < b.nStates * 4; j++) next[off * 4 + j] = off + b.next[j]!;
  const none = new Int32Array(k).fill(-1);
  return { nStates: k, initial: a.initial, coop, next, afterMin: none, afterMax: none, afterTo: none, randomize: null };
}
