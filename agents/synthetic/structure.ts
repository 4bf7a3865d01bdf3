// The layout of the latent thoughts: every group's thoughts get consecutive global ids (in
// group order), and each agent's mixing input is its thoughts in ascending global id.
import type { ResolvedSyntheticConfig } from './config.js';

export type ThoughtKind = 'shared' | 'private';

export interface ThoughtGroupLayout {
  name: string;
  agents: string[];
  size: number;
  kind: ThoughtKind;
  /** Global ids of the group's thoughts (consecutive). */
  thoughts: number[];
}

export interface ThoughtInfo {
  id: number;
  group: string;
  agents: string[];
  kind: ThoughtKind;
}

export interface AgentThoughtLayout {
  id: string;
  hiddenSize: number;
  width: number;
  /** Global ids of the thoughts this agent holds, ascending: the order of its mixing input. */
  thoughts: number[];
  /** The subset held with at least one other agent (read by the action readout). */
  shared: number[];
  /** The subset held by this agent alone. */
  private: number[];
}

export interface SyntheticStructure {
  thoughtCount: number;
  groups: ThoughtGroupLayout[];
  thoughts: ThoughtInfo[];
  agents: AgentThoughtLayout[];
}

export function buildStructure(cfg: ResolvedSyntheticConfig): SyntheticStructure {
  const groups: ThoughtGroupLayout[] = [];
  const thoughts: ThoughtInfo[] = [];
  for (const g of cfg.groups) {
    const kind: ThoughtKind = g.agents.length > 1 ? 'shared' : 'private';
    const ids = Array.from({ length: g.size }, (_, i) => thoughts.length + i);
    for (const id of ids) thoughts.push({ id, group: g.name, agents: [...g.agents], kind });
    groups.push({ name: g.name, agents: [...g.agents], size: g.size, kind, thoughts: ids });
  }
  const agents = cfg.agents.map((a) => {
    const held = thoughts.filter((t) => t.agents.includes(a.id));
    return {
      id: a.id,
      hiddenSize: a.hiddenSize,
      width: a.width,
      thoughts: held.map((t) => t.id),
      shared: held.filter((t) => t.kind === 'shared').map((t) => t.id),
      private: held.filter((t) => t.kind === 'private').map((t) => t.id),
    };
  });
  return { thoughtCount: thoughts.length, groups, thoughts, agents };
}
