// Live updates: watches the workspace for runs that grew, new runs, new reports and new
// latent codes, and pushes LiveEvents to subscribers (the SSE route). Ingestion pushes its
// own events at once; the watcher covers writers in other processes (a recorder, detect --follow).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ID_PATTERN, RUNS_DIR, describeRun } from '../data/index.js';
import type { LiveEvent } from './protocol.js';
import { CODES_DIR, REPORTS_DIR } from './workspacePaths.js';

type Listener = (e: LiveEvent) => void;

interface Seen {
  manifestMtime: number;
  reports: Set<string>;
  codes: Map<string, number>;
}

export class LiveEvents {
  private readonly listeners = new Set<Listener>();
  private readonly seen = new Map<string, Seen>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly workspace: string,
    private readonly everyMs: number,
  ) {}

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    if (!this.timer) {
      this.scan(true);
      this.timer = setInterval(() => this.scan(false), this.everyMs);
      this.timer.unref();
    }
    return () => {
      this.listeners.delete(fn);
      if (this.listeners.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  emit(e: LiveEvent): void {
    for (const fn of this.listeners) fn(e);
  }

  /** Compares the workspace with what was seen last time; emits the differences. */
  scan(quiet: boolean): void {
    const dir = join(this.workspace, RUNS_DIR);
    if (!existsSync(dir)) return;
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => ID_PATTERN.test(n));
    } catch {
      return;
    }
    const added: string[] = [];
    for (const name of names) {
      const runDir = join(dir, name);
      let mtime: number;
      try {
        mtime = statSync(join(runDir, 'run.json')).mtimeMs;
      } catch {
        continue;
      }
      let s = this.seen.get(name);
      if (!s) {
        s = { manifestMtime: -1, reports: new Set(), codes: new Map() };
        this.seen.set(name, s);
        added.push(name);
      }
      if (s.manifestMtime !== mtime) {
        s.manifestMtime = mtime;
        if (!quiet) {
          const r = describeRun(runDir, name);
          const rows = r.agents.length ? Math.min(...r.agents.map((a) => a.rows)) : 0;
          this.emit({ type: 'run', run: name, rows, status: r.status });
        }
      }
      for (const rep of listNames(join(runDir, REPORTS_DIR))) {
        const key = `${rep}@${mtimeOf(join(runDir, REPORTS_DIR, rep, 'report.json'))}`;
        if (!s.reports.has(key)) {
          s.reports.add(key);
          if (!quiet && !key.endsWith('@-1')) this.emit({ type: 'report', run: name, report: rep });
        }
      }
      for (const file of listNames(join(runDir, CODES_DIR))) {
        if (!file.endsWith('.arrows')) continue;
        const size = sizeOf(join(runDir, CODES_DIR, file));
        if (s.codes.get(file) !== size) {
          s.codes.set(file, size);
          if (!quiet) this.emit({ type: 'codes', run: name, codes: file.slice(0, -'.arrows'.length), rows: -1 });
        }
      }
    }
    if (added.length && !quiet) this.emit({ type: 'runs', runs: added });
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.listeners.clear();
  }
}

function listNames(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => ID_PATTERN.test(n));
  } catch {
    return [];
  }
}

function mtimeOf(f: string): number {
  try {
    return statSync(f).mtimeMs;
  } catch {
    return -1;
  }
}

function sizeOf(f: string): number {
  try {
    return statSync(f).size;
  } catch {
    return -1;
  }
}
