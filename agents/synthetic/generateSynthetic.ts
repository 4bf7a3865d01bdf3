// In-memory generation for small synthetic cases (tests, quick experiments): every step of
// every agent in contiguous typed arrays. Large runs belong in the run store (recordSynthetic).
import { UsageError } from '../../data/index.js';
import type { ResolvedSyntheticConfig, SyntheticConfig } from './config.js';
import type { PlannedConflict } from './conflicts.js';
import type { SyntheticStructure } from './structure.js';
import { SyntheticGenerator, type SyntheticAgentChunk } from './syntheticGenerator.js';

/** One agent's columns over the whole generated run (the same fields as a streamed chunk). */
export type SyntheticAgentData = SyntheticAgentChunk;

export interface SyntheticData {
  config: ResolvedSyntheticConfig;
  structure: SyntheticStructure;
  conflicts: readonly PlannedConflict[];
  /** The generator (mixing networks, inverse, readout quantum). */
  generator: SyntheticGenerator;
  rows: number;
  episode: Int32Array;
  step: Int32Array;
  /** rows × thoughtCount: the common thoughts before any planted drift. */
  thoughts: Float32Array;
  /** Per agent, in config order. */
  agents: SyntheticAgentData[];
}

/** Most floats generateSynthetic will hold in memory (1 GiB). */
export const IN_MEMORY_LIMIT = 1 << 28;

export function generateSynthetic(config: SyntheticConfig = {}): SyntheticData {
  const gen = new SyntheticGenerator(config);
  const rows = gen.totalSteps;
  const K = gen.structure.thoughtCount;
  const floats = rows * (K + gen.structure.agents.reduce((s, a) => s + a.hiddenSize + K, 0));
  if (floats > IN_MEMORY_LIMIT) {
    throw new UsageError(`this synthetic run needs ${floats} floats in memory; record it with recordSynthetic instead`);
  }
  const episode = new Int32Array(rows);
  const step = new Int32Array(rows);
  const thoughts = new Float32Array(rows * K);
  const agents = gen.structure.agents.map((a) => ({
    id: a.id,
    hiddenSize: a.hiddenSize,
    hidden: new Float32Array(rows * a.hiddenSize),
    action: new Int32Array(rows),
    reward: new Float32Array(rows),
    diverged: new Uint8Array(rows),
    thoughts: new Float32Array(rows * K),
  }));
  let at = 0;
  for (const c of gen.chunks(4096)) {
    episode.set(c.episode, at);
    step.set(c.step, at);
    thoughts.set(c.thoughts, at * K);
    c.agents.forEach((src, a) => {
      const dst = agents[a]!;
      dst.hidden.set(src.hidden, at * dst.hiddenSize);
      dst.action.set(src.action, at);
      dst.reward.set(src.reward, at);
      dst.diverged.set(src.diverged, at);
      dst.thoughts.set(src.thoughts, at * K);
    });
    at += c.rows;
  }
  return { config: gen.config, structure: gen.structure, conflicts: gen.conflicts, generator: gen, rows, episode, step, thoughts, agents };
}
