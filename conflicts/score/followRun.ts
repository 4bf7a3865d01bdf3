// Live scoring: follows a run while it is recorded (data/runTail) and scores each joined
// batch as it lands. For each batch the landing time is taken from the stream files'
// modification times (the newest write among the agents, which is when the batch became
// joinable), so callers can measure latency from disk to flags written.
import { statSync } from 'node:fs';
import { tailRun, type JoinedBatch } from '../../data/index.js';
import type { Detector } from '../detector.js';
import { ConflictScorer, type ScoredBatch } from './scorer.js';

export interface FollowBatch {
  batch: JoinedBatch;
  scored: ScoredBatch;
  /** Epoch ms when the newest stream write behind this batch landed on disk. */
  landedAt: number;
  /** Epoch ms when the batch had been scored. */
  scoredAt: number;
}

export interface FollowOptions {
  pollMs?: number;
  signal?: AbortSignal;
  /** Called for each scored batch; may be async (e.g. appending flags to files). */
  onBatch: (b: FollowBatch) => void | Promise<void>;
}

export interface FollowSummary {
  batches: number;
  steps: number;
  flags: number;
  endStatus: string | null;
}

export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export async function followRun(detector: Detector, runDir: string, opts: FollowOptions): Promise<FollowSummary> {
  const tail = tailRun(runDir, { pollMs: opts.pollMs ?? 10, ...(opts.signal ? { signal: opts.signal } : {}), validate: false });
  const scorer = new ConflictScorer(detector);
  const files = tail.run.agentIds.map((id) => tail.run.streamPath(id));
  let batches = 0;
  let steps = 0;
  let flags = 0;
  for await (const batch of tail) {
    const landedAt = Math.max(...files.map((f) => statSync(f).mtimeMs));
    const scored = scorer.push(batch);
    batches++;
    steps += batch.length;
    flags += scored.flags.length;
    await opts.onBatch({ batch, scored, landedAt, scoredAt: nowMs() });
  }
  return { batches, steps, flags, endStatus: tail.endStatus };
}
