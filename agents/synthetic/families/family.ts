// A synthetic generator *family*: how thoughts are drawn and how each agent's hidden state is
// made from its copy of them. Everything else (config, sharing structure, planted conflicts,
// behaviour, truth files, run format) is common to all families (syntheticGenerator.ts).
import type { ResolvedSyntheticConfig } from '../config.js';
import type { HiddenMap } from '../hiddenMap.js';
import type { SyntheticStructure } from '../structure.js';
import type { ThoughtProcessParams, ThoughtSource } from '../thoughtProcess.js';

export type FamilyParams = Readonly<Record<string, number>>;

/** What a family built for one config does; described in truth/structure.json `family`. */
export interface FamilyModel {
  /** A fresh thought source over all thoughts (reset by the generator at each episode). */
  thoughtSource(): ThoughtSource;
  /**
   * Agent `agent`'s map (structure order) from its held thoughts (ascending id) to its hidden
   * state, calibrated on `rows` typical inputs (rows × held thoughts).
   */
  hiddenMap(agent: number, calibration: Float64Array, rows: number): HiddenMap;
  /** The thought process in words (structure.json thoughtProcess.description). */
  thoughtDescription: string;
  /** Family-specific truth (factor assignment, always-on thoughts, …). */
  truth: Record<string, unknown>;
}

export interface SyntheticFamily {
  readonly name: string;
  /** One line for `record synthetic --help`. */
  readonly summary: string;
  /** Names of the family's own parameters (config `family.params`), with their defaults in words. */
  readonly params: Readonly<Record<string, string>>;
  /** Validates `family.params` (unknown keys rejected) and applies defaults. */
  resolveParams(raw: Record<string, unknown>, thoughts: ThoughtProcessParams): FamilyParams;
  /** Hidden size of the i-th agent when neither the agent nor `hiddenSize` names one. */
  defaultHiddenSize?(agentIndex: number): number;
  build(cfg: ResolvedSyntheticConfig, structure: SyntheticStructure): FamilyModel;
}
