// Shared state of one running server, handed to every route: configuration, safe paths,
// caches, the live-event hub and the runs being ingested over HTTP.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RunWriter } from '../data/index.js';
import { BehaviourCache } from './behaviourCache.js';
import { readCheckpoint, type CheckpointData } from './checkpointReader.js';
import { checkpointRefDir } from './checkpointRefs.js';
import { CodesCache } from './codesCache.js';
import { LiveEvents } from './liveEvents.js';
import type { ResolvedServerConfig } from './serverConfig.js';
import { WorkspacePaths } from './workspacePaths.js';

export interface IngestSession {
  writer: RunWriter;
  /** Agents with a steps request in flight. */
  busy: Set<string>;
  lastFlush: number;
  timer: NodeJS.Timeout | null;
}

/** Flushes an ingested run at most every `everyMs`, and at the latest `everyMs` after data came. */
export function flushSoon(s: IngestSession, everyMs: number, onFlush: () => void): void {
  const now = Date.now();
  if (now - s.lastFlush >= everyMs) {
    if (s.timer) clearTimeout(s.timer);
    s.timer = null;
    s.writer.flush();
    s.lastFlush = now;
    onFlush();
  } else if (!s.timer) {
    s.timer = setTimeout(() => {
      s.timer = null;
      if (s.writer.status !== 'recording') return;
      s.writer.flush();
      s.lastFlush = Date.now();
      onFlush();
    }, everyMs - (now - s.lastFlush));
  }
}

export class Workbench {
  readonly paths: WorkspacePaths;
  readonly behaviour = new BehaviourCache();
  readonly codes = new CodesCache();
  readonly events: LiveEvents;
  /** Runs created through POST /api/runs and not finished yet. */
  readonly ingesting = new Map<string, IngestSession>();
  private readonly checkpoints = new Map<string, { key: string; data: CheckpointData }>();

  constructor(readonly config: Readonly<ResolvedServerConfig>) {
    this.paths = new WorkspacePaths(config.workspace);
    this.events = new LiveEvents(config.workspace, config.watchMs);
  }

  /** A checkpoint by reference: a name in checkpoints/ or a workspace-relative path (checkpointRefs.ts). */
  checkpoint(name: string): CheckpointData {
    const dir = checkpointRefDir(this.paths, name);
    const key = JSON.stringify(['cfg.json', 'split.json', 'metrics.json', 'model.safetensors'].map((f) => statKey(join(dir, f))));
    const hit = this.checkpoints.get(name);
    if (hit && hit.key === key) return hit.data;
    const data = readCheckpoint(name, dir);
    this.checkpoints.set(name, { key, data });
    return data;
  }

  close(): void {
    for (const [, s] of this.ingesting) {
      if (s.timer) clearTimeout(s.timer);
      s.writer.abort('server stopped before the client finished the run');
    }
    this.ingesting.clear();
    this.behaviour.close();
    this.events.close();
  }
}

function statKey(p: string): string | null {
  if (!existsSync(p)) return null;
  const s = statSync(p);
  return `${s.size}:${s.mtimeMs}`;
}
