// Follows a run while it is being recorded: every complete batch that lands is joined and
// handed out exactly once. The Arrow JS reader does not stop at a stream's end while the
// file is open (FACTS.md), so the end is detected here: end-of-stream markers in every
// stream, or a finished/stale manifest with nothing new on disk.
import { setTimeout as sleep } from 'node:timers/promises';
import type { AgentStreamReader, Truncation } from './agentStreamReader.js';
import { StepJoiner, type JoinedBatch } from './join.js';
import { RunReader, type EffectiveStatus } from './runReader.js';

export interface RunTailOptions {
  /** How often to look for new bytes (ms, default 25). */
  pollMs?: number;
  /** Stop following (the iterator then ends after what is already on disk). */
  signal?: AbortSignal;
  /** Kept for old callers: hidden states are always checked unless skipHiddenCheck (agentStreamReader.ts). */
  validate?: boolean;
  /** Skip the NaN/Inf check: only for readers that drop hidden states. */
  skipHiddenCheck?: boolean;
}

export class RunTail implements AsyncIterable<JoinedBatch> {
  readonly run: RunReader;
  private readonly readers: AgentStreamReader[];
  private readonly joiner: StepJoiner;
  private readonly pollMs: number;
  private readonly signal: AbortSignal | undefined;
  /** Set when the tail ended: how the run finished and which streams had torn tails. */
  endStatus: EffectiveStatus | null = null;
  truncations: (Truncation | null)[] = [];
  rowsSeen = 0;

  constructor(dir: string, opts: RunTailOptions = {}) {
    this.run = new RunReader(dir);
    this.pollMs = opts.pollMs ?? 25;
    this.signal = opts.signal;
    this.readers = this.run.agentIds.map((id) =>
      this.run.openAgent(id, { skipHiddenCheck: opts.skipHiddenCheck ?? false }),
    );
    this.joiner = new StepJoiner(
      this.run.agentIds,
      this.run.manifest.agents.map((a) => a.hiddenSize),
    );
  }

  /** Joined batches that are on disk now and were not handed out before. */
  poll(): JoinedBatch[] {
    this.readers.forEach((r, a) => {
      for (const b of r.poll()) this.joiner.push(a, b);
    });
    const out = [...this.joiner.drain()];
    for (const b of out) this.rowsSeen += b.length;
    return out;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<JoinedBatch> {
    try {
      let quietPolls = 0;
      for (;;) {
        const got = this.poll();
        for (const b of got) yield b;
        if (this.readers.every((r) => r.ended)) {
          // The writer ends the streams first, then rewrites the manifest: give it a moment.
          let status = new RunReader(this.run.dir).effectiveStatus();
          for (let i = 0; status === 'recording' && i < 40 && !this.signal?.aborted; i++) {
            await sleep(this.pollMs, undefined, { signal: this.signal }).catch(() => undefined);
            status = new RunReader(this.run.dir).effectiveStatus();
          }
          this.finish(status);
          return;
        }
        if (got.length === 0) {
          // The manifest is re-read only when nothing arrived: a finished or dead writer
          // with two quiet polls in a row means nothing more will come.
          const status = new RunReader(this.run.dir).effectiveStatus();
          quietPolls = status === 'recording' ? 0 : quietPolls + 1;
          if (quietPolls >= 2) {
            this.finish(status);
            return;
          }
        }
        if (this.signal?.aborted) {
          this.finish('recording');
          return;
        }
        await sleep(this.pollMs, undefined, { signal: this.signal }).catch(() => undefined);
      }
    } finally {
      this.readers.forEach((r) => r.close());
    }
  }

  private finish(status: EffectiveStatus): void {
    this.endStatus = status;
    this.truncations = this.readers.map((r) => r.noteTruncation());
  }
}

export function tailRun(dir: string, opts?: RunTailOptions): RunTail {
  return new RunTail(dir, opts);
}
