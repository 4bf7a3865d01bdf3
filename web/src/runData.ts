// What the run view holds in memory: the run's detail, its behaviour columns (from Arrow),
// the selected codes' info and the selected report, with loaders that grow them live.
import type { Table } from 'apache-arrow';
import type { CodesInfo, ReportView, RunDetail } from '../../server/protocol.js';
import { enc, getArrow, getJson } from './api.js';
import type { AgentBehaviour } from './charts/behaviourCanvas.js';

export type Column = (number | boolean | string | null)[];

export class RunData {
  detail!: RunDetail;
  total = 0;
  episode: number[] = [];
  step: number[] = [];
  /** `<agent>.<column>` → values */
  columns = new Map<string, Column>();
  codes: CodesInfo | null = null;
  report: ReportView | null = null;
  actionRange: [number, number] = [0, 1];

  constructor(readonly id: string) {}

  async loadDetail(): Promise<void> {
    this.detail = await getJson<RunDetail>(`/api/runs/${enc(this.id)}`);
  }

  /** Fetches behaviour rows from `total` on (all of them the first time), page by page. */
  async loadBehaviour(): Promise<number> {
    let added = 0;
    for (;;) {
      const t: Table = await getArrow(`/api/runs/${enc(this.id)}/behaviour?from=${this.total}`);
      if (t.numRows === 0) break;
      for (const f of t.schema.fields) {
        const v = t.getChild(f.name)!;
        const arr = Array.from(v.toArray() as ArrayLike<number | boolean | string | null>);
        if (f.name === 'episode') for (const x of arr) this.episode.push(Number(x));
        else if (f.name === 'step') for (const x of arr) this.step.push(Number(x));
        else {
          let col = this.columns.get(f.name);
          if (!col) {
            col = new Array(this.total).fill(null);
            this.columns.set(f.name, col);
          }
          for (const x of arr) col.push(x);
        }
      }
      this.total += t.numRows;
      added += t.numRows;
      for (const col of this.columns.values()) while (col.length < this.total) col.push(null);
      if (t.numRows < 200_000) break;
    }
    if (added) this.updateActionRange();
    return added;
  }

  private updateActionRange(): void {
    let lo = Infinity;
    let hi = -Infinity;
    for (const a of this.agents()) {
      if (!a.action) continue;
      for (let i = 0; i < a.action.length; i++) {
        const v = a.action[i]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    this.actionRange = Number.isFinite(lo) ? [lo, hi] : [0, 1];
  }

  private agentsCache: { total: number; agents: AgentBehaviour[] } | null = null;

  /** Per agent, its action, reward and event columns as typed arrays (rebuilt when rows arrive). */
  agents(): AgentBehaviour[] {
    if (this.agentsCache && this.agentsCache.total === this.total) return this.agentsCache.agents;
    const agents = (this.detail?.agentSpecs ?? []).map((a) => {
      const byRole = (role: string) => a.columns.filter((c) => c.role === role).map((c) => c.name);
      const num = (name: string | undefined) => {
        const col = name ? this.columns.get(`${a.id}.${name}`) : undefined;
        return col ? Float64Array.from(col, (v) => (v === null ? NaN : Number(v))) : null;
      };
      const events = byRole('event')
        .map((n) => this.columns.get(`${a.id}.${n}`))
        .filter((c): c is Column => c !== undefined);
      let any: Uint8Array | null = null;
      if (events.length) {
        any = new Uint8Array(this.total);
        for (const c of events) for (let i = 0; i < c.length; i++) if (c[i] === true || c[i] === 1) any[i] = 1;
      }
      return { id: a.id, action: num(byRole('action')[0]), reward: num(byRole('reward')[0]), events: any };
    });
    this.agentsCache = { total: this.total, agents };
    return agents;
  }

  async loadCodes(name: string | undefined): Promise<void> {
    this.codes = name ? await getJson<CodesInfo>(`/api/runs/${enc(this.id)}/codes/${enc(name)}`) : null;
  }

  async loadReport(name: string | undefined): Promise<void> {
    this.report = name ? await getJson<ReportView>(`/api/runs/${enc(this.id)}/reports/${enc(name)}`) : null;
  }

  /** Behaviour of every agent at one row, for tooltips. */
  rowInfo(r: number): [string, string][] {
    const out: [string, string][] = [['step', `${r} (episode ${this.episode[r]}, step ${this.step[r]})`]];
    for (const [k, v] of this.columns) out.push([k, String(v[r])]);
    return out;
  }
}
