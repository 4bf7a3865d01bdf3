// Opens a recorded run: manifest, per-agent stream readers, the joined view of all agents
// on (episode, step), and a framing-only scan that counts what is on disk without decoding.
import { closeSync, existsSync, fstatSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hostname } from 'node:os';
import {
  AgentStreamReader,
  type AgentStreamReaderOptions,
  type Truncation,
} from './agentStreamReader.js';
import { confinedPath } from './confinedPath.js';
import { NotFoundError } from './errors.js';
import { streamFileName } from './format.js';
import { StepJoiner, type JoinedBatch } from './join.js';
import { readManifest, type AgentSpec, type RunManifest } from './manifest.js';
import { checkedBatchLength, ipcLayout, scanMessage } from './messageScanner.js';

export interface StreamScan {
  agent: string;
  file: string;
  bytes: number;
  rows: number;
  batches: number;
  ended: boolean;
  truncation: Truncation | null;
}

export type EffectiveStatus = 'recording' | 'complete' | 'aborted' | 'stale';

export class RunReader {
  readonly dir: string;
  readonly manifest: RunManifest;

  constructor(dir: string) {
    this.dir = resolve(dir);
    this.manifest = readManifest(this.dir);
  }

  get agentIds(): string[] {
    return this.manifest.agents.map((a) => a.id);
  }

  agent(id: string): AgentSpec {
    const a = this.manifest.agents.find((x) => x.id === id);
    if (!a)
      throw new NotFoundError(
        `run '${this.manifest.id}' has no agent '${id}' (agents: ${this.agentIds.join(', ')})`,
      );
    return a;
  }

  /** The agent's stream file; its real path must lie inside the run folder (confinedPath.ts). */
  streamPath(agentId: string): string {
    const file = join(this.dir, streamFileName(this.agent(agentId).id));
    try {
      confinedPath(this.dir, file, `agent stream of '${agentId}'`);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err; // a missing stream is reported where it is opened
    }
    return file;
  }

  openAgent(agentId: string, opts?: AgentStreamReaderOptions): AgentStreamReader {
    return new AgentStreamReader(this.streamPath(agentId), this.agent(agentId), opts);
  }

  /**
   * `recording` with no live writer process on this host is reported as `stale`: the
   * recorder died (kill -9, power loss); every flushed batch is still readable.
   */
  effectiveStatus(): EffectiveStatus {
    const m = this.manifest;
    if (m.status !== 'recording') return m.status;
    if (m.writer && m.writer.host === hostname() && !processAlive(m.writer.pid)) return 'stale';
    return 'recording';
  }

  /**
   * Every agent's steps joined on (episode, step), batch by batch, out of core. After the
   * generator finishes, `truncations()` tells which streams had a torn tail.
   */
  *joined(opts: AgentStreamReaderOptions & { agents?: string[] } = {}): Generator<JoinedBatch> {
    const ids = opts.agents ?? this.agentIds;
    const readers = ids.map((id) => this.openAgent(id, opts));
    const iters = readers.map((r) => r.batches());
    const joiner = new StepJoiner(
      ids,
      ids.map((id) => this.agent(id).hiddenSize),
    );
    try {
      // Read an agent's next batch only when its queue is empty: memory stays at about
      // one batch per agent. Once an agent is exhausted, nothing else can be joined.
      outer: for (;;) {
        for (let a = 0; a < iters.length; a++) {
          if (joiner.queued(a) > 0) continue;
          const next = iters[a]!.next();
          if (next.done) break outer;
          joiner.push(a, next.value);
        }
        yield* joiner.drain();
      }
      // Finish every iterator so torn tails are noted even where another agent ended first.
      let unread = 0;
      for (const it of iters)
        for (let r = it.next(); !r.done; r = it.next()) unread += r.value.length;
      this.lastTruncations = readers.map((r) => r.truncation);
      this.lastUnmatched = joiner.unmatched + unread;
    } finally {
      readers.forEach((r) => r.close());
    }
  }

  /** Per agent, the torn tail met by the last finished `joined()` pass. */
  lastTruncations: (Truncation | null)[] = [];
  /** Rows the last `joined()` pass could not pair with every other agent. */
  lastUnmatched = 0;

  /** Counts rows and batches on disk and finds torn tails, reading only message headers. */
  scan(): StreamScan[] {
    return this.manifest.agents.map((a) => scanStream(this.streamPath(a.id), a.id));
  }

  hasTruth(name: string): boolean {
    return (this.manifest.truth ?? []).includes(name) && existsSync(join(this.dir, name));
  }
}

export function openRun(dir: string): RunReader {
  return new RunReader(dir);
}

export function scanStream(file: string, agent: string): StreamScan {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    throw new NotFoundError(`agent stream is missing`, { file });
  }
  try {
    const layout = ipcLayout(fd, fstatSync(fd).size);
    const size = layout.end;
    let offset = layout.start;
    let rows = 0;
    let batches = 0;
    let ended = false;
    let truncation: Truncation | null = null;
    for (;;) {
      const r = scanMessage(fd, offset, size, file);
      if (r.kind === 'eof') break;
      if (r.kind === 'incomplete') {
        truncation = { byteOffset: offset, bytesDropped: size - offset, reason: r.reason };
        break;
      }
      if (r.kind === 'end-of-stream') {
        ended = true;
        offset = r.end;
        break;
      }
      if (r.message.isRecordBatch()) {
        rows += checkedBatchLength(r.message, r.bodyLength, file, r.offset);
        batches++;
      }
      offset = r.end;
    }
    return { agent, file, bytes: size, rows, batches, ended, truncation };
  } finally {
    closeSync(fd);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
