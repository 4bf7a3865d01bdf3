// Behavioural events: when agents' behaviour conflicts. A run either carries them (bool
// columns with role 'event', written by built-in sources) or the user names a rule over
// behaviour columns. Every step gets an `active` state; an event is a rising edge of it
// (the step where the conflict starts). A run that records no behaviour at all (only hidden
// states, as a converter from another tool may write) gets `none`: no step is a conflict, so the
// detector is fitted and calibrated on every reference step as a null step.
import type { ColumnSpec } from '../../data/index.js';
import { DetectorConfigError } from '../errors.js';
import type { EpisodeSet } from './episodes.js';
import { stepLabels } from './labels.js';

export type EventSpec = { kind: 'columns'; columns: string[] } | { kind: 'rule'; rule: string } | { kind: 'none' };

type Cols = readonly Record<string, ArrayLike<unknown>>[];
/** Is the conflict state on at row `r`? */
export type EventPredicate = (columns: Cols, r: number) => boolean;

export interface EventOptions {
  /** A rule such as 'actions differ', 'any defected', 'A.action != 1', joined with ' or '. */
  rule?: string;
  /** A bool column (any agent true = conflict state). */
  column?: string;
}

/**
 * The event definition for a run: an explicit rule or column, else the run's event columns, else
 * 'actions differ', else (no behaviour columns at all) none.
 */
export function resolveEventSpec(agents: readonly string[], specs: readonly ColumnSpec[][], opts: EventOptions = {}): EventSpec {
  if (opts.rule && opts.column) throw new DetectorConfigError('give either an event rule or an event column, not both');
  if (opts.rule) {
    makeEventPredicate({ kind: 'rule', rule: opts.rule }, agents, specs); // validates
    return { kind: 'rule', rule: opts.rule };
  }
  if (opts.column) {
    const spec = { kind: 'columns' as const, columns: [opts.column] };
    makeEventPredicate(spec, agents, specs);
    return spec;
  }
  const eventCols = [...new Set(specs.flatMap((cs) => cs.filter((c) => c.role === 'event' && c.type === 'bool').map((c) => c.name)))];
  if (eventCols.length) return { kind: 'columns', columns: eventCols };
  if (specs.length >= 2 && specs.every((cs) => cs.some((c) => c.role === 'action'))) return { kind: 'rule', rule: 'actions differ' };
  if (specs.every((cs) => cs.length === 0)) return { kind: 'none' };
  throw new DetectorConfigError(
    `this run has no event columns and not every agent has an action column (columns: ${listColumns(specs)}): name the behavioural event with --event '<rule>' or --event-column <name>`,
  );
}

export function describeEventSpec(spec: EventSpec): string {
  if (spec.kind === 'none') return 'the run records no behaviour: the divergence steps of truth/conflicts.json, where it has one';
  return spec.kind === 'rule' ? `rule '${spec.rule}'` : `column${spec.columns.length > 1 ? 's' : ''} ${spec.columns.join(', ')}`;
}

export function makeEventPredicate(spec: EventSpec, agents: readonly string[], specs: readonly ColumnSpec[][]): EventPredicate {
  if (spec.kind === 'none') return () => false;
  if (spec.kind === 'columns') {
    for (const name of spec.columns) {
      if (!specs.some((cs) => cs.some((c) => c.name === name))) {
        throw new DetectorConfigError(`event column '${name}' is not a column of any agent (columns: ${listColumns(specs)})`);
      }
    }
    return (cols, r) => spec.columns.some((name) => cols.some((c) => truthy(c[name]?.[r])));
  }
  const parts = spec.rule.split(/\s+or\s+/i).map((p) => p.trim());
  const preds = parts.map((p) => parseClause(p, agents, specs));
  return (cols, r) => preds.some((p) => p(cols, r));
}

const OPS = ['==', '!=', '<=', '>=', '<', '>'] as const;

function parseClause(clause: string, agents: readonly string[], specs: readonly ColumnSpec[][]): EventPredicate {
  const differ = /^([A-Za-z_][A-Za-z0-9_]*)\s+differs?$/i.exec(clause);
  if (differ) {
    const name = differ[1]!.toLowerCase() === 'actions' ? actionColumn(specs) : requireColumn(differ[1]!, specs);
    return (cols, r) => {
      const first = cols[0]![name]?.[r];
      return cols.some((c) => !same(c[name]?.[r], first));
    };
  }
  const any = /^any\s+([A-Za-z_][A-Za-z0-9_]*)$/i.exec(clause);
  if (any) {
    const name = requireColumn(any[1]!, specs);
    return (cols, r) => cols.some((c) => truthy(c[name]?.[r]));
  }
  const cmp = /^(?:([A-Za-z0-9][A-Za-z0-9._-]*)\.)?([A-Za-z_][A-Za-z0-9_]*)\s*(==|!=|<=|>=|<|>)\s*(.+)$/.exec(clause);
  if (cmp) {
    const [, agent, col, op, raw] = cmp as unknown as [string, string | undefined, string, (typeof OPS)[number], string];
    const name = requireColumn(col, specs);
    const value = parseValue(raw.trim());
    let idx: number[];
    if (agent !== undefined) {
      const i = agents.indexOf(agent);
      if (i < 0) throw new DetectorConfigError(`event rule '${clause}': no agent '${agent}' (agents: ${agents.join(', ')})`);
      idx = [i];
    } else {
      idx = agents.map((_, i) => i);
    }
    return (cols, r) => idx.some((i) => compare(cols[i]![name]?.[r], op, value));
  }
  throw new DetectorConfigError(
    `event rule '${clause}' is not understood; use 'actions differ', '<column> differs', 'any <bool column>', '[<agent>.]<column> <op> <value>' (op: ${OPS.join(' ')}), joined with 'or'`,
  );
}

function actionColumn(specs: readonly ColumnSpec[][]): string {
  const names = specs.map((cs) => cs.find((c) => c.role === 'action')?.name);
  if (names.some((n) => n === undefined)) throw new DetectorConfigError("event rule 'actions differ': not every agent has a column with role 'action'");
  if (new Set(names).size !== 1) throw new DetectorConfigError(`event rule 'actions differ': agents name their action columns differently (${names.join(', ')}); use '<column> differs'`);
  return names[0]!;
}

function requireColumn(name: string, specs: readonly ColumnSpec[][]): string {
  if (!specs.some((cs) => cs.some((c) => c.name === name))) {
    throw new DetectorConfigError(`event rule names column '${name}', which no agent has (columns: ${listColumns(specs)})`);
  }
  return name;
}

function listColumns(specs: readonly ColumnSpec[][]): string {
  return [...new Set(specs.flatMap((cs) => cs.map((c) => c.name)))].join(', ') || '(none)';
}

function parseValue(raw: string): number | string | boolean {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  const n = Number(raw);
  if (raw !== '' && Number.isFinite(n)) return n;
  return raw.replace(/^(['"])(.*)\1$/, '$2');
}

function compare(v: unknown, op: (typeof OPS)[number], value: number | string | boolean): boolean {
  if (v === null || v === undefined) return false;
  const x = typeof v === 'bigint' ? Number(v) : v;
  switch (op) {
    case '==':
      return same(x, value);
    case '!=':
      return !same(x, value);
    default: {
      const a = Number(x);
      const b = Number(value);
      if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
      return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
    }
  }
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'bigint') a = Number(a);
  if (typeof b === 'bigint') b = Number(b);
  if (typeof a === 'boolean' && typeof b === 'number') return Number(a) === b;
  if (typeof b === 'boolean' && typeof a === 'number') return a === Number(b);
  return a === b;
}

function truthy(v: unknown): boolean {
  return v === true || v === 1 || v === 1n;
}

/** Per step of one episode: the conflict state and its rising edges (event onsets). */
export function episodeEvents(pred: EventPredicate, columns: Cols, length: number): { active: Uint8Array; onsets: number[] } {
  const active = new Uint8Array(length);
  const onsets: number[] = [];
  for (let r = 0; r < length; r++) {
    active[r] = pred(columns, r) ? 1 : 0;
    if (active[r] && (r === 0 || !active[r - 1])) onsets.push(r);
  }
  return { active, onsets };
}

/**
 * Per episode of a set, its step labels (labels.ts) under the events `pred` marks: steps up to
 * `horizon` before an onset are positives, every step from an onset to the episode's end is ignored,
 * the rest are null steps — what the detector fits and calibrates on.
 */
export function eventLabels(set: EpisodeSet, pred: EventPredicate, horizon: number): Int8Array[] {
  return set.episodes.map((e) => {
    const ev = episodeEvents(pred, e.columns, e.length);
    return stepLabels(e.step, ev.active, ev.onsets, horizon);
  });
}

/**
 * The share of a set's steps that `spec`'s events leave as null steps (eventLabels). A behaviour
 * rule that is on most of the time (agents whose actions differ for reasons of their own) leaves
 * almost none.
 */
export function nullStepShare(set: EpisodeSet, spec: EventSpec, horizon: number): number {
  let nul = 0;
  let all = 0;
  for (const y of eventLabels(set, makeEventPredicate(spec, set.agents, set.columnSpecs), horizon)) {
    for (let r = 0; r < y.length; r++) if (y[r] === 0) nul++;
    all += y.length;
  }
  return all ? nul / all : 1;
}
