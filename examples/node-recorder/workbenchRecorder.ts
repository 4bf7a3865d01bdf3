// A recorder for your own model: streams per-step hidden states (and actions, rewards,
// events) of two or more agents into a running thoughtlens workbench over HTTP, as Arrow
// IPC streams. It depends only on apache-arrow and the fetch built into Node ≥ 18, so you
// can copy this file into your project.
//
//   const rec = await WorkbenchRecorder.create('http://127.0.0.1:4173', {
//     id: 'my-run', agents: [{ id: 'A', hiddenSize: 768, columns: [{ name: 'action', type: 'int32', role: 'action' }] }, …],
//   });
//   const a = rec.stream('A');            // one chunked POST that stays open
//   a.write({ episode: [0], step: [t], hidden: Float32Array(768), columns: { action: [1] } });
//   …
//   await a.close(); await rec.finish();
//
// Or one request per batch with rec.send('A', steps): it tells the workbench at which row
// the batch starts (header thoughtlens-offset), so when a response is lost and send()
// retries, rows the run already holds are skipped instead of stored twice.
import {
  Bool,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int32,
  RecordBatch,
  RecordBatchStreamWriter,
  Schema,
  Struct,
  Utf8,
  makeData,
  vectorFromArray,
  type Data,
  type DataType,
} from 'apache-arrow';

export type ColumnType = 'int32' | 'float32' | 'float64' | 'bool' | 'utf8';

export interface RecorderAgent {
  id: string;
  hiddenSize: number;
  model?: string;
  layer?: string;
  columns?: { name: string; type: ColumnType; role: 'action' | 'reward' | 'event' | 'text' | 'other' }[];
}

export interface Steps {
  episode: ArrayLike<number>;
  step: ArrayLike<number>;
  /** rows × hiddenSize floats. */
  hidden: Float32Array;
  columns?: Record<string, ArrayLike<number | boolean | string | null>>;
}

export interface RecorderOptions {
  id?: string;
  agents: RecorderAgent[];
  source?: { kind?: string; params?: Record<string, unknown> };
  /** The workbench's access token, when it was started with --token. */
  token?: string;
}

const ARROW = 'application/vnd.apache.arrow.stream';

function typeOf(t: ColumnType): DataType {
  return t === 'int32' ? new Int32() : t === 'float32' ? new Float32() : t === 'float64' ? new Float64() : t === 'bool' ? new Bool() : new Utf8();
}

export function schemaFor(agent: RecorderAgent): Schema {
  return new Schema([
    new Field('episode', new Int32(), false),
    new Field('step', new Int32(), false),
    new Field('hidden', new FixedSizeList(agent.hiddenSize, new Field('item', new Float32(), false)), false),
    ...(agent.columns ?? []).map((c) => new Field(c.name, typeOf(c.type), true)),
  ]);
}

/** One Arrow record batch of an agent's steps. */
export function stepsToBatch(agent: RecorderAgent, schema: Schema, s: Steps): RecordBatch {
  const n = s.episode.length;
  const d = agent.hiddenSize;
  if (s.step.length !== n || s.hidden.length !== n * d) throw new Error(`steps: ${n} episodes, ${s.step.length} steps, ${s.hidden.length} floats (need ${n}×${d})`);
  const children: Data[] = [
    makeData({ type: new Int32(), length: n, nullCount: 0, data: Int32Array.from(s.episode) }),
    makeData({ type: new Int32(), length: n, nullCount: 0, data: Int32Array.from(s.step) }),
    makeData({
      type: schema.fields[2]!.type,
      length: n,
      nullCount: 0,
      child: makeData({ type: new Float32(), length: n * d, nullCount: 0, data: s.hidden }),
    }),
    ...(agent.columns ?? []).map((c) => {
      const values = Array.from(s.columns?.[c.name] ?? new Array(n).fill(null)) as never[];
      return vectorFromArray(values, typeOf(c.type) as never).data[0]!;
    }),
  ];
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children }));
}

/** The workbench answered with an error status (or could not be reached: status 0). */
export class WorkbenchError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
  }

  /** Worth sending again: unreachable, still busy with the previous attempt, overloaded. */
  get transient(): boolean {
    return this.status === 0 || this.code === 'TL_BUSY' || this.status === 429 || this.status >= 500;
  }
}

/** An open chunked POST of one agent's steps: every write is one record batch on the wire. */
export class StepStream {
  private readonly writer = new RecordBatchStreamWriter();
  private readonly schema: Schema;
  readonly done: Promise<{ rows: number; skipped: number; totalRows: number }>;

  constructor(
    private readonly agent: RecorderAgent,
    url: string,
    headers: Record<string, string>,
  ) {
    this.schema = schemaFor(agent);
    this.writer.reset(undefined, this.schema);
    this.done = fetch(url, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': ARROW },
      body: this.writer as unknown as ReadableStream,
      duplex: 'half',
    } as RequestInit).then(
      async (res) => {
        const body = (await res.json()) as { rows: number; skipped: number; totalRows: number; error?: { code: string; message: string } };
        if (!res.ok) throw new WorkbenchError(`workbench refused the steps (${res.status}): ${body.error?.message ?? res.statusText}`, res.status, body.error?.code);
        return body;
      },
      (err: unknown) => {
        throw new WorkbenchError(`workbench unreachable: ${(err as Error).message}`, 0);
      },
    );
    // Keep a failed POST from being an unhandled rejection before close() is awaited.
    this.done.catch(() => undefined);
  }

  write(s: Steps): void {
    this.writer.write(stepsToBatch(this.agent, this.schema, s));
  }

  /** Ends the stream and waits for the workbench to confirm what it stored. */
  async close(): Promise<{ rows: number; skipped: number; totalRows: number }> {
    this.writer.finish();
    return this.done;
  }
}

export class WorkbenchRecorder {
  /** Per agent: the rows the workbench confirmed holding (where the next send() starts). */
  private readonly offsets = new Map<string, number>();

  private constructor(
    readonly baseUrl: string,
    readonly id: string,
    readonly agents: RecorderAgent[],
    private readonly headers: Record<string, string>,
  ) {}

  static async create(baseUrl: string, o: RecorderOptions): Promise<WorkbenchRecorder> {
    const headers: Record<string, string> = o.token ? { Authorization: `Bearer ${o.token}` } : {};
    const res = await fetch(`${baseUrl}/api/runs`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: o.id, agents: o.agents, source: o.source ?? { kind: 'external' } }),
    });
    const body = (await res.json()) as { id: string; error?: { message: string } };
    if (!res.ok) throw new Error(`workbench refused the run (${res.status}): ${body.error?.message}`);
    return new WorkbenchRecorder(baseUrl, body.id, o.agents, headers);
  }

  private agent(id: string): RecorderAgent {
    const a = this.agents.find((x) => x.id === id);
    if (!a) throw new Error(`no agent '${id}'`);
    return a;
  }

  private stepsUrl(agentId: string): string {
    return `${this.baseUrl}/api/runs/${this.id}/agents/${agentId}/steps`;
  }

  /** Opens one long chunked POST for an agent; write() steps into it as they happen. */
  stream(agentId: string): StepStream {
    const st = new StepStream(this.agent(agentId), this.stepsUrl(agentId), this.headers);
    st.done.then((r) => this.offsets.set(agentId, r.totalRows)).catch(() => undefined);
    return st;
  }

  /**
   * Sends one batch of steps in its own request, retrying (with backoff) when the workbench
   * cannot be reached or the answer is lost. Each attempt names the row the batch starts
   * at, so a retry of a request that did arrive stores nothing twice.
   */
  async send(agentId: string, s: Steps, o: { retries?: number; backoffMs?: number } = {}): Promise<{ rows: number; skipped: number; totalRows: number }> {
    const retries = o.retries ?? 4;
    const offset = this.offsets.get(agentId) ?? 0;
    for (let attempt = 0; ; attempt++) {
      try {
        const st = new StepStream(this.agent(agentId), this.stepsUrl(agentId), { ...this.headers, 'thoughtlens-offset': String(offset) });
        st.write(s);
        const res = await st.close();
        this.offsets.set(agentId, res.totalRows);
        return res;
      } catch (err) {
        if (!(err instanceof WorkbenchError && err.transient) || attempt >= retries) throw err;
        await new Promise((r) => setTimeout(r, (o.backoffMs ?? 200) * 2 ** attempt));
      }
    }
  }

  async finish(status: 'complete' | 'aborted' = 'complete', reason?: string): Promise<void> {
    const res = await fetch(`${this.baseUrl}/api/runs/${this.id}/finish`, {
      method: 'POST',
      headers: { ...this.headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ status, reason }),
    });
    if (!res.ok) throw new Error(`finish failed (${res.status}): ${((await res.json()) as { error?: { message: string } }).error?.message}`);
  }
}
