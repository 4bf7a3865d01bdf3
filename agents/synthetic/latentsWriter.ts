// Streams the true latents of a synthetic run into truth/latents.arrows (Arrow IPC stream),
// batch by batch from preallocated buffers: per step `episode`, `step`, the common thoughts
// `thoughts` and each agent's own copy `thoughts_<agent>`, all FixedSizeList<Float32>[K]
// over the global thought index (structure.json says which ids each agent holds).
import { mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { Field, FixedSizeList, Float32, Int32, RecordBatch, Schema, Struct, makeData, type Data } from 'apache-arrow';
import { truthPath } from '../../data/index.js';
import { IpcFdWriter } from '../../data/ipcSink.js';
import type { SyntheticChunk } from './syntheticGenerator.js';

export const LATENTS_FILE = 'latents.arrows';

export function latentsColumn(agentId: string): string {
  return `thoughts_${agentId}`;
}

export class LatentsWriter {
  readonly file: string;
  readonly schema: Schema;
  private readonly io: IpcFdWriter;
  private readonly episode: Int32Array;
  private readonly step: Int32Array;
  private readonly common: Float32Array;
  private readonly copies: Float32Array[];
  private pending = 0;
  rowsWritten = 0;
  private closed = false;

  constructor(
    runDir: string,
    private readonly agentIds: string[],
    private readonly thoughtCount: number,
    private readonly batchRows = 8192,
  ) {
    this.file = truthPath(runDir, LATENTS_FILE);
    mkdirSync(dirname(this.file), { recursive: true });
    const K = thoughtCount;
    this.schema = new Schema(
      [
        new Field('episode', new Int32(), false),
        new Field('step', new Int32(), false),
        new Field('thoughts', listType(K), false),
        ...agentIds.map((id) => new Field(latentsColumn(id), listType(K), false)),
      ],
      new Map([
        ['thoughtlens.truth', 'latents'],
        ['thoughtlens.thoughts', String(K)],
      ]),
    );
    this.episode = new Int32Array(batchRows);
    this.step = new Int32Array(batchRows);
    this.common = new Float32Array(batchRows * K);
    this.copies = agentIds.map(() => new Float32Array(batchRows * K));
    this.io = new IpcFdWriter(openSync(this.file, 'w'), this.schema);
  }

  append(chunk: SyntheticChunk): void {
    const K = this.thoughtCount;
    let done = 0;
    while (done < chunk.rows) {
      const take = Math.min(chunk.rows - done, this.batchRows - this.pending);
      const at = this.pending;
      this.episode.set(chunk.episode.subarray(done, done + take), at);
      this.step.set(chunk.step.subarray(done, done + take), at);
      this.common.set(chunk.thoughts.subarray(done * K, (done + take) * K), at * K);
      this.agentIds.forEach((_, a) => {
        this.copies[a]!.set(chunk.agents[a]!.thoughts.subarray(done * K, (done + take) * K), at * K);
      });
      this.pending += take;
      done += take;
      if (this.pending === this.batchRows) this.flush();
    }
  }

  flush(): void {
    const n = this.pending;
    if (n === 0) return;
    const K = this.thoughtCount;
    const list = (values: Float32Array): Data =>
      makeData({
        type: listType(K),
        length: n,
        nullCount: 0,
        child: makeData({ type: new Float32(), length: n * K, nullCount: 0, data: values.subarray(0, n * K) }),
      });
    const children: Data[] = [
      makeData({ type: new Int32(), length: n, nullCount: 0, data: this.episode.subarray(0, n) }),
      makeData({ type: new Int32(), length: n, nullCount: 0, data: this.step.subarray(0, n) }),
      list(this.common),
      ...this.copies.map(list),
    ];
    const data = makeData({ type: new Struct(this.schema.fields), length: n, nullCount: 0, children });
    this.io.writeBatch(new RecordBatch(this.schema, data));
    this.rowsWritten += n;
    this.pending = 0;
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.io.close(true, false);
  }
}

function listType(k: number): FixedSizeList<Float32> {
  return new FixedSizeList(k, new Field('item', new Float32(), false));
}
