// The latent activations behind an experiment's representational shift, per held-out episode:
// each condition's recorded runs (experiments/<name>/runs/<condition>--s<seed>, seeds in the
// report's order) encoded with the experiment's dictionary, and per episode the mean activation
// and firing rate of every latent — the per-episode values whose averages report.json gives as
// `mean` / `baseMean` (experiments/representationShift.ts computes them the same way, in the
// same order). Computed once per experiment and dictionary/run version, then cached.
import { join } from 'node:path';
import { NotFoundError } from '../data/index.js';
import { episodeLatentStats } from '../experiments/episodeLatentStats.js';
import { CONDITION_AGENTS } from '../experiments/recordConditionRuns.js';
import { currentBackend, loadCheckpoint, releaseModel, selectBackend } from '../sae/index.js';
import type { ExperimentReportView } from './experimentReader.js';
import { versionKey } from './fileVersion.js';
import type { Workbench } from './workbench.js';

export interface ConditionRunDir {
  /** Run id the run view opens: `<experiment>--<condition>--s<seed>` (WorkspacePaths.runDir). */
  id: string;
  seed: number;
  dir: string;
}

export interface ConditionEpisodeStats {
  condition: string;
  runs: ConditionRunDir[];
  /** Per held-out episode: its run and episode id. */
  episodes: { run: string; seed: number; episode: number }[];
  /** [episode · latents + j]: mean activation and firing rate of latent j over the episode's rounds. */
  mean: Float64Array;
  rate: Float64Array;
}

export interface ExperimentLatentStats {
  latents: number;
  holdoutEvery: number;
  conditions: ConditionEpisodeStats[];
}

/** The recorded runs of each condition, seeds in the report's order (missing ones skipped). */
export function conditionRuns(wb: Workbench, name: string, report: Pick<ExperimentReportView, 'seeds' | 'conditions'>): Map<string, ConditionRunDir[]> {
  const cells = new Set(wb.paths.experimentRuns(name));
  const out = new Map<string, ConditionRunDir[]>();
  for (const c of report.conditions) {
    const runs: ConditionRunDir[] = [];
    for (const seed of report.seeds) {
      const cell = `${c.condition}--s${seed}`;
      if (!cells.has(cell)) continue;
      runs.push({ id: `${name}--${cell}`, seed, dir: wb.paths.experimentRunDir(name, cell) });
    }
    out.set(c.condition, runs);
  }
  return out;
}

const cache = new Map<string, { key: string; stats: ExperimentLatentStats }>();

/** Per condition, per held-out episode, every latent's mean activation and firing rate. */
export async function experimentLatentStats(wb: Workbench, name: string, report: ExperimentReportView): Promise<ExperimentLatentStats> {
  const dict = wb.paths.experimentDictionary(name);
  if (!dict) throw new NotFoundError(`experiment '${name}' has no dictionary (its spec had "dictionary": false, or it was not trained yet)`);
  const byCond = conditionRuns(wb, name, report);
  const all = [...byCond.values()].flat();
  const key = versionKey([join(dict, 'cfg.json'), join(dict, 'model.safetensors'), ...all.map((r) => join(r.dir, 'run.json'))]);
  const hit = cache.get(name + '\u0000' + wb.paths.root);
  if (hit && hit.key === key) return hit.stats;
  if (!currentBackend()) await selectBackend();
  const model = loadCheckpoint(dict);
  try {
    const m = model.cfg.latents;
    const every = model.cfg.holdoutEvery;
    const conditions = report.conditions.map((c): ConditionEpisodeStats => {
      const runs = byCond.get(c.condition) ?? [];
      const episodes: ConditionEpisodeStats['episodes'] = [];
      const means: number[] = [];
      const rates: number[] = [];
      for (const r of runs) {
        for (const st of episodeLatentStats(model, r.dir, CONDITION_AGENTS)) {
          episodes.push({ run: r.id, seed: r.seed, episode: st.episode });
          for (let j = 0; j < m; j++) means.push(st.mean[j]!);
          for (let j = 0; j < m; j++) rates.push(st.rate[j]!);
        }
      }
      return { condition: c.condition, runs, episodes, mean: Float64Array.from(means), rate: Float64Array.from(rates) };
    });
    const stats: ExperimentLatentStats = { latents: m, holdoutEvery: every, conditions };
    if (cache.size > 8) cache.clear();
    cache.set(name + '\u0000' + wb.paths.root, { key, stats });
    return stats;
  } finally {
    releaseModel(model);
  }
}
