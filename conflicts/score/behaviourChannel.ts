// The behaviour-history baseline: causal features of what the agents did, nothing of what
// they represent. Per agent and action/reward column: the last value and its EWMA; whether
// the agents' actions differ (last, EWMA); the conflict state's EWMA; steps since the last
// conflict started; steps since the episode started.
import type { ColumnSpec } from '../../data/index.js';
import type { Channel, LatentAttribution, StepRows } from './channel.js';
import { makeEventPredicate, type EventPredicate, type EventSpec } from '../input/events.js';

export interface BehaviourChannelJson {
  kind: 'behaviour';
  agents: string[];
  lambda: number;
  columns: { agent: number; name: string }[];
  mismatch: string | null;
  events: EventSpec;
}

interface BState {
  ewma: Float64Array;
  mismatch: number;
  active: number;
  sinceOnset: number;
  rows: number;
  prevActive: boolean;
}

export class BehaviourChannel implements Channel<BState, null> {
  readonly kind = 'behaviour';
  readonly name = 'behaviour';
  readonly featureNames: string[];
  private readonly pred: EventPredicate;

  constructor(
    readonly agents: readonly string[],
    readonly lambda: number,
    readonly columns: readonly { agent: number; name: string }[],
    readonly mismatch: string | null,
    readonly events: EventSpec,
    specs: readonly ColumnSpec[][],
  ) {
    this.pred = makeEventPredicate(events, agents, specs);
    this.featureNames = [
      ...columns.flatMap((c) => [`${agents[c.agent]}.${c.name}`, `${agents[c.agent]}.${c.name} (ewma)`]),
      ...(mismatch ? [`${mismatch} differ`, `${mismatch} differ (ewma)`] : []),
      'conflict state (ewma)',
      'log steps since conflict',
      'log step in episode',
    ];
  }

  static forRun(agents: readonly string[], specs: readonly ColumnSpec[][], events: EventSpec, lambda: number): BehaviourChannel {
    const columns: { agent: number; name: string }[] = [];
    specs.forEach((cs, a) => {
      for (const c of cs) if ((c.role === 'action' || c.role === 'reward') && c.type !== 'utf8') columns.push({ agent: a, name: c.name });
    });
    const actionNames = specs.map((cs) => cs.find((c) => c.role === 'action')?.name);
    const mismatch = actionNames.length >= 2 && actionNames.every((n) => n !== undefined && n === actionNames[0]) ? actionNames[0]! : null;
    return new BehaviourChannel(agents, lambda, columns, mismatch, events, specs);
  }

  newState(): BState {
    return { ewma: new Float64Array(this.columns.length), mismatch: 0, active: 0, sinceOnset: -1, rows: 0, prevActive: false };
  }

  prepare(): null {
    return null;
  }

  step(s: BState, _p: null, batch: StepRows, r: number, out: Float64Array): void {
    const lam = this.lambda;
    let f = 0;
    this.columns.forEach((c, i) => {
      const v = num(batch.columns[c.agent]![c.name]?.[r]);
      s.ewma[i] = s.rows === 0 ? v : (1 - lam) * s.ewma[i]! + lam * v;
      out[f++] = v;
      out[f++] = s.ewma[i]!;
    });
    if (this.mismatch) {
      const first = batch.columns[0]![this.mismatch]?.[r];
      const differ = batch.columns.some((c) => c[this.mismatch!]?.[r] !== first) ? 1 : 0;
      s.mismatch = (1 - lam) * s.mismatch + lam * differ;
      out[f++] = differ;
      out[f++] = s.mismatch;
    }
    const active = this.pred(batch.columns, r);
    if (active && !s.prevActive) s.sinceOnset = 0;
    else if (s.sinceOnset >= 0) s.sinceOnset++;
    s.prevActive = active;
    s.active = (1 - lam) * s.active + lam * (active ? 1 : 0);
    out[f++] = s.active;
    out[f++] = Math.log1p(s.sinceOnset >= 0 ? s.sinceOnset : 1000);
    out[f++] = Math.log1p(s.rows);
    s.rows++;
  }

  attribute(): LatentAttribution[] {
    return [];
  }

  toJSON(): BehaviourChannelJson {
    return { kind: 'behaviour', agents: [...this.agents], lambda: this.lambda, columns: this.columns.map((c) => ({ ...c })), mismatch: this.mismatch, events: this.events };
  }
}

function num(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  return 0;
}
