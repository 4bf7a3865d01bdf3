// Writes the experiment report in the requested formats into the experiment folder (atomically).
import { join } from 'node:path';
import { writeFileAtomic } from '../data/index.js';
import { experimentCsv, experimentLatentCsv, experimentPredictionCsv } from './experimentCsv.js';
import { experimentHtml } from './experimentHtml.js';
import { experimentMarkdown } from './experimentMarkdown.js';
import type { ExperimentReport } from './experimentReport.js';

export const EXPERIMENT_FORMATS = ['json', 'csv', 'md', 'html'] as const;
export type ExperimentFormat = (typeof EXPERIMENT_FORMATS)[number];
export const EXPERIMENT_FILES: Record<ExperimentFormat, string> = { json: 'report.json', csv: 'report.csv', md: 'report.md', html: 'report.html' };

export function writeExperimentReport(dir: string, r: ExperimentReport, formats: readonly ExperimentFormat[] = EXPERIMENT_FORMATS): string[] {
  return formats.map((f) => {
    const file = join(dir, EXPERIMENT_FILES[f]);
    writeFileAtomic(file, f === 'json' ? JSON.stringify(r, null, 1) + '\n' : f === 'csv' ? experimentCsv(r) : f === 'md' ? experimentMarkdown(r) : experimentHtml(r), false);
    return file;
  })
    .concat(formats.includes('csv') && r.representation ? [writeLatentCsv(dir, r)] : [])
    .concat(formats.includes('csv') && r.representation?.prediction ? [writePredictionCsv(dir, r)] : []);
}

function writePredictionCsv(dir: string, r: ExperimentReport): string {
  const file = join(dir, 'report.prediction.csv');
  writeFileAtomic(file, experimentPredictionCsv(r), false);
  return file;
}

function writeLatentCsv(dir: string, r: ExperimentReport): string {
  const file = join(dir, 'report.latents.csv');
  writeFileAtomic(file, experimentLatentCsv(r), false);
  return file;
}
