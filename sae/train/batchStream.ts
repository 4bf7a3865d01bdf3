// Training input, out of core: record batches of one or more runs, joined across agents
// on (episode, step), pass through a seeded shuffle buffer of fixed size and come out as
// fixed-size batches, epoch after epoch, forever. Memory: the buffer plus one record batch
// per agent. The sequence is a pure function of (runs, seed, sizes), so a resumed training
// replays it and skips the batches it already used. When the kept rows all fit in the buffer,
// the first pass keeps a copy of them in read order and later passes replay that copy instead
// of reading and decoding the files again (the same rows in the same order: the same batches).
import { openRun, type RunReader } from '../../data/index.js';
import { makeRng, type Rng } from '../../util/random.js';
import { ConfigError } from '../errors.js';

export interface BatchStreamOptions {
  runs: string[];
  /** Agent ids, in the dictionary's order. */
  agents: string[];
  batchSize: number;
  seed: number;
  /** Rows held in the shuffle buffer (per agent). */
  bufferRows: number;
  /** Keep only rows of episodes for which this is true (the training episodes); default all. */
  episodes?: ((episode: number) => boolean) | null;
  /** Replay the first pass from memory when every kept row fits the buffer (default true). */
  replay?: boolean;
}

export interface TrainBatch {
  /** Per agent rows × d_a raw (unnormalised) values; reused by the next call. */
  xs: Float32Array[];
  rows: number;
  /** Passes over the data started so far (1 during the first). */
  epoch: number;
}

export class ShuffledBatches {
  private readonly runs: RunReader[];
  private readonly dims: number[];
  private readonly rng: Rng;
  private readonly buf: Float32Array[];
  private readonly out: Float32Array[];
  private capacity: number;
  private filled = 0;
  private source: Generator<{ hidden: Float32Array[]; length: number; episode: Int32Array }> | null = null;
  private batchRows = 0;
  /** The whole kept data set in read order, once the first pass found it fits the buffer. */
  private cache: { hidden: Float32Array[]; length: number; episode: Int32Array } | null = null;
  epoch = 0;
  /** Whether later passes replay the first one from memory instead of reading the files. */
  get replaying(): boolean {
    return this.cache !== null;
  }
  /** Rows read from the runs so far (all epochs). */
  rowsRead = 0;

  constructor(private readonly opts: BatchStreamOptions) {
    if (!opts.runs.length) throw new ConfigError('no training runs given');
    this.runs = opts.runs.map((d) => openRun(d));
    const first = this.runs[0]!;
    this.dims = opts.agents.map((id) => first.agent(id).hiddenSize);
    for (const r of this.runs) {
      opts.agents.forEach((id, a) => {
        const d = r.agent(id).hiddenSize;
        if (d !== this.dims[a]) throw new ConfigError(`run '${r.manifest.id}' gives agent '${id}' hidden size ${d}, but the first run has ${this.dims[a]}`);
      });
    }
    this.rng = makeRng(opts.seed);
    this.capacity = Math.max(opts.bufferRows, opts.batchSize);
    this.buf = this.dims.map((d) => new Float32Array(this.capacity * d));
    this.out = this.dims.map((d) => new Float32Array(opts.batchSize * d));
  }

  /** Rows per pass as the manifests count them. */
  get rowsPerEpoch(): number {
    return this.runs.reduce((s, r) => s + Math.min(...this.opts.agents.map((id) => r.manifest.counts[id]?.rows ?? 0)), 0);
  }

  private *rows(): Generator<{ hidden: Float32Array[]; length: number; episode: Int32Array }> {
    for (;;) {
      this.epoch++;
      if (this.cache) {
        yield this.cache;
        continue;
      }
      let any = 0;
      for (const r of this.runs) {
        for (const b of r.joined({ agents: this.opts.agents, reuseBuffer: true })) {
          if (this.opts.episodes) {
            for (let i = 0; i < b.length; i++) if (this.opts.episodes(b.episode[i]!)) any++;
          } else any += b.length;
          yield b;
        }
      }
      if (any === 0) throw new ConfigError(`the training runs hold no joined steps for agents ${this.opts.agents.join(', ')}`);
      // Less data than the buffer holds: the buffer is the whole data set from now on.
      if (this.filled < this.capacity) this.capacity = this.filled;
      // Nothing replaced yet: the buffer holds every kept row in read order, which is what
      // every later pass would read.
      if (this.opts.replay !== false && this.rowsRead === this.filled) {
        const n = this.filled;
        this.cache = { hidden: this.buf.map((b, a) => b.slice(0, n * this.dims[a]!)), length: n, episode: new Int32Array(n) };
      }
    }
  }

  private cur: { hidden: Float32Array[]; length: number; episode: Int32Array } | null = null;
  private pos = 0;

  /** The next batch. Its arrays are overwritten by the following call. */
  next(): TrainBatch {
    const B = this.opts.batchSize;
    this.source ??= this.rows();
    while (this.batchRows < B) {
      if (!this.cur || this.pos >= this.cur.length) {
        this.cur = (this.source.next() as IteratorYieldResult<{ hidden: Float32Array[]; length: number; episode: Int32Array }>).value;
        this.pos = 0;
      }
      // A record batch may straddle two training batches: its rest stays in `cur`.
      const keep = this.cur === this.cache ? null : this.opts.episodes;
      while (this.pos < this.cur.length && this.batchRows < B) {
        const r = this.pos++;
        if (!keep || keep(this.cur.episode[r]!)) this.take(this.cur, r, this.dims);
      }
    }
    this.batchRows = 0;
    return { xs: this.out, rows: B, epoch: this.epoch };
  }

  private take(b: { hidden: Float32Array[] }, r: number, dims: number[]): void {
    this.rowsRead++;
    if (this.filled < this.capacity) {
      const at = this.filled++;
      for (let a = 0; a < dims.length; a++) {
        const d = dims[a]!;
        this.buf[a]!.set(b.hidden[a]!.subarray(r * d, (r + 1) * d), at * d);
      }
      return;
    }
    const slot = this.rng.int(this.capacity);
    const o = this.batchRows++;
    for (let a = 0; a < dims.length; a++) {
      const d = dims[a]!;
      const buf = this.buf[a]!;
      this.out[a]!.set(buf.subarray(slot * d, (slot + 1) * d), o * d);
      buf.set(b.hidden[a]!.subarray(r * d, (r + 1) * d), slot * d);
    }
  }
}

/** Up to `rows` joined rows of the runs (of the kept episodes), shuffled with `seed` (copies). */
export function readSample(runs: string[], agents: string[], rows: number, seed: number, episodes: BatchStreamOptions['episodes'] = null): { xs: Float32Array[]; rows: number } {
  const probe = new ShuffledBatches({ runs, agents, batchSize: 1, seed, bufferRows: 1 });
  const n = Math.max(1, Math.min(rows, probe.rowsPerEpoch || rows));
  const s = new ShuffledBatches({ runs, agents, batchSize: n, seed, bufferRows: Math.max(n, 16384), episodes });
  const b = s.next();
  return { xs: b.xs.map((x) => x.slice()), rows: n };
}
