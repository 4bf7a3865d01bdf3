// Runs one task instance under a protocol for its rounds, synchronously: in round t every node
// sends one message (from its state after round t-1), every node receives its neighbours'
// messages, and every node updates. Optionally one node is faulty (fault.ts), and optionally
// nodes verify each message before acting on it: a message whose claim contradicts what it
// refers to (protocol.claimValid, else the sender's own state) is dropped and counted.
// The trace keeps, per round, every node's state vector, message, answer and belief, and per
// directed edge whether the receiver adopted the sender's claim and whether the edge disagrees,
// and each node's state as it was when it sent (after a fault is injected, before receiving).
import { edgeConflict, checkSolution, type SolutionCheck } from './checkSolution.js';
import { checkFault, defaultWrongValue, type FaultSpec, type ResolvedFault } from './fault.js';
import type { Inbox, Protocol } from './protocol.js';
import type { TaskInstance } from './task.js';

export interface RunOptions {
  fault?: FaultSpec;
  /** Receivers verify every message before acting on it (default false). */
  verify?: boolean;
  /** Keep the per-round trace (default false: only answers and counts). */
  trace?: boolean;
  /** Rounds to run (default: the instance's). */
  rounds?: number;
}

export interface RoundTrace {
  /** n × hiddenSize: each node's state after the round. */
  hidden: Float32Array;
  /** n × messageWidth: what each node sent in the round. */
  messages: Int32Array;
  answers: Int32Array;
  beliefs: Int32Array;
  /** Per node: the neighbour whose claim it adopted this round (belief changed to that claim), or -1. */
  adoptedFrom: Int32Array;
  /** Per directed edge (index into edgeList): the receiver adopted the sender's claim this round. */
  edgeAdopted: Uint8Array;
  /** Per directed edge: the edge violates the task's constraint after the round (edgeConflict). */
  edgeDisagree: Uint8Array;
  /** Messages dropped by verification this round, per receiver. */
  rejected: Int32Array;
  /** n × hiddenSize: each node's state when it sent this round's message (after any fault injection). */
  sendHidden: Float32Array;
  /** Answers and beliefs of those send-time states. */
  sendAnswers: Int32Array;
  sendBeliefs: Int32Array;
  /** Per directed edge: the message fails verification (claimValid / the sender's own state), whether or not receivers verified. */
  edgeInvalid: Uint8Array;
}

export interface NetworkRun {
  instance: TaskInstance;
  protocol: string;
  rounds: number;
  answers: Int32Array;
  beliefs: Int32Array;
  check: SolutionCheck;
  fault: ResolvedFault | null;
  verify: boolean;
  /** Directed edges [from, to] in the order of the per-edge trace columns. */
  edgeList: [number, number][];
  trace: RoundTrace[];
  /** Beliefs after each round (rounds × n), kept even without a trace. */
  beliefHistory: Int32Array;
  verifications: number;
  rejections: number;
}

export function directedEdges(inst: TaskInstance): [number, number][] {
  return inst.graph.neighbours.flatMap((ns, u) => ns.map((v) => [u, v] as [number, number]));
}

export function runNetwork<S>(inst: TaskInstance, protocol: Protocol<S>, opts: RunOptions = {}): NetworkRun {
  if (protocol.task !== inst.task) throw new Error(`protocol ${protocol.name} solves ${protocol.task}, not ${inst.task}`);
  const g = inst.graph;
  const n = g.n;
  const R = opts.rounds ?? inst.rounds;
  const W = protocol.messageWidth;
  const H = protocol.hiddenSize;
  const verify = opts.verify ?? false;
  let states = Array.from({ length: n }, (_, node) =>
    protocol.init({ node, neighbours: g.neighbours[node]!, uid: inst.uid[node]!, neighbourUids: g.neighbours[node]!.map((v) => inst.uid[v]!), initial: inst.initial[node]!, instance: inst }),
  );
  if (opts.fault) checkFault(inst, { ...opts.fault, round: Math.min(opts.fault.round, R - 1) });
  let fault: ResolvedFault | null = null;
  const edgeList = directedEdges(inst);
  const edgeIndex = new Map<number, number>(edgeList.map(([u, v], i) => [u * n + v, i]));
  const trace: RoundTrace[] = [];
  const beliefHistory = new Int32Array(R * n);
  let verifications = 0;
  let rejections = 0;
  for (let t = 0; t < R; t++) {
    if (opts.fault && t === opts.fault.round) {
      const f = opts.fault;
      const st = states[f.node]!;
      const value = f.value ?? (protocol.wrongValue ? protocol.wrongValue(st) : defaultWrongValue(inst, f.node, protocol.belief(st)));
      fault = { kind: f.kind, node: f.node, round: f.round, value };
      if (f.kind === 'wrong-belief') states[f.node] = protocol.corrupt(states[f.node]!, value);
    }
    const before = states.map((s) => protocol.belief(s));
    const sent = new Int32Array(n * W);
    states.forEach((s, u) => {
      const m = protocol.send(s, t);
      if (fault?.kind === 'liar' && u === fault.node) {
        const lie = m.slice();
        lie[0] = fault.value;
        sent.set(lie, u * W);
      } else sent.set(m, u * W);
    });
    const rejected = new Int32Array(n);
    const dropped = new Uint8Array(edgeList.length);
    const invalid = opts.trace ? new Uint8Array(edgeList.length) : null;
    const claimOk = (u: number, message: Int32Array) =>
      protocol.claimValid
        ? protocol.claimValid(message, before[u]!, inst) && message[0] === protocol.send(states[u]!, t)[0]
        : message[0] === protocol.send(states[u]!, t)[0];
    const next = states.map((s, v) => {
      const inbox: Inbox[] = [];
      for (const u of g.neighbours[v]!) {
        const message = sent.subarray(u * W, (u + 1) * W);
        const okClaim = verify || invalid ? claimOk(u, message) : true;
        if (invalid && !okClaim) invalid[edgeIndex.get(u * n + v)!] = 1;
        if (verify) {
          verifications++;
          if (!okClaim) {
            rejected[v]!++;
            dropped[edgeIndex.get(u * n + v)!] = 1;
            rejections++;
            continue;
          }
        }
        inbox.push({ from: u, message });
      }
      return protocol.receive(s, inbox, t);
    });
    let sendHidden: Float32Array | null = null;
    if (opts.trace) {
      sendHidden = new Float32Array(n * H);
      states.forEach((s, u) => sendHidden!.set(protocol.hidden(s), u * H));
    }
    const sendAnswers = opts.trace ? Int32Array.from(states, (s) => protocol.answer(s)) : null;
    states = next;
    const beliefs = Int32Array.from(states, (s) => protocol.belief(s));
    beliefHistory.set(beliefs, t * n);
    if (opts.trace) {
      const answers = Int32Array.from(states, (s) => protocol.answer(s));
      const hidden = new Float32Array(n * H);
      states.forEach((s, u) => hidden.set(protocol.hidden(s), u * H));
      const adoptedFrom = new Int32Array(n).fill(-1);
      const edgeAdopted = new Uint8Array(edgeList.length);
      const edgeDisagree = new Uint8Array(edgeList.length);
      edgeList.forEach(([u, v], i) => {
        if (edgeConflict(inst.task, u, v, answers, beliefs)) edgeDisagree[i] = 1;
      });
      for (let v = 0; v < n; v++) {
        if (beliefs[v] === before[v]) continue;
        for (const u of g.neighbours[v]!) {
          const e = edgeIndex.get(u * n + v)!;
          if (sent[u * W] === beliefs[v] && !dropped[e]) {
            edgeAdopted[e] = 1;
            if (adoptedFrom[v] === -1) adoptedFrom[v] = u;
          }
        }
      }
      trace.push({ hidden, messages: sent, answers, beliefs, adoptedFrom, edgeAdopted, edgeDisagree, rejected, sendHidden: sendHidden!, sendAnswers: sendAnswers!, sendBeliefs: Int32Array.from(before), edgeInvalid: invalid! });
    }
  }
  const answers = Int32Array.from(states, (s) => protocol.answer(s));
  return {
    instance: inst,
    protocol: protocol.name,
    rounds: R,
    answers,
    beliefs: Int32Array.from(states, (s) => protocol.belief(s)),
    check: checkSolution(inst, answers),
    fault,
    verify,
    edgeList,
    trace,
    beliefHistory,
    verifications,
    rejections,
  };
}
