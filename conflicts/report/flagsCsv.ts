// flags.csv: one row per flag, with its outcome and attribution flattened.
import type { Flag } from '../score/scorer.js';
import { csvField } from './escape.js';
import type { ReportFlag } from './conflictReport.js';

export const FLAG_CSV_COLUMNS = [
  'episode',
  'step',
  'score',
  'threshold',
  'channel',
  'agents',
  'outcome',
  'lead_to_event',
  'top_latent',
  'top_latent_class',
  'top_latent_disagreement',
  'latents',
  'contributions',
  'behaviour',
] as const;

export function flagsCsvHeader(): string {
  return FLAG_CSV_COLUMNS.join(',') + '\n';
}

export function flagCsvRow(f: Flag | ReportFlag): string {
  const r = f as Partial<ReportFlag>;
  const top = f.latents[0];
  const cells = [
    f.episode,
    f.step,
    f.score,
    f.threshold,
    f.channel,
    f.agents.join(' '),
    r.outcome ?? '',
    r.leadToEvent ?? '',
    top?.label ?? '',
    top?.class ?? '',
    top?.disagreement ?? '',
    f.latents.map((l) => `${l.label}:${l.disagreement}`).join(';'),
    f.contributions.map((c) => `${c.feature}:${c.contribution}`).join(';'),
    JSON.stringify(f.behaviour ?? {}),
  ];
  return cells.map(csvField).join(',') + '\n';
}

export function flagsCsv(flags: readonly (Flag | ReportFlag)[]): string {
  return flagsCsvHeader() + flags.map(flagCsvRow).join('');
}
