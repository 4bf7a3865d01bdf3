// Joins agents' streams on (episode, step), incrementally: batches are pushed per agent as
// they are read (or as they land while tailing) and joined rows come out as soon as every
// agent has them. Where the agents' rows line up (the usual case: one recorder writes all
// agents in the same order) the output is zero-copy views; rows that do not line up are
// copied aside and matched by key.
import { Type, type Vector } from 'apache-arrow';
import { BadValueError } from './errors.js';
import type { StreamBatch } from './agentStreamReader.js';

export type ColumnValues = ArrayLike<number | boolean | string | null | bigint>;

export interface JoinedBatch {
  length: number;
  episode: Int32Array;
  step: Int32Array;
  /** Per agent (in the joiner's agent order), length × d_a floats. */
  hidden: Float32Array[];
  /** Per agent, behaviour column name → values. */
  columns: Record<string, ColumnValues>[];
}

interface Cursor {
  queue: StreamBatch[];
  pos: number;
}

interface PendingRow {
  hidden: Float32Array;
  columns: Record<string, unknown>;
}

export class StepJoiner {
  private readonly cursors: Cursor[];
  private readonly pending: Map<number, PendingRow>[];
  /** Rows set aside because their keys did not line up; bounded by maxPending. */
  private pendingRows = 0;

  constructor(
    readonly agents: string[],
    private readonly dims: number[],
    private readonly maxPending = 1 << 20,
  ) {
    this.cursors = agents.map(() => ({ queue: [], pos: 0 }));
    this.pending = agents.map(() => new Map());
  }

  push(agentIndex: number, batch: StreamBatch): void {
    if (batch.length > 0) this.cursors[agentIndex]!.queue.push(batch);
  }

  /** Rows held back waiting for another agent. */
  get unmatched(): number {
    let n = this.pendingRows;
    for (const c of this.cursors)
      for (let i = 0; i < c.queue.length; i++) n += c.queue[i]!.length - (i === 0 ? c.pos : 0);
    return n;
  }

  /** Rows of one agent queued but not yet joined. */
  queued(agentIndex: number): number {
    const c = this.cursors[agentIndex]!;
    let n = 0;
    for (let i = 0; i < c.queue.length; i++) n += c.queue[i]!.length - (i === 0 ? c.pos : 0);
    return n;
  }

  /** Joined batches available now. */
  *drain(): Generator<JoinedBatch> {
    while (this.cursors.every((c) => c.queue.length > 0)) {
      const heads = this.cursors.map((c) => c.queue[0]!);
      const pos = this.cursors.map((c) => c.pos);
      let n = Math.min(...heads.map((b, a) => b.length - pos[a]!));
      // Longest run of rows whose keys agree across agents, starting at the cursors.
      let same = 0;
      const e0 = heads[0]!.episode;
      const s0 = heads[0]!.step;
      outer: for (; same < n; same++) {
        const e = e0[pos[0]! + same];
        const s = s0[pos[0]! + same];
        for (let a = 1; a < heads.length; a++) {
          if (heads[a]!.episode[pos[a]! + same] !== e || heads[a]!.step[pos[a]! + same] !== s)
            break outer;
        }
      }
      if (same > 0) {
        n = same;
        yield this.view(heads, pos, n);
        this.advance(n);
      } else {
        const done = this.setAside(heads, pos);
        this.advance(1);
        if (done) yield done;
      }
    }
  }

  private view(heads: StreamBatch[], pos: number[], n: number): JoinedBatch {
    const p0 = pos[0]!;
    return {
      length: n,
      episode: heads[0]!.episode.subarray(p0, p0 + n),
      step: heads[0]!.step.subarray(p0, p0 + n),
      hidden: heads.map((b, a) =>
        b.hidden.subarray(pos[a]! * this.dims[a]!, (pos[a]! + n) * this.dims[a]!),
      ),
      columns: heads.map((b, a) => behaviourColumns(b, pos[a]!, n)),
    };
  }

  private advance(n: number): void {
    for (const c of this.cursors) {
      c.pos += n;
      if (c.pos >= c.queue[0]!.length) {
        c.queue.shift();
        c.pos = 0;
      }
    }
  }

  /** Copies each agent's head row aside; returns a joined row when one completes. */
  private setAside(heads: StreamBatch[], pos: number[]): JoinedBatch | null {
    const keys: number[] = [];
    heads.forEach((b, a) => {
      const r = pos[a]!;
      const key = b.episode[r]! * 0x100000000 + (b.step[r]! >>> 0);
      keys.push(key);
      const d = this.dims[a]!;
      const cols = behaviourColumns(b, r, 1);
      const row: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(cols)) row[k] = v[0];
      if (this.pending[a]!.has(key)) {
        throw new BadValueError(
          `duplicate (episode ${b.episode[r]}, step ${b.step[r]}) for agent '${this.agents[a]}'`,
          {
            row: b.rowOffset + r,
          },
        );
      }
      this.pending[a]!.set(key, { hidden: b.hidden.slice(r * d, (r + 1) * d), columns: row });
      this.pendingRows++;
    });
    if (this.pendingRows > this.maxPending) {
      throw new BadValueError(
        `agents' streams do not line up: more than ${this.maxPending} rows wait for a partner with the same (episode, step)`,
      );
    }
    const rows: JoinedBatch[] = [];
    for (const key of new Set(keys)) {
      if (!this.pending.every((m) => m.has(key))) continue;
      const parts = this.pending.map((m) => m.get(key)!);
      this.pending.forEach((m) => m.delete(key));
      this.pendingRows -= parts.length;
      rows.push({
        length: 1,
        episode: Int32Array.of(Math.floor(key / 0x100000000)),
        step: Int32Array.of((key % 0x100000000) | 0),
        hidden: parts.map((p) => p.hidden),
        columns: parts.map((p) =>
          Object.fromEntries(Object.entries(p.columns).map(([k, v]) => [k, [v] as ColumnValues])),
        ),
      });
    }
    return rows.length ? concatJoined(rows, this.dims) : null;
  }
}

/** Behaviour columns (everything but keys and hidden) of rows [at, at+n) of a batch. */
export function behaviourColumns(
  b: StreamBatch,
  at: number,
  n: number,
): Record<string, ColumnValues> {
  const out: Record<string, ColumnValues> = {};
  for (const f of b.batch.schema.fields) {
    if (f.name === 'episode' || f.name === 'step' || f.name === 'hidden') continue;
    const vec = b.batch.getChild(f.name) as Vector | null;
    if (vec) out[f.name] = columnSlice(vec, at, n);
  }
  return out;
}

function columnSlice(vec: Vector, at: number, n: number): ColumnValues {
  const data = vec.data[0]!;
  const id = vec.type.typeId;
  const numeric = id === Type.Int || id === Type.Float;
  const values = data.values as ArrayLike<number | bigint> & {
    subarray(a: number, b: number): ArrayLike<number | bigint>;
  };
  const wide = values instanceof BigInt64Array || values instanceof BigUint64Array;
  // Numeric columns without nulls: a view over the batch's bytes (64-bit integers, which
  // polars writes by default, as a Float64Array of exact numbers up to 2^53).
  if (numeric && data.nullCount === 0) {
    const view = values.subarray(data.offset + at, data.offset + at + n);
    return wide ? Float64Array.from(view as BigInt64Array, Number) : (view as ColumnValues);
  }
  const out: (number | boolean | string | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = vec.get(at + i) as number | boolean | string | bigint | null;
    out[i] = typeof v === 'bigint' ? Number(v) : v;
  }
  return out;
}

function concatJoined(rows: JoinedBatch[], dims: number[]): JoinedBatch {
  if (rows.length === 1) return rows[0]!;
  const n = rows.length;
  return {
    length: n,
    episode: Int32Array.from(rows, (r) => r.episode[0]!),
    step: Int32Array.from(rows, (r) => r.step[0]!),
    hidden: dims.map((d, a) => {
      const h = new Float32Array(n * d);
      rows.forEach((r, i) => h.set(r.hidden[a]!, i * d));
      return h;
    }),
    columns: dims.map((_, a) =>
      Object.fromEntries(
        Object.keys(rows[0]!.columns[a]!).map((k) => [k, rows.map((r) => r.columns[a]![k]![0]!)]),
      ),
    ),
  };
}
