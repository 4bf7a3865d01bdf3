// Checks a user's conflicts truth (`truth attach --conflicts`) against the run and structure:
// `{conflicts: [...]}` (or a bare list), each {episode, agent, thoughts, onsetStep,
// divergenceStep[, counterparties, lag, ...]}: the episode and both steps are steps of the
// run, the agent is the run's and holds the drifting thoughts, onsetStep < divergenceStep.
import type { RunSteps } from './truthLatents.js';
import { stepKey } from './truthThoughts.js';
import { showValue, truthInputError } from './truthInputError.js';
import type { TruthThought } from './truthStructure.js';

export interface CheckedConflict {
  episode: number;
  agent: string;
  thoughts: number[];
  onsetStep: number;
  divergenceStep: number;
  lag: number;
  [extra: string]: unknown;
}

export function checkConflicts(file: string, value: unknown, agentIds: string[], thoughts: TruthThought[], run: RunSteps): CheckedConflict[] {
  const fail = (m: string) => truthInputError(file, m);
  const list = Array.isArray(value) ? value : typeof value === 'object' && value !== null ? (value as { conflicts?: unknown }).conflicts : undefined;
  if (!Array.isArray(list)) throw fail('must be a JSON object with a \'conflicts\' list (or a bare list)');
  const known = `(run agents: ${agentIds.join(', ')})`;
  const episodes = new Set(run.episodes);
  return list.map((c: unknown, i) => {
    const f = `conflicts[${i}]`;
    if (typeof c !== 'object' || c === null || Array.isArray(c)) throw fail(`${f} must be an object {episode, agent, thoughts, onsetStep, divergenceStep}`);
    const o = c as Record<string, unknown>;
    const int = (k: string) => {
      if (!Number.isInteger(o[k]) || (o[k] as number) < 0) throw fail(`${f}.${k} must be an integer ≥ 0, got ${showValue(o[k])}`);
      return o[k] as number;
    };
    const episode = int('episode');
    if (!episodes.has(episode)) throw fail(`${f}.episode ${episode} is not an episode of the run (episodes ${run.episodes[0]}..${run.episodes[run.episodes.length - 1]})`);
    if (typeof o.agent !== 'string' || !agentIds.includes(o.agent)) throw fail(`${f}.agent names unknown agent ${showValue(o.agent)} ${known}`);
    const agent = o.agent;
    const onsetStep = int('onsetStep');
    const divergenceStep = int('divergenceStep');
    if (onsetStep >= divergenceStep) throw fail(`${f}.onsetStep (${onsetStep}) must be before divergenceStep (${divergenceStep})`);
    for (const [k, s] of [['onsetStep', onsetStep], ['divergenceStep', divergenceStep]] as const) {
      if (!run.keys.has(stepKey(episode, s))) throw fail(`${f}.${k} ${s} is not a step of episode ${episode} in the run`);
    }
    if (!Array.isArray(o.thoughts)) throw fail(`${f}.thoughts must be a list of thought ids`);
    const ids = o.thoughts.map((j: unknown, x) => {
      if (!Number.isInteger(j) || (j as number) < 0 || (j as number) >= thoughts.length) throw fail(`${f}.thoughts[${x}] is ${showValue(j)}, not a thought id 0..${thoughts.length - 1}`);
      if (!thoughts[j as number]!.agents.includes(agent)) throw fail(`${f}.thoughts[${x}]: thought ${j} is not held by agent '${agent}' (held by ${thoughts[j as number]!.agents.join(', ')})`);
      return j as number;
    });
    if (o.counterparties !== undefined) {
      if (!Array.isArray(o.counterparties)) throw fail(`${f}.counterparties must be a list of agent ids`);
      for (const a of o.counterparties) if (typeof a !== 'string' || !agentIds.includes(a) || a === agent) throw fail(`${f}.counterparties names ${showValue(a)}, not another agent of the run ${known}`);
    }
    if (o.lag !== undefined && o.lag !== divergenceStep - onsetStep) throw fail(`${f}.lag is ${showValue(o.lag)} but divergenceStep − onsetStep is ${divergenceStep - onsetStep}`);
    return { ...o, episode, agent, thoughts: ids, onsetStep, divergenceStep, lag: divergenceStep - onsetStep };
  });
}
