// Keeps each run's behaviour columns (keys, actions, rewards, events, texts) in memory so
// ranged reads are cheap, and grows them from the streams as a live run records: each
// refresh reads only the batches that landed since the last one (RunTail.poll). Hidden
// states are read and dropped; only behaviour stays.
import { tailRun, ThoughtlensError, type RunTail } from '../data/index.js';

export type Cell = number | boolean | string | null;

export class BehaviourColumns {
  readonly episode: number[] = [];
  readonly step: number[] = [];
  /** agent id → column → values, aligned with episode/step. */
  readonly agents: Record<string, Record<string, Cell[]>> = {};
  private readonly keyToRow = new Map<number, number>();
  private tail: RunTail | null = null;
  /** Set when the streams could not be read further (torn or bad batch): what went wrong. */
  error: string | null = null;

  constructor(readonly runDir: string) {}

  get length(): number {
    return this.episode.length;
  }

  /** Reads what landed on disk since the last call. */
  refresh(): void {
    try {
      this.tail ??= tailRun(this.runDir, { skipHiddenCheck: true });
      const ids = this.tail.run.agentIds;
      for (const b of this.tail.poll()) {
        const base = this.episode.length;
        for (let i = 0; i < b.length; i++) {
          const e = b.episode[i]!;
          const s = b.step[i]!;
          this.episode.push(e);
          this.step.push(s);
          this.keyToRow.set(key(e, s), base + i);
        }
        ids.forEach((id, a) => {
          const cols = (this.agents[id] ??= {});
          for (const [name, values] of Object.entries(b.columns[a] ?? {})) {
            const arr = (cols[name] ??= new Array<Cell>(base).fill(null));
            for (let i = 0; i < b.length; i++) {
              const v = values[i];
              arr.push(typeof v === 'bigint' ? Number(v) : (v ?? null));
            }
          }
          // Columns absent from this batch stay aligned.
          for (const arr of Object.values(cols)) while (arr.length < base + b.length) arr.push(null);
        });
      }
    } catch (err) {
      if (!(err instanceof ThoughtlensError)) throw err;
      this.error = err.message;
    }
  }

  /** Row on the time axis of (episode, step), or -1. */
  rowOf(episode: number, step: number): number {
    return this.keyToRow.get(key(episode, step)) ?? -1;
  }

  close(): void {
    // RunTail closes its readers only when iterated to the end; close them by draining state.
    const t = this.tail as unknown as { readers?: { close(): void }[] } | null;
    t?.readers?.forEach((r) => r.close());
    this.tail = null;
  }
}

function key(e: number, s: number): number {
  return e * 0x100000000 + (s >>> 0);
}

/** One BehaviourColumns per run folder, created on first use. */
export class BehaviourCache {
  private readonly runs = new Map<string, BehaviourColumns>();

  get(runDir: string): BehaviourColumns {
    let c = this.runs.get(runDir);
    if (!c) {
      c = new BehaviourColumns(runDir);
      this.runs.set(runDir, c);
    }
    c.refresh();
    return c;
  }

  /** The run's columns if they were read before (nothing is read now). */
  peek(runDir: string): BehaviourColumns | undefined {
    return this.runs.get(runDir);
  }

  drop(runDir: string): void {
    this.runs.get(runDir)?.close();
    this.runs.delete(runDir);
  }

  close(): void {
    for (const c of this.runs.values()) c.close();
    this.runs.clear();
  }
}
