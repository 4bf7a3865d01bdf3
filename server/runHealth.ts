// Run health from the data, not the manifest: a run whose agent stream is not Arrow, breaks
// off in garbage, or holds a bad batch (found while its behaviour was read) is `corrupt`,
// listed with a one-line reason (names relative to the run folder) and answered with 422 on
// every endpoint of that run. Streams are walked by their framing (message headers only),
// incrementally: a growing stream is read on from where the last check stopped.
import { closeSync, fstatSync, openSync } from 'node:fs';
import type { NextFunction, Request, Response } from 'express';
import {
  checkedBatchLength,
  FormatError,
  ID_PATTERN,
  ipcLayout,
  oneLineReason,
  RunReader,
  scanMessage,
  ThoughtlensError,
} from '../data/index.js';
import { param } from './httpHelpers.js';
import type { Workbench } from './workbench.js';

interface StreamState {
  ino: number;
  offset: number;
  end: number;
  error: string | null;
}

export class RunHealth {
  private readonly streams = new Map<string, StreamState>();

  constructor(private readonly wb: Workbench) {}

  /** null for a healthy run (or one whose manifest the routes report), else why it is corrupt. */
  reason(runDir: string): string | null {
    let run: RunReader;
    try {
      run = new RunReader(runDir);
    } catch {
      return null; // an unreadable manifest is reported as such by the list and the routes
    }
    try {
      for (const a of run.manifest.agents) {
        const why = this.stream(run.streamPath(a.id));
        if (why) return `agent '${a.id}': ${oneLineReason(new Error(why), runDir)}`;
      }
    } catch (err) {
      if (!(err instanceof ThoughtlensError)) throw err;
      return oneLineReason(err, runDir);
    }
    const behaviour = this.wb.behaviour.peek(run.dir)?.error;
    return behaviour ? oneLineReason(new Error(behaviour), runDir) : null;
  }

  /** Framing check of one stream from where the last one stopped; the error message, or null. */
  private stream(file: string): string | null {
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch {
      this.streams.delete(file);
      return null; // a missing stream: not corrupt, the routes say it is missing
    }
    try {
      const st = fstatSync(fd);
      let s = this.streams.get(file);
      if (!s || s.ino !== st.ino || st.size < s.end) {
        const layout = ipcLayout(fd, st.size);
        s = { ino: st.ino, offset: layout.start, end: 0, error: null };
        this.streams.set(file, s);
      }
      if (s.error || st.size === s.end) return s.error;
      const size = ipcLayout(fd, st.size).end;
      s.end = st.size;
      try {
        for (;;) {
          const r = scanMessage(fd, s.offset, size, file);
          if (r.kind === 'eof' || r.kind === 'incomplete' || r.kind === 'end-of-stream') break;
          if (r.message.isRecordBatch()) checkedBatchLength(r.message, r.bodyLength, file, r.offset);
          s.offset = r.end;
        }
      } catch (err) {
        if (!(err instanceof ThoughtlensError)) throw err;
        s.error = err.message;
      }
      return s.error;
    } finally {
      closeSync(fd);
    }
  }
}

const byWorkbench = new WeakMap<Workbench, RunHealth>();

export function runHealth(wb: Workbench): RunHealth {
  let h = byWorkbench.get(wb);
  if (!h) byWorkbench.set(wb, (h = new RunHealth(wb)));
  return h;
}

/**
 * Every endpoint of a corrupt run answers 422 with the reason. Runs being ingested through
 * this server are written by it and not checked; names the routes reject are left to them.
 */
export function runHealthGate(wb: Workbench) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const id = param(req, 'id');
    if (!ID_PATTERN.test(id) || wb.ingesting.has(id)) return next();
    let dir: string;
    try {
      dir = wb.paths.runDir(id);
    } catch {
      return next(); // 404/400 from the route
    }
    const why = runHealth(wb).reason(dir);
    if (why) throw new FormatError(`run '${id}' is corrupt: ${why}`);
    next();
  };
}
