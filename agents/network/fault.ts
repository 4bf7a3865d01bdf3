// Fault injection: one node goes wrong at a chosen round.
//   wrong-belief  its state is overwritten with a wrong belief (a flipped colour, a wrong
//                 consensus value, a false leader claim about itself, a wrong cover bit or
//                 partner); it then runs the protocol honestly from that state
//   liar          its state stays right, but from that round on every message it sends
//                 carries the wrong value in its claim field (a lying neighbour)
// The wrong value defaults per task to one that breaks the task: a neighbour's colour, a value
// no node started with, a uid above every real one, the opposite cover bit, a neighbour that
// did not choose this node.
import { NetworkConfigError } from './errors.js';
import type { TaskInstance } from './task.js';

export const FAULT_KINDS = ['wrong-belief', 'liar'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  kind: FaultKind;
  node: number;
  round: number;
  /** The wrong value (default: chosen per task, see defaultWrongValue). */
  value?: number;
}

export interface ResolvedFault {
  readonly kind: FaultKind;
  readonly node: number;
  readonly round: number;
  readonly value: number;
}

export function defaultWrongValue(inst: TaskInstance, node: number, currentBelief: number): number {
  const ns = inst.graph.neighbours[node]!;
  switch (inst.task) {
    case 'colouring':
      return currentBelief === 0 ? 1 % inst.colours : 0;
    case 'vertex-cover':
      return currentBelief ? 0 : 1;
    case 'matching':
      return ns.find((v) => v !== currentBelief) ?? ns[0]!;
    case 'leader-election':
      return inst.graph.n + 7;
    case 'consensus':
      return inst.values;
  }
}

/** Parses `kind@node:round[=value]`, e.g. `liar@3:2` or `wrong-belief@0:1=5`. */
export function parseFault(text: string): FaultSpec {
  const m = /^([a-z-]+)@(\d+):(\d+)(?:=(-?\d+))?$/.exec(text.trim());
  if (!m) throw new NetworkConfigError('fault', `must look like wrong-belief@NODE:ROUND or liar@NODE:ROUND[=VALUE], got '${text}'`);
  const kind = m[1]!;
  if (!(FAULT_KINDS as readonly string[]).includes(kind)) throw new NetworkConfigError('fault', `kind must be one of ${FAULT_KINDS.join(', ')}, got '${kind}'`);
  return { kind: kind as FaultKind, node: Number(m[2]), round: Number(m[3]), ...(m[4] !== undefined ? { value: Number(m[4]) } : {}) };
}

export function checkFault(inst: TaskInstance, f: FaultSpec): void {
  if (!Number.isInteger(f.node) || f.node < 0 || f.node >= inst.graph.n) throw new NetworkConfigError('fault.node', `must be a node in 0..${inst.graph.n - 1}, got ${f.node}`);
  if (!Number.isInteger(f.round) || f.round < 0 || f.round >= inst.rounds) throw new NetworkConfigError('fault.round', `must be a round in 0..${inst.rounds - 1}, got ${f.round}`);
}
