// Writes the reasoning-style experiment report in the requested formats (atomically), under the
// same file names as a context experiment's report (writeExperimentReport.ts).
import { join } from 'node:path';
import { writeFileAtomic } from '../../data/index.js';
import { EXPERIMENT_FILES, type ExperimentFormat, EXPERIMENT_FORMATS } from '../writeExperimentReport.js';
import { gamesCsv } from './gamesCsv.js';
import { gamesHtml } from './gamesHtml.js';
import { gamesMarkdown } from './gamesMarkdown.js';
import type { GamesReport } from './gamesReport.js';

export function writeGamesReport(dir: string, r: GamesReport, formats: readonly ExperimentFormat[] = EXPERIMENT_FORMATS): string[] {
  return formats.map((f) => {
    const file = join(dir, EXPERIMENT_FILES[f]);
    writeFileAtomic(file, f === 'json' ? JSON.stringify(r, null, 1) + '\n' : f === 'csv' ? gamesCsv(r) : f === 'md' ? gamesMarkdown(r) : gamesHtml(r), false);
    return file;
  });
}
