// Records a run: one append-only Arrow stream per agent plus a manifest that always tells
// the truth about status and counts (updated only after the data it counts is written).
import { existsSync, mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { hostname } from 'node:os';
import { AgentStreamWriter, type StepRows } from './agentStreamWriter.js';
import { UsageError, FormatError } from './errors.js';
import { FORMAT_ID, FORMAT_VERSION, ID_PATTERN, STREAMS_DIR, streamFileName } from './format.js';
import {
  validateManifest,
  writeManifest,
  type AgentSpec,
  type RunManifest,
  type RunSource,
  type RunStatus,
} from './manifest.js';

export interface RunWriterOptions {
  /** Run id; defaults to the folder name. */
  id?: string;
  source: RunSource;
  agents: AgentSpec[];
  /** Rows per record batch (default: about 4 MiB of hidden state per batch, 64..8192 rows). */
  batchRows?: number;
  /** Flush partial batches at least this often, so live readers see data (ms, default 1000; 0 = never). */
  flushIntervalMs?: number;
  /**
   * Rewrite run.json (counts) at most this often while batches stream out (ms, default 200;
   * 0 = after every batch). flush() and close() always bring it up to date.
   */
  manifestIntervalMs?: number;
  /** fsync data and manifest at each flush (default false: kill -9 safe, not power-loss safe). */
  durable?: boolean;
  /** Reject NaN/Inf hidden states (default true). */
  validate?: boolean;
}

export function defaultBatchRows(hiddenSize: number): number {
  return Math.max(64, Math.min(8192, Math.floor((4 << 20) / (4 * hiddenSize))));
}

export class RunWriter {
  readonly dir: string;
  readonly manifest: RunManifest;
  private readonly writers = new Map<string, AgentStreamWriter>();
  private readonly durable: boolean;
  private timer: NodeJS.Timeout | undefined;
  private timerError: Error | undefined;
  private finished = false;
  private readonly manifestEvery: number;
  private lastManifestAt = 0;
  /** Batches were written since run.json was last rewritten. */
  private manifestStale = false;

  constructor(dir: string, opts: RunWriterOptions) {
    this.dir = resolve(dir);
    this.durable = opts.durable ?? false;
    this.manifestEvery = opts.manifestIntervalMs ?? 200;
    if (existsSync(join(this.dir, 'run.json'))) {
      throw new UsageError(`a run already exists here; choose another --out or remove it`, {
        file: this.dir,
      });
    }
    const id = opts.id ?? basename(this.dir);
    if (!ID_PATTERN.test(id)) throw new UsageError(`run id '${id}' must match ${ID_PATTERN}`);
    const now = new Date().toISOString();
    const manifest: RunManifest = {
      format: FORMAT_ID,
      version: FORMAT_VERSION,
      id,
      createdAt: now,
      updatedAt: now,
      source: opts.source,
      agents: opts.agents,
      status: 'recording',
      counts: Object.fromEntries(
        opts.agents.map((a) => [a?.id, { rows: 0, batches: 0, bytes: 0 }]),
      ),
      writer: { pid: process.pid, host: hostname() },
    };
    // Validate before touching any stream file, so a bad spec leaves nothing behind.
    this.manifest = validateManifest(
      JSON.parse(JSON.stringify(manifest)),
      join(this.dir, 'run.json'),
    );
    mkdirSync(join(this.dir, STREAMS_DIR), { recursive: true });
    for (const agent of this.manifest.agents) {
      const file = join(this.dir, streamFileName(agent.id));
      const batchRows = opts.batchRows ?? defaultBatchRows(agent.hiddenSize);
      this.writers.set(
        agent.id,
        new AgentStreamWriter(file, agent, { batchRows, validate: opts.validate ?? true }),
      );
    }
    this.syncManifest();
    const every = opts.flushIntervalMs ?? 1000;
    if (every > 0) {
      // A failing timed flush (disk full, …) must not crash the process from a timer: the
      // error is kept and thrown by the next append, flush or close.
      this.timer = setInterval(() => {
        try {
          this.flush();
        } catch (err) {
          this.timerError ??= err as Error;
          clearInterval(this.timer);
        }
      }, every);
      this.timer.unref();
    }
  }

  get status(): RunStatus {
    return this.manifest.status;
  }

  /** Appends steps of one agent. Full batches are written immediately. */
  append(agentId: string, rows: StepRows): void {
    const w = this.writers.get(agentId);
    if (!w)
      throw new UsageError(
        `unknown agent '${agentId}'; this run has ${[...this.writers.keys()].join(', ')}`,
      );
    if (this.finished)
      throw new UsageError(`run '${this.manifest.id}' is ${this.manifest.status}; cannot append`);
    this.throwTimerError();
    const before = w.batchesWritten;
    w.append(rows);
    if (w.batchesWritten !== before) {
      this.manifestStale = true;
      // Counts may lag behind the streams (never run ahead): rewriting run.json for every
      // 4 MiB batch would cost ~10% of recording speed.
      if (performance.now() - this.lastManifestAt >= this.manifestEvery) this.syncManifest();
    }
  }

  /** Rows of one agent accepted so far: written to disk plus buffered for the next batch. */
  rowsAppended(agentId: string): number {
    const w = this.writers.get(agentId);
    if (!w) throw new UsageError(`unknown agent '${agentId}'; this run has ${[...this.writers.keys()].join(', ')}`);
    return w.rowsWritten + w.pendingRows;
  }

  /** Writes every agent's partial batch and updates the manifest. */
  flush(): void {
    if (this.finished) return;
    let wrote = 0;
    for (const w of this.writers.values()) wrote += w.flush();
    if (wrote > 0 || this.manifestStale) this.syncManifest();
  }

  /** Ends the run cleanly: flush, end-of-stream markers, status `complete`. */
  close(): void {
    this.finish('complete');
  }

  /** Ends the run keeping everything recorded so far, with status `aborted` and a reason. */
  abort(reason: string): void {
    this.finish('aborted', reason);
  }

  private throwTimerError(): void {
    const err = this.timerError;
    if (!err) return;
    this.timerError = undefined;
    throw err;
  }

  private finish(status: RunStatus, note?: string): void {
    if (this.finished) return;
    if (this.timer) clearInterval(this.timer);
    for (const w of this.writers.values()) w.close({ endOfStream: true, durable: this.durable });
    this.finished = true;
    this.manifest.status = status;
    if (note) (this.manifest.notes ??= []).push(note);
    delete this.manifest.writer;
    this.syncManifest(true);
  }

  /** Marks files of ground truth that sit next to the streams (see truth.ts). */
  addTruthFiles(files: string[]): void {
    for (const f of files) {
      if (f.includes('..')) throw new FormatError(`truth file '${f}' must be relative to the run`);
      if (!(this.manifest.truth ??= []).includes(f)) this.manifest.truth.push(f);
    }
    this.syncManifest();
  }

  private syncManifest(force = false): void {
    for (const [id, w] of this.writers) {
      if (this.durable && !force && !this.finished) w.sync();
      this.manifest.counts[id] = { rows: w.rowsWritten, batches: w.batchesWritten, bytes: w.bytes };
    }
    this.manifest.updatedAt = new Date().toISOString();
    this.manifestStale = false;
    this.lastManifestAt = performance.now();
    writeManifest(this.dir, this.manifest, this.durable || force);
  }
}

export function createRun(dir: string, opts: RunWriterOptions): RunWriter {
  return new RunWriter(dir, opts);
}
