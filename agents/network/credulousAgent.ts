// A seeded model of how LLM agents fail at network coordination (the AgentsNet failure modes
// issue 19 names), as a wrapper around each task's scripted baseline. Four mechanisms, each
// one parameter, each off at its "off" value; with all four off the agent IS the baseline
// (same states, messages and answers, round by round):
//   budget     a fixed number of rounds the agent acts in, whatever the graph's diameter
//              (an LLM run has a fixed number of turns): from round `budget` on it stops
//              updating and answers what it holds. Off: Infinity.
//   credulity  per round, with probability p, the node takes one neighbour's claim at face
//              value instead of running its rule: it skips the check the rule makes (the
//              maximum in flooding, uid priority in colouring and cover, mutual pointing in
//              matching). Off: 0.
//   commit     with probability q a node is a committer: at the first round it feels
//              confident (the task's constraint holds on all its edges as its neighbours'
//              claims show them) it stops updating for good. Off: 0.
//   lag        when its belief changes, with probability r the node's next message still
//              shows its previous state (it changed its answer without telling). Off: 0.
// Randomness is per node, from (seed, node, uid), carried in the node's state, so a run is
// a pure function of (instance, parameters, seed), and a clean and a faulty run of the same
// instance draw the same numbers until they diverge.
import { NetworkConfigError } from './errors.js';
import type { Inbox, NodeContext, Protocol } from './protocol.js';
import { scriptedProtocol } from './scriptedProtocol.js';
import type { TaskName } from './task.js';

export interface CredulousParams {
  /** Rounds the agent acts in (Infinity: as many as the run has). */
  budget: number;
  /** Per-round probability of taking one neighbour's claim unchecked instead of the rule. */
  credulity: number;
  /** Probability that a node commits for good at its first confident round. */
  commit: number;
  /** Probability that a belief change is not told in the next message. */
  lag: number;
  seed: number;
}

/** Defaults, each set a priori (docs/NETWORKS.md, "Credulous agents"), not fitted to a result. */
export const CREDULOUS_DEFAULTS: Readonly<CredulousParams> = Object.freeze({ budget: 9, credulity: 0.1, commit: 0.5, lag: 0.1, seed: 0 });
/** The value that switches each mechanism off. */
export const CREDULOUS_OFF: Readonly<Omit<CredulousParams, 'seed'>> = Object.freeze({ budget: Infinity, credulity: 0, commit: 0, lag: 0 });
export const CREDULOUS_MECHANISMS = ['budget', 'credulity', 'commit', 'lag'] as const;
export type CredulousMechanism = (typeof CREDULOUS_MECHANISMS)[number];

interface CredulousState<S> {
  inner: S;
  /** The state the node's message is made from (inner, or the previous one while a change is untold). */
  shown: S;
  node: number;
  degree: number;
  rng: number;
  committer: boolean;
  committed: boolean;
}

/** One step of a splitmix32 stream kept as a number in the state: [uniform in [0, 1), next state]. */
function draw(s: number): [number, number] {
  const next = (s + 0x9e3779b9) >>> 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return [((z ^ (z >>> 16)) >>> 0) / 4294967296, next];
}

type Loose = Record<string, number>;

/**
 * Taking neighbour m's claim at face value, per task: the state after it, or null when the claim
 * asks nothing of this node. Each skips exactly the check the baseline's rule makes.
 */
const ACCEPT: Record<TaskName, (s: Loose, m: Inbox, inbox: readonly Inbox[]) => Loose | null> = {
  // Flooding keeps the larger claim; a credulous node takes a different one even when smaller.
  consensus: (s, m) => (m.message[0] !== s.value ? { ...s, value: m.message[0]!, origin: m.message[1]! } : null),
  'leader-election': (s, m) => (m.message[0] !== s.best ? { ...s, best: m.message[0]!, origin: m.message[1]! } : null),
  // Greedy colouring yields only to a higher uid; a credulous node yields to any neighbour claiming its colour.
  colouring(s, m, inbox) {
    if (m.message[0] !== s.colour) return null;
    const used = new Set(inbox.map((x) => x.message[0]!));
    let c = 0;
    while (used.has(c) && c < s.colours! - 1) c++;
    return used.has(c) ? null : { ...s, colour: c, changes: s.changes! + 1 };
  },
  // The cover rule leaves only when its uid beats every removable neighbour's; a credulous node
  // takes a removable neighbour's word that the edge stays covered and leaves too.
  'vertex-cover': (s, m, inbox) =>
    s.inCover && s.removable && m.message[1] === 1 && inbox.length === s.degree && inbox.every((x) => x.message[0] === 1) ? { ...s, inCover: 0, removable: 0 } : null,
  // Matching pairs two nodes only when each points at the other; a credulous free node takes
  // a free neighbour pointing at it as its partner whatever it pointed at itself.
  matching: (s, m) => (s.partner === -1 && m.message[0] === -1 && m.message[1] === s.node && s.pointer !== m.from ? { ...s, partner: m.from, pointer: -1 } : null),
};

/** Does every neighbour's claim agree with the node's own belief under the task's constraint? */
function confident(task: TaskName, node: number, belief: number, inbox: readonly Inbox[]): boolean {
  if (!inbox.length) return false;
  switch (task) {
    case 'consensus':
    case 'leader-election':
      return inbox.every((m) => m.message[0] === belief);
    case 'colouring':
      return inbox.every((m) => m.message[0] !== belief);
    case 'vertex-cover':
      // in the cover and needed (a neighbour is out), or out and every neighbour in
      return belief === 1 ? inbox.some((m) => m.message[0] === 0) : inbox.every((m) => m.message[0] === 1);
    case 'matching':
      return belief === -1 ? inbox.every((m) => m.message[0] !== -1) : inbox.some((m) => m.from === belief && m.message[0] === node);
  }
}

export function validateCredulous(p: CredulousParams): void {
  if (!(p.budget >= 1) || (Number.isFinite(p.budget) && !Number.isInteger(p.budget))) {
    throw new NetworkConfigError('budget', `must be a positive integer or Infinity, got ${p.budget}`);
  }
  for (const k of ['credulity', 'commit', 'lag'] as const) {
    if (!(p[k] >= 0 && p[k] <= 1)) throw new NetworkConfigError(k, `must be a probability in [0, 1], got ${p[k]}`);
  }
}

/** The credulous agent of a task: its scripted baseline with the four mechanisms. */
export function credulousProtocol(task: TaskName, params: Partial<CredulousParams> = {}): Protocol<CredulousState<unknown>> {
  const p: CredulousParams = { ...CREDULOUS_DEFAULTS, ...params };
  validateCredulous(p);
  const base = scriptedProtocol(task);
  const accept = ACCEPT[task];
  type CS = CredulousState<unknown>;
  return {
    name: `credulous-${base.name}`,
    task,
    messageWidth: base.messageWidth,
    hiddenSize: base.hiddenSize,
    init(ctx: NodeContext): CS {
      const inner = base.init(ctx);
      const [u, rng] = draw((Math.imul(p.seed | 0, 0x2545f491) ^ Math.imul(ctx.node + 1, 0x9e3779b1) ^ Math.imul(ctx.uid + 7, 0x85ebca6b)) >>> 0);
      return { inner, shown: inner, node: ctx.node, degree: ctx.neighbours.length, rng, committer: u < p.commit, committed: false };
    },
    send: (s, round) => base.send(s.shown, round),
    receive(s, inbox, round) {
      if (round >= p.budget || s.committed) return s.shown === s.inner ? s : { ...s, shown: s.inner };
      if (s.committer && confident(task, s.node, base.belief(s.inner), inbox)) return { ...s, shown: s.inner, committed: true };
      let rng = s.rng;
      let u: number;
      let inner: unknown = null;
      if (p.credulity > 0) {
        [u, rng] = draw(rng);
        if (u < p.credulity) {
          const options = inbox.filter((m) => accept(s.inner as Loose, m, inbox) !== null);
          if (options.length) {
            [u, rng] = draw(rng);
            inner = accept(s.inner as Loose, options[Math.floor(u * options.length)]!, inbox);
          }
        }
      }
      inner ??= base.receive(s.inner, inbox, round);
      let shown = inner;
      if (p.lag > 0 && base.belief(inner) !== base.belief(s.inner)) {
        [u, rng] = draw(rng);
        if (u < p.lag) shown = s.inner;
      }
      return { ...s, inner, shown, rng };
    },
    answer: (s) => base.answer(s.inner),
    belief: (s) => base.belief(s.inner),
    ...(base.wrongValue ? { wrongValue: (s: CS) => base.wrongValue!(s.inner) } : {}),
    corrupt(s, wrong) {
      const inner = base.corrupt(s.inner, wrong);
      return { ...s, inner, shown: inner };
    },
    claimValid: base.claimValid,
    hidden: (s) => base.hidden(s.inner),
  };
}

/** Parameters with every mechanism off except the named ones (at the given or default values). */
export function credulousOnly(on: readonly CredulousMechanism[], params: Partial<CredulousParams> = {}): CredulousParams {
  const full: CredulousParams = { ...CREDULOUS_DEFAULTS, ...params };
  const out: CredulousParams = { ...CREDULOUS_OFF, seed: full.seed };
  for (const k of on) out[k] = full[k];
  return out;
}
