// The JSON ground truth of a synthetic run (truth/structure.json and truth/conflicts.json;
// layout documented in docs/FORMAT.md, "Synthetic ground truth").
import type { ResolvedSyntheticConfig } from './config.js';
import type { PlannedConflict } from './conflicts.js';
import { LATENTS_FILE, latentsColumn } from './latentsWriter.js';
import type { MixingSummary } from './hiddenMap.js';
import type { AgentThoughtLayout, ThoughtGroupLayout, ThoughtInfo } from './structure.js';
import type { SyntheticGenerator } from './syntheticGenerator.js';

export const STRUCTURE_FILE = 'structure.json';
export const CONFLICTS_FILE = 'conflicts.json';
export const SYNTHETIC_TRUTH_VERSION = 1;

export interface StructureTruth {
  format: 'thoughtlens-synthetic-structure';
  version: number;
  thoughtCount: number;
  /** How thought ids are used across the truth files. */
  thoughtIds: string;
  /** The generator family (families/), its parameters and what it did (factors, always-on thoughts, …). */
  family: { name: string; params: Readonly<Record<string, number>>; summary: string } & Record<string, unknown>;
  groups: ThoughtGroupLayout[];
  thoughts: ThoughtInfo[];
  agents: (AgentThoughtLayout & { mixing: MixingSummary; noise: number })[];
  thoughtProcess: ResolvedSyntheticConfig['thoughts'] & { description: string };
  behaviour: { readout: string; quantum: number; lag: number; reward: string; event: string };
  latents: { file: string; columns: Record<string, string> };
  conflicts: { file: string; count: number };
  config: ResolvedSyntheticConfig;
}

export interface ConflictsTruth {
  format: 'thoughtlens-synthetic-conflicts';
  version: number;
  lag: number;
  episodes: number;
  conflicts: PlannedConflict[];
}

export function structureTruth(gen: SyntheticGenerator): StructureTruth {
  const { structure: s, config: cfg } = gen;
  const columns: Record<string, string> = {
    episode: 'int32',
    step: 'int32',
    thoughts: `FixedSizeList<Float32>[${s.thoughtCount}]: the common thoughts before any planted drift`,
  };
  for (const a of s.agents) {
    columns[latentsColumn(a.id)] = `FixedSizeList<Float32>[${s.thoughtCount}]: agent ${a.id}'s own copy (0 at ids it does not hold)`;
  }
  return {
    format: 'thoughtlens-synthetic-structure',
    version: SYNTHETIC_TRUTH_VERSION,
    thoughtCount: s.thoughtCount,
    thoughtIds:
      'Thoughts have global ids 0..thoughtCount-1, consecutive per group in group order. ' +
      'Latent columns are indexed by global id. agents[].thoughts lists (ascending) the ids an agent holds; ' +
      'that order is the input order of its mixing network.',
    family: { name: gen.family.name, params: cfg.family.params, summary: gen.family.summary, ...gen.model.truth },
    groups: s.groups,
    thoughts: s.thoughts,
    agents: s.agents.map((a, i) => ({ ...a, mixing: gen.networks[i]!.summary(), noise: cfg.mixing.noise })),
    thoughtProcess: {
      ...cfg.thoughts,
      description: gen.model.thoughtDescription,
    },
    behaviour: {
      readout: 'action(t) = floor(S(max(0, t - lag)) / quantum), S(t) = sum of the agent\'s own copy of its shared thoughts at t',
      quantum: gen.quantum,
      lag: cfg.conflicts.lag,
      reward: '1, except 0 for the drifter and its counterparties from the behavioural divergence step to the end of the episode',
      event: 'diverged: true at the behavioural divergence step (onset + lag), for the drifter and its counterparties',
    },
    latents: { file: `truth/${LATENTS_FILE}`, columns },
    conflicts: { file: `truth/${CONFLICTS_FILE}`, count: gen.conflicts.length },
    config: cfg,
  };
}

export function conflictsTruth(gen: SyntheticGenerator): ConflictsTruth {
  return {
    format: 'thoughtlens-synthetic-conflicts',
    version: SYNTHETIC_TRUTH_VERSION,
    lag: gen.config.conflicts.lag,
    episodes: gen.config.episodes,
    conflicts: gen.conflicts.map((c) => ({ ...c })),
  };
}
