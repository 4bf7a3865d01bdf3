// Checks a user's truth/structure.json against a run (`truth attach`) and normalises it: a
// `thoughts` list of {id, agents[, kind, group]}, ids unique and exactly 0..K−1, every agent
// one of the run's. Optional `thoughtCount`, `groups` and `agents` are checked when present.
import { showValue, truthInputError } from './truthInputError.js';

export interface TruthThought {
  id: number;
  agents: string[];
  kind: 'shared' | 'private';
  group?: string;
}

export interface CheckedStructure {
  /** The user's object with `thoughtCount` set and `thoughts` sorted by id, `kind` filled in. */
  json: Record<string, unknown>;
  thoughts: TruthThought[];
}

export function checkStructure(file: string, value: unknown, runAgents: { id: string; hiddenSize: number }[]): CheckedStructure {
  const fail = (m: string) => truthInputError(file, m);
  const ids = runAgents.map((a) => a.id);
  const known = `(run agents: ${ids.join(', ')})`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('the top level must be a JSON object with a \'thoughts\' list');
  const st = value as Record<string, unknown>;
  if (!Array.isArray(st.thoughts) || st.thoughts.length === 0) throw fail('thoughts must be a non-empty list of {id, agents}');
  const byId = new Map<number, number>();
  const thoughts: TruthThought[] = st.thoughts.map((t: unknown, i) => {
    const f = `thoughts[${i}]`;
    if (typeof t !== 'object' || t === null || Array.isArray(t)) throw fail(`${f} must be an object {id, agents}`);
    const o = t as Record<string, unknown>;
    if (!Number.isInteger(o.id) || (o.id as number) < 0) throw fail(`${f}.id must be an integer ≥ 0, got ${showValue(o.id)}`);
    const id = o.id as number;
    const prev = byId.get(id);
    if (prev !== undefined) throw fail(`${f}.id ${id} repeats thoughts[${prev}].id`);
    byId.set(id, i);
    const agents = checkAgents(o.agents, `${f}.agents`, ids, known, fail);
    const kind = agents.length > 1 ? 'shared' : 'private';
    if (o.kind !== undefined && o.kind !== kind) throw fail(`${f}.kind is ${showValue(o.kind)} but the thought is held by ${agents.length} agent(s), so it is '${kind}'`);
    if (o.group !== undefined && typeof o.group !== 'string') throw fail(`${f}.group must be a string, got ${showValue(o.group)}`);
    return { ...(o as object), id, agents, kind, ...(o.group !== undefined ? { group: o.group as string } : {}) } as TruthThought;
  });
  const K = thoughts.length;
  for (let id = 0; id < K; id++) if (!byId.has(id)) throw fail(`thoughts ids must be exactly 0..${K - 1} (one per thought): id ${id} is missing, ${Math.max(...byId.keys())} is too large`);
  if (st.thoughtCount !== undefined && st.thoughtCount !== K) throw fail(`thoughtCount is ${showValue(st.thoughtCount)} but thoughts lists ${K}`);
  if (st.groups !== undefined) {
    if (!Array.isArray(st.groups)) throw fail('groups must be a list of {name, agents, thoughts}');
    st.groups.forEach((g: unknown, i) => {
      const f = `groups[${i}]`;
      if (typeof g !== 'object' || g === null) throw fail(`${f} must be an object {name, agents, thoughts}`);
      const o = g as Record<string, unknown>;
      if (o.agents !== undefined) checkAgents(o.agents, `${f}.agents`, ids, known, fail);
      if (o.thoughts !== undefined) {
        if (!Array.isArray(o.thoughts)) throw fail(`${f}.thoughts must be a list of thought ids`);
        o.thoughts.forEach((j: unknown, x) => {
          if (!Number.isInteger(j) || (j as number) < 0 || (j as number) >= K) throw fail(`${f}.thoughts[${x}] is ${showValue(j)}, not a thought id 0..${K - 1}`);
        });
      }
    });
  }
  if (st.agents !== undefined) {
    if (!Array.isArray(st.agents)) throw fail('agents must be a list of {id, ...}');
    st.agents.forEach((a: unknown, i) => {
      const o = (typeof a === 'object' && a !== null ? a : {}) as Record<string, unknown>;
      const run = runAgents.find((x) => x.id === o.id);
      if (!run) throw fail(`agents[${i}].id names unknown agent ${showValue(o.id)} ${known}`);
      if (o.hiddenSize !== undefined && o.hiddenSize !== run.hiddenSize) throw fail(`agents[${i}].hiddenSize is ${showValue(o.hiddenSize)}, the run's agent '${run.id}' has ${run.hiddenSize}`);
    });
  }
  thoughts.sort((a, b) => a.id - b.id);
  return { json: { ...st, thoughtCount: K, thoughts }, thoughts };
}

function checkAgents(v: unknown, f: string, ids: string[], known: string, fail: (m: string) => Error): string[] {
  if (!Array.isArray(v) || v.length === 0) throw fail(`${f} must be a non-empty list of agent ids`);
  const seen = new Set<string>();
  for (const a of v) {
    if (typeof a !== 'string' || !ids.includes(a)) throw fail(`${f} names unknown agent ${typeof a === 'string' ? `'${a}'` : showValue(a)} ${known}`);
    if (seen.has(a)) throw fail(`${f} lists agent '${a}' twice`);
    seen.add(a);
  }
  return ids.filter((id) => seen.has(id));
}
