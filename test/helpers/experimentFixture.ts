// A tiny experiment made by the CLI in a workspace (peer memory: a neutral control, a
// defecting memory; one dictionary across conditions), for the conditions view's tests:
// `thoughtlens --json -w <ws> experiment <spec>` writes <ws>/experiments/<name>/, and its
// stdout (the report the CLI printed) is what the view's numbers are checked against.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCliCapture } from './runCliCapture.js';

export const TINY_CONDITIONS_SPEC = {
  name: 'tiny-conditions',
  seeds: [1, 2],
  agent: { hidden: 8, coPlayers: 10, episodesPerCoPlayer: 2, episodeLength: 10, sequences: 16, length: 10, epochs: 1, onPolicyEpisodes: 0 },
  evaluate: { coPlayers: 5, episodesPerCoPlayer: 10, steps: 6, resamples: 100 },
  baseline: 'neutral',
  conditions: [
    { name: 'neutral', prefix: { memory: 'neutral', length: 20 } },
    { name: 'defecting', prefix: { memory: 'defecting', length: 20, noise: 0 } },
    { name: 'cooperating', prefix: { memory: 'cooperating', length: 20, noise: 0 } },
  ],
  dictionary: { latents: 16, k: 2, steps: 40, batchSize: 64 },
};

/** Runs the tiny experiment with the CLI in `ws`; returns the report the CLI printed (--json). */
export async function makeExperimentFixture(ws: string, spec: object = TINY_CONDITIONS_SPEC): Promise<{ name: string; report: CliExperimentReport }> {
  const file = join(ws, 'spec.json');
  writeFileSync(file, JSON.stringify(spec));
  const r = await runCliCapture(['--json', '-w', ws, 'experiment', file, '--format', 'json']);
  if (r.code !== 0) throw new Error(`thoughtlens experiment failed (${r.code}): ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { report: CliExperimentReport };
  return { name: (spec as { name: string }).name, report: out.report };
}

interface Interval {
  estimate: number;
  lo: number;
  hi: number;
}

/** The fields of the CLI's report the tests read. */
export interface CliExperimentReport {
  name: string;
  baseline: string;
  seeds: number[];
  conditions: { condition: string; metrics: Record<string, Interval>; perSeed: { seed: number; defection: number }[] }[];
  shifts: { condition: string; metric: string; delta: Interval; p: number; q: number }[];
  representation: {
    conditions: { condition: string; episodes: number; baseEpisodes: number; top: { latent: number; mean: number; baseMean: number; d: Interval; p: number; q: number }[] }[];
  } | null;
}
