// How far and how fast a fault spreads: the faulty run against the same instance without the
// fault (same protocol, same verification setting). Per round, `affected` counts the other
// nodes whose belief differs from the fault-free run, and `adopted` those whose belief equals
// the wrong value while their fault-free belief does not.
import type { FaultSpec } from './fault.js';
import type { Protocol } from './protocol.js';
import { runNetwork, type NetworkRun } from './runNetwork.js';
import type { TaskInstance } from './task.js';

export interface Propagation {
  faulty: NetworkRun;
  clean: NetworkRun;
  /** Per round (from 0), nodes other than the faulty one whose belief differs from the clean run. */
  affected: number[];
  /** Per round, nodes other than the faulty one holding the wrong value where the clean run does not. */
  adopted: number[];
  /** Most nodes affected in any round. */
  maxAffected: number;
  /** First round any other node was affected (-1: never). */
  firstAffectedRound: number;
  /** Answers that changed because of the fault, and whether the task still succeeded. */
  answersChanged: number;
  success: boolean;
  cleanSuccess: boolean;
}

/** `trace`: keep the faulty run's per-round trace (runNetwork's trace option). */
export function measurePropagation<S>(inst: TaskInstance, protocol: Protocol<S>, fault: FaultSpec, verify = false, trace = false): Propagation {
  const clean = runNetwork(inst, protocol, { verify });
  const faulty = runNetwork(inst, protocol, { verify, fault, trace });
  const n = inst.graph.n;
  const wrong = faulty.fault!.value;
  const affected: number[] = [];
  const adopted: number[] = [];
  for (let t = 0; t < clean.rounds; t++) {
    let a = 0;
    let w = 0;
    for (let u = 0; u < n; u++) {
      if (u === fault.node) continue;
      const fb = faulty.beliefHistory[t * n + u]!;
      const cb = clean.beliefHistory[t * n + u]!;
      if (fb !== cb) a++;
      if (fb === wrong && cb !== wrong) w++;
    }
    affected.push(a);
    adopted.push(w);
  }
  let answersChanged = 0;
  for (let u = 0; u < n; u++) if (faulty.answers[u] !== clean.answers[u]) answersChanged++;
  return {
    faulty,
    clean,
    affected,
    adopted,
    maxAffected: Math.max(0, ...affected),
    firstAffectedRound: affected.findIndex((a) => a > 0),
    answersChanged,
    success: faulty.check.ok,
    cleanSuccess: clean.check.ok,
  };
}
