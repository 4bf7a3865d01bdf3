// Validates a parsed pool file field by field; errors name the style entry and field.
import { PoolError } from './poolError.js';
import type { FsmStateSpec, FsmTableRow, Move, PoolSpec, StyleSpec, SwitchPartSpec } from './styleSpec.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const OUTCOME_PATTERN = /^[CD?]{2}$/;
export const MAX_MEMORY = 3;
export const MAX_WEIGHT = 100;
/** Longest first part of a switch (rounds). */
export const MAX_SWITCH_AT = 1000;

export function parsePool(json: unknown, file?: string): PoolSpec {
  const fail = (field: string, what: string): never => {
    throw new PoolError(`pool ${field} ${what}`, file);
  };
  if (!isObject(json)) return fail('(root)', 'must be a JSON object with a "styles" array');
  if (json.version !== undefined && json.version !== 1) fail('field "version"', `must be 1, got ${show(json.version)}`);
  if (!Array.isArray(json.styles) || json.styles.length === 0) fail('field "styles"', 'must be a non-empty array');
  const names = new Set<string>();
  const styles = (json.styles as unknown[]).map((raw, i) => {
    const s = parseStyle(raw, i, fail);
    if (names.has(s.name)) fail(`style #${i} ("${s.name}") field "name"`, 'duplicates an earlier style');
    names.add(s.name);
    return s;
  });
  return { version: 1, styles };
}

function parseStyle(raw: unknown, i: number, fail: (field: string, what: string) => never): StyleSpec {
  if (!isObject(raw)) return fail(`style #${i}`, 'must be an object');
  const label = typeof raw.name === 'string' ? `style #${i} ("${raw.name}")` : `style #${i}`;
  const bad = (field: string, what: string): never => fail(`${label} field "${field}"`, what);
  if (typeof raw.name !== 'string' || !NAME.test(raw.name)) bad('name', `must match ${NAME}, got ${show(raw.name)}`);
  if (typeof raw.group !== 'string' || raw.group.length === 0) bad('group', `must be a non-empty string, got ${show(raw.group)}`);
  if (raw.description !== undefined && typeof raw.description !== 'string') bad('description', 'must be a string');
  if (raw.heldOut !== undefined && typeof raw.heldOut !== 'boolean') bad('heldOut', `must be true or false, got ${show(raw.heldOut)}`);
  if (raw.warmup !== undefined && typeof raw.warmup !== 'boolean') bad('warmup', `must be true or false, got ${show(raw.warmup)}`);
  if (raw.noise !== undefined && !(isProb(raw.noise) && (raw.noise as number) <= 0.5)) bad('noise', `must be a number in [0, 0.5], got ${show(raw.noise)}`);
  if (raw.weight !== undefined && !(Number.isInteger(raw.weight) && (raw.weight as number) >= 1 && (raw.weight as number) <= MAX_WEIGHT)) {
    bad('weight', `must be an integer in 1..${MAX_WEIGHT}, got ${show(raw.weight)}`);
  }
  const base = {
    name: raw.name as string,
    group: raw.group as string,
    ...(raw.description !== undefined ? { description: raw.description as string } : {}),
    heldOut: (raw.heldOut as boolean | undefined) ?? false,
    noise: (raw.noise as number | undefined) ?? 0,
    warmup: (raw.warmup as boolean | undefined) ?? false,
    weight: (raw.weight as number | undefined) ?? 1,
  };
  return { ...base, ...parseBody(raw, bad, false) } as StyleSpec;
}

type Bad = (field: string, what: string) => never;
type BaseKey = 'name' | 'group' | 'description' | 'heldOut' | 'noise' | 'warmup' | 'weight';
type Body = StyleSpec extends infer S ? (S extends StyleSpec ? Omit<S, BaseKey> : never) : never;

/** The kind-specific fields; `nested` = a part of a switch (no timers, no random tables, no switches). */
function parseBody(raw: Record<string, unknown>, bad: Bad, nested: boolean): Body {
  const memoryN = (): number => {
    if (!Number.isInteger(raw.n) || (raw.n as number) < 1 || (raw.n as number) > MAX_MEMORY) bad('n', `must be an integer in 1..${MAX_MEMORY}, got ${show(raw.n)}`);
    return raw.n as number;
  };
  switch (raw.kind) {
    case 'memory': {
      const n = memoryN();
      if (!isProb(raw.start)) bad('start', `must be a probability in [0, 1], got ${show(raw.start)}`);
      if (!isObject(raw.p)) return bad('p', 'must be an object of pattern: probability');
      const pattern = new RegExp(`^[CD?]{2}(,[CD?]{2}){${n - 1}}$`);
      for (const [k, v] of Object.entries(raw.p)) {
        if (!pattern.test(k)) bad(`p.${k}`, `is not a pattern of ${n} outcome(s) like ${n === 1 ? '"CD" or "?D"' : '"CC,?D"'}`);
        if (!isProb(v)) bad(`p.${k}`, `must be a probability in [0, 1], got ${show(v)}`);
      }
      if (raw.default !== undefined && !isProb(raw.default)) bad('default', `must be a probability in [0, 1], got ${show(raw.default)}`);
      const spec = { kind: 'memory' as const, n, start: raw.start as number, p: raw.p as Record<string, number>, ...(raw.default !== undefined ? { default: raw.default as number } : {}) };
      // Every history must be covered.
      if (spec.default === undefined) {
        for (let h = 0; h < 4 ** n; h++) {
          if (matchMemory(spec.p, h, n) === undefined) bad('p', `covers no pattern for history "${historyName(h, n)}" and there is no "default"`);
        }
      }
      return spec;
    }
    case 'fsm': {
      if (!isObject(raw.states) || Object.keys(raw.states).length === 0) return bad('states', 'must be a non-empty object of state name: state');
      const states = raw.states as Record<string, unknown>;
      if (typeof raw.initial !== 'string' || !(raw.initial in states)) bad('initial', `must name one of the states (${Object.keys(states).join(', ')}), got ${show(raw.initial)}`);
      const out: Record<string, FsmStateSpec> = {};
      for (const [sn, st] of Object.entries(states)) {
        const at = `states.${sn}`;
        if (!isObject(st)) return bad(at, 'must be an object');
        if (!isProb(st.p)) bad(`${at}.p`, `must be a probability in [0, 1], got ${show(st.p)}`);
        const state: FsmStateSpec = { p: st.p as number };
        if (st.next !== undefined) {
          if (!isObject(st.next)) bad(`${at}.next`, 'must be an object of outcome pattern: state name');
          for (const [k, v] of Object.entries(st.next as Record<string, unknown>)) {
            if (!OUTCOME_PATTERN.test(k)) bad(`${at}.next.${k}`, 'is not an outcome pattern like "CD" or "?D"');
            if (typeof v !== 'string' || !(v in states)) bad(`${at}.next.${k}`, `must name a state, got ${show(v)}`);
          }
          state.next = st.next as Record<string, string>;
        }
        if (st.after !== undefined) {
          if (nested) bad(`${at}.after`, 'is not allowed inside a switch (a timed exit would hide the switch round)');
          const a = st.after;
          if (!isObject(a)) return bad(`${at}.after`, 'must be an object { min, max, to }');
          if (!Number.isInteger(a.min) || (a.min as number) < 1) bad(`${at}.after.min`, `must be an integer ≥ 1, got ${show(a.min)}`);
          if (!Number.isInteger(a.max) || (a.max as number) < (a.min as number)) bad(`${at}.after.max`, `must be an integer ≥ min, got ${show(a.max)}`);
          if (typeof a.to !== 'string' || !(a.to in states)) bad(`${at}.after.to`, `must name a state, got ${show(a.to)}`);
          state.after = { min: a.min as number, max: a.max as number, to: a.to as string };
        }
        out[sn] = state;
      }
      return { kind: 'fsm', initial: raw.initial as string, states: out };
    }
    case 'fsm-table':
      return parseFsmTable(raw, bad);
    case 'switch': {
      if (nested) return bad('kind', 'a switch cannot be nested inside a switch');
      if (!Number.isInteger(raw.at) || (raw.at as number) < 1 || (raw.at as number) > MAX_SWITCH_AT) bad('at', `must be an integer in 1..${MAX_SWITCH_AT}, got ${show(raw.at)}`);
      const part = (key: 'first' | 'then'): SwitchPartSpec => {
        const r = raw[key];
        if (!isObject(r)) return bad(key, 'must be an object (a memory, fsm or fsm-table style without name and group)');
        const pb: Bad = (f, w) => bad(`${key}.${f}`, w);
        if (r.noise !== undefined && !(isProb(r.noise) && (r.noise as number) <= 0.5)) pb('noise', `must be a number in [0, 0.5], got ${show(r.noise)}`);
        if (r.kind === 'random-memory') pb('kind', 'must be "memory", "fsm" or "fsm-table" inside a switch (a random table has no exact optimum)');
        return { ...(r.noise !== undefined ? { noise: r.noise as number } : {}), ...parseBody(r, pb, true) } as SwitchPartSpec;
      };
      return { kind: 'switch', at: raw.at as number, first: part('first'), then: part('then') } as Body;
    }
    case 'random-memory': {
      const n = memoryN();
      if (raw.dist !== 'uniform' && raw.dist !== 'binary') bad('dist', `must be "uniform" or "binary", got ${show(raw.dist)}`);
      return { kind: 'random-memory', n, dist: raw.dist as 'uniform' | 'binary' };
    }
    default:
      return bad('kind', `must be "memory", "fsm", "fsm-table", "switch" or "random-memory", got ${show(raw.kind)}`);
  }
}

/**
 * A transition table: rows [state, co-player's last move, next state, own move]. States may
 * be strings or integers (Axelrod-library tables use integers); every state named anywhere
 * must have exactly one row for each co-player move.
 */
function parseFsmTable(raw: Record<string, unknown>, bad: Bad): Body {
  const stateName = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : Number.isInteger(v) ? String(v) : undefined);
  if (!Array.isArray(raw.transitions) || raw.transitions.length === 0) return bad('transitions', 'must be a non-empty array of [state, co-player move, next state, own move] rows');
  const rows: FsmTableRow[] = [];
  const seen = new Map<string, number>();
  (raw.transitions as unknown[]).forEach((row, r) => {
    const at = `transitions[${r}]`;
    if (!Array.isArray(row) || row.length !== 4) bad(at, `must be a row [state, co-player move, next state, own move], got ${show(row)}`);
    const [st, opp, nx, own] = row as unknown[];
    const s = stateName(st);
    const n = stateName(nx);
    if (s === undefined) bad(`${at}[0]`, `must be a state name (string or integer), got ${show(st)}`);
    if (opp !== 'C' && opp !== 'D') bad(`${at}[1]`, `must be the co-player's move "C" or "D", got ${show(opp)}`);
    if (n === undefined) bad(`${at}[2]`, `must be a state name (string or integer), got ${show(nx)}`);
    if (own !== 'C' && own !== 'D') bad(`${at}[3]`, `must be the own move "C" or "D", got ${show(own)}`);
    const key = `${s} ${opp as string}`;
    if (seen.has(key)) bad(`${at}`, `repeats the row for state "${s}" and co-player move "${opp as string}" (first at transitions[${seen.get(key)}])`);
    seen.set(key, r);
    rows.push([s!, opp as Move, n!, own as Move]);
  });
  const states = new Set(rows.map((r) => r[0]));
  const initial = stateName(raw.initialState);
  if (initial === undefined || !states.has(initial)) bad('initialState', `must name a state with rows in "transitions" (${[...states].join(', ')}), got ${show(raw.initialState)}`);
  if (raw.initialMove !== 'C' && raw.initialMove !== 'D') bad('initialMove', `must be "C" or "D", got ${show(raw.initialMove)}`);
  rows.forEach(([, , n], r) => {
    if (!states.has(n)) bad(`transitions[${r}][2]`, `names state "${n}", which has no rows of its own (unknown state; states: ${[...states].join(', ')})`);
  });
  for (const s of states) for (const m of ['C', 'D'] as const) if (!seen.has(`${s} ${m}`)) bad('transitions', `has no row for state "${s}" and co-player move "${m}" (missing transition)`);
  return { kind: 'fsm-table', initialState: initial!, initialMove: raw.initialMove as Move, transitions: rows };
}

/** Name of history index h (base 4, oldest first) of n outcomes, e.g. "CC,CD". */
export function historyName(h: number, n: number): string {
  const parts: string[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const o = Math.floor(h / 4 ** i) % 4;
    parts.push((o >> 1 ? 'D' : 'C') + (o & 1 ? 'D' : 'C'));
  }
  return parts.join(',');
}

/** Most specific pattern matching history h; undefined when none does. */
export function matchMemory(p: Record<string, number>, h: number, n: number): number | undefined {
  const name = historyName(h, n);
  let best: number | undefined;
  let bestWild = Infinity;
  for (const [k, v] of Object.entries(p)) {
    if (!matches(k, name)) continue;
    const wild = count(k, '?');
    if (wild < bestWild) {
      best = v;
      bestWild = wild;
    }
  }
  return best;
}

export function matches(pattern: string, name: string): boolean {
  if (pattern.length !== name.length) return false;
  for (let i = 0; i < pattern.length; i++) if (pattern[i] !== '?' && pattern[i] !== name[i]) return false;
  return true;
}

function count(s: string, ch: string): number {
  let c = 0;
  for (const x of s) if (x === ch) c++;
  return c;
}

function isProb(v: unknown): boolean {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + '...' : s;
}
