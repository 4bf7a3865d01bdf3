// Ground truth of planted conflicts, where a run carries it (truth/conflicts.json, written
// by the synthetic source or any generator converted into the documented format): per
// conflict the episode, the agent whose copy drifts, the drifting thoughts, the step the
// drift starts (onset) and the step behaviour diverges. Truth sharpens evaluation (a flag
// counts as a detection only between onset and divergence) and scores attribution; the
// detector itself never reads it. A run without truth is scored and reported all the same.
import { existsSync } from 'node:fs';
import { readTruthJson, readTruthTable, readTruthThoughts, stepKey, truthPath } from '../../data/index.js';
import { DetectorDataError } from '../errors.js';

export interface TruthConflict {
  episode: number;
  /** The agent whose copy drifted. */
  agent: string;
  /** Global ids of the drifting thoughts. */
  thoughts: number[];
  onsetStep: number;
  divergenceStep: number;
}

export const CONFLICT_TRUTH_FILE = 'conflicts.json';
export const THOUGHTS_TRUTH_FILE = 'latents.arrows';

/** The run's planted conflicts, or null when it has no truth/conflicts.json. */
export function readConflictTruth(runDir: string, agents?: readonly string[]): TruthConflict[] | null {
  if (!existsSync(truthPath(runDir, CONFLICT_TRUTH_FILE))) return null;
  // `{ "conflicts": [...] }` as the synthetic source and `truth attach` write it, or a bare list.
  const t = readTruthJson<{ conflicts?: unknown } | unknown[]>(runDir, CONFLICT_TRUTH_FILE);
  const list = Array.isArray(t) ? t : t?.conflicts;
  const where = { file: truthPath(runDir, CONFLICT_TRUTH_FILE) };
  if (!Array.isArray(list)) throw new DetectorDataError(`truth/${CONFLICT_TRUTH_FILE} has no 'conflicts' list`, where);
  const bad = (i: number, m: string) => new DetectorDataError(`truth/${CONFLICT_TRUTH_FILE}: conflict ${i} ${m}`, where);
  return list.map((c: Record<string, unknown>, i) => {
    const n = (k: string) => {
      const v = c?.[k];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(i, `has no numeric '${k}'`);
      return v;
    };
    const out = {
      episode: n('episode'),
      agent: String(c.agent ?? ''),
      thoughts: Array.isArray(c.thoughts) ? c.thoughts.map(Number) : [],
      onsetStep: n('onsetStep'),
      divergenceStep: n('divergenceStep'),
    };
    // A truth written by hand (not through `truth attach`) is checked here, so a slip is an error
    // rather than attribution quietly scored against an agent that does not exist. (An onset after
    // the divergence is allowed: `record ipd-delayed` writes one where the moves differed before
    // the delayed agent saw the switch; evaluation matches no window to it.)
    if (agents && out.agent !== '' && !agents.includes(out.agent)) throw bad(i, `names agent '${out.agent}', not an agent of the run (${agents.join(', ')})`);
    if (out.thoughts.some((x) => !Number.isInteger(x) || x < 0)) throw bad(i, `has thoughts ${JSON.stringify(c.thoughts)}; they must be thought ids (integers ≥ 0)`);
    return out;
  });
}

/** Per (episode, step) the common true thoughts, or null when the run has no truth/latents.arrows. */
export interface ThoughtSeries {
  count: number;
  /** Row of (episode, step), or undefined. */
  row(episode: number, step: number): number | undefined;
  values: Float32Array;
}

export function readThoughtSeries(runDir: string, agentIds: readonly string[] = []): ThoughtSeries | null {
  if (!existsSync(truthPath(runDir, THOUGHTS_TRUTH_FILE))) return null;
  const table = readTruthTable(runDir, THOUGHTS_TRUTH_FILE);
  const t = readTruthThoughts(table, undefined, agentIds, (m) => new DetectorDataError(`truth/${THOUGHTS_TRUTH_FILE} ${m} (run ${runDir})`));
  const index = new Map<number, number>();
  for (let r = 0; r < t.rows; r++) index.set(stepKey(t.episode[r]!, t.step[r]!), r);
  return { count: t.K, values: t.values, row: (e, s) => index.get(stepKey(e, s)) };
}
