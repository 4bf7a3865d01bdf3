// Writes a report in the requested formats into a folder (each file atomically).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../data/index.js';
import { DetectorConfigError } from '../errors.js';
import type { ConflictReport } from './conflictReport.js';
import { flagsCsv } from './flagsCsv.js';
import { htmlReport } from './htmlReport.js';
import { markdownReport } from './markdownReport.js';

export const REPORT_FORMATS = ['json', 'csv', 'md', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_FILES: Record<ReportFormat, string> = { json: 'report.json', csv: 'flags.csv', md: 'report.md', html: 'report.html' };

export function parseFormats(s: string): ReportFormat[] {
  const out = s.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean);
  for (const f of out) if (!REPORT_FORMATS.includes(f as ReportFormat)) throw new DetectorConfigError(`unknown report format '${f}' (formats: ${REPORT_FORMATS.join(', ')})`);
  if (out.length === 0) throw new DetectorConfigError(`no report format given (formats: ${REPORT_FORMATS.join(', ')})`);
  return [...new Set(out)] as ReportFormat[];
}

/** Writes the report files; returns their paths. */
export function writeReport(dir: string, r: ConflictReport, formats: readonly ReportFormat[] = REPORT_FORMATS): string[] {
  mkdirSync(dir, { recursive: true });
  const out: string[] = [];
  for (const f of formats) {
    const file = join(dir, REPORT_FILES[f]);
    const text = f === 'json' ? JSON.stringify(r, null, 1) + '\n' : f === 'csv' ? flagsCsv(r.flags) : f === 'md' ? markdownReport(r) : htmlReport(r);
    writeFileAtomic(file, text, false);
    out.push(file);
  }
  return out;
}
