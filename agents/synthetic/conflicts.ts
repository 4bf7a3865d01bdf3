// Planted conflicts: in a chosen fraction of episodes, from an onset step t0 one agent's copy
// of some shared thoughts drifts away from the others' copies (drift(t) = min(maxDrift,
// speed·(t − t0 + 1)), added to each drifting thought), and its behaviour diverges exactly
// `lag` steps later (see actionReadout.ts for why the step is exact). The plan is drawn up
// front from its own random stream, so it is known before any step is generated.
import { shuffleInPlace } from '../../util/random.js';
import type { ResolvedSyntheticConfig } from './config.js';
import { rngFor, STREAM } from './seeds.js';
import type { SyntheticStructure } from './structure.js';

export interface PlannedConflict {
  episode: number;
  /** The agent whose copy drifts. */
  agent: string;
  /** The other agents holding the drifting thoughts: their actions stop matching the drifter's. */
  counterparties: string[];
  group: string;
  /** Global ids of the drifting thoughts (ascending). */
  thoughts: number[];
  onsetStep: number;
  /** Step at which behaviour diverges: onsetStep + lag. */
  divergenceStep: number;
  lag: number;
  speed: number;
  maxDrift: number;
}

export function planConflicts(cfg: ResolvedSyntheticConfig, structure: SyntheticStructure): PlannedConflict[] {
  const c = cfg.conflicts;
  const count = Math.round(c.fraction * cfg.episodes);
  if (count === 0) return [];
  const rng = rngFor(cfg.seed, STREAM.conflicts);
  const episodes = Array.from({ length: cfg.episodes }, (_, i) => i);
  shuffleInPlace(rng, episodes);
  const chosen = episodes.slice(0, count).sort((a, b) => a - b);
  const eligible = structure.groups.filter((g) => g.kind === 'shared' && g.size >= c.thoughts);
  const drifters = structure.agents.map((a) => a.id).filter((id) => eligible.some((g) => g.agents.includes(id)));
  return chosen.map((episode) => {
    const agent = c.agent ?? drifters[rng.int(drifters.length)]!;
    const groups = eligible.filter((g) => g.agents.includes(agent));
    const group = groups[rng.int(groups.length)]!;
    const pool = [...group.thoughts];
    shuffleInPlace(rng, pool);
    const thoughts = pool.slice(0, c.thoughts).sort((a, b) => a - b);
    const onsetStep = c.onset[0] + rng.int(c.onset[1] - c.onset[0] + 1);
    return {
      episode,
      agent,
      counterparties: group.agents.filter((a) => a !== agent),
      group: group.name,
      thoughts,
      onsetStep,
      divergenceStep: onsetStep + c.lag,
      lag: c.lag,
      speed: c.speed,
      maxDrift: c.maxDrift,
    };
  });
}

/** The drift added at `step` to each drifting thought of the drifter's copy (0 before onset). */
export function driftAt(conflict: PlannedConflict, step: number): number {
  if (step < conflict.onsetStep) return 0;
  return Math.min(conflict.maxDrift, conflict.speed * (step - conflict.onsetStep + 1));
}
