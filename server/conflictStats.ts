// The numbers of one conflict report for the compare view, taken from report.json as
// `thoughtlens detect` wrote it (the same numbers its --json prints): flags, scored steps,
// behavioural conflicts, detection rate, false alarms, AUROC. Reports of older or other
// layouts fill what they state and leave the rest null.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { FormatError, listRuns } from '../data/index.js';
import { refOfPath } from './checkpointRefs.js';
import type { ConflictStats } from './protocol.js';
import type { WorkspacePaths } from './workspacePaths.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export interface ReportRef {
  /** '<run>/<report>'. */
  id: string;
  run: string;
  report: string;
  file: string;
  /** Checkpoint reference the report was made with (checkpointRefs.ts), if any. */
  checkpoint: string | null;
  createdAt: string;
  json: Json;
}

/** Every readable report.json of the workspace with the checkpoint it was made with. */
export function listReportRefs(paths: WorkspacePaths): ReportRef[] {
  const out: ReportRef[] = [];
  for (const run of listRuns(paths.root)) {
    const id = basename(run.dir);
    let names: string[];
    try {
      names = paths.reportNames(id);
    } catch {
      continue;
    }
    for (const report of names) {
      try {
        const file = paths.reportFile(id, report, 'report.json');
        const json = JSON.parse(readFileSync(file, 'utf8')) as unknown;
        if (!isObj(json)) continue;
        out.push({ id: `${id}/${report}`, run: id, report, file, checkpoint: checkpointOf(paths, json), createdAt: typeof json.createdAt === 'string' ? json.createdAt : statSync(file).mtime.toISOString(), json });
      } catch {
        // unreadable reports are not compared
      }
    }
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
}

function checkpointOf(paths: WorkspacePaths, json: Json): string | null {
  const det = isObj(json.detector) ? json.detector : {};
  const dict = isObj(det.dictionary) ? det.dictionary : null;
  const path = dict && typeof dict.checkpoint === 'string' ? dict.checkpoint : null;
  if (path) {
    const ref = refOfPath(paths, path);
    if (ref) return ref;
  }
  const raw = [json.checkpoint, json.sae, path].find((v) => typeof v === 'string') as string | undefined;
  return raw ? (raw.split(/[\\/]/).filter(Boolean).pop() ?? null) : null;
}

/** The numbers of one report. */
export function conflictStatsOf(r: ReportRef, runRows: number): ConflictStats {
  const j = r.json;
  if (!Array.isArray(j.flags)) throw new FormatError(`report ${r.id} has no flags list`);
  const ev = isObj(j.evaluation) ? j.evaluation : isObj(j.metrics) ? j.metrics : {};
  const scored = isObj(j.scored) ? j.scored : {};
  const events = isObj(j.events) ? j.events : {};
  const det = isObj(j.detector) ? j.detector : {};
  const scoredSteps = num(scored.steps) ?? num(ev.steps) ?? runRows;
  const conflicts = num(ev.conflicts) ?? num(events.count) ?? 0;
  const flaggedBefore = num(ev.flaggedBefore);
  const ci = isObj(ev.ci) ? ev.ci : {};
  const auroc = num(ev.auroc) ?? (isObj(ci.auroc) ? num(ci.auroc.estimate) : null);
  return {
    report: r.id,
    run: r.run,
    flags: j.flags.length,
    scoredSteps,
    scoredEpisodes: num(scored.episodes) ?? num(ev.episodes) ?? 0,
    flagsPer1000: scoredSteps ? (1000 * j.flags.length) / scoredSteps : 0,
    conflicts,
    flaggedBefore,
    detectionRate: num(ev.detectionRate) ?? (flaggedBefore !== null && conflicts ? flaggedBefore / conflicts : null),
    falseAlarmsPer1000: num(ev.falseAlarmsPer1000),
    medianLead: num(ev.medianLead),
    auroc,
    threshold: num(det.threshold) ?? num(j.threshold),
  };
}
