// The contract of a node policy in the synchronous message-passing model: in every round each
// node broadcasts one fixed-width integer message to its neighbours, then updates its state
// from the messages of its neighbours (and nothing else: its own state is its history). After
// the last round it answers. Scripted baselines and the learned GRU policy both implement it.
import type { TaskInstance, TaskName } from './task.js';

/** What a node knows at the start: its index, its neighbours, and its task inputs. */
export interface NodeContext {
  readonly node: number;
  readonly neighbours: readonly number[];
  readonly uid: number;
  /** The neighbours' uids (nodes know their neighbours' names from the start, as in AgentsNet). */
  readonly neighbourUids: readonly number[];
  readonly initial: number;
  readonly instance: TaskInstance;
}

export interface Inbox {
  /** Sender node index. */
  readonly from: number;
  readonly message: Int32Array;
}

export interface Protocol<S> {
  readonly name: string;
  readonly task: TaskName;
  /** Integers per message. Field 0 is the claim a lie replaces and a fault-tracker follows. */
  readonly messageWidth: number;
  init(ctx: NodeContext): S;
  send(state: S, round: number): Int32Array;
  /** The next state from the current one and the round's inbox (one message per neighbour). */
  receive(state: S, inbox: readonly Inbox[], round: number): S;
  /** The node's answer (the checker's input). */
  answer(state: S): number;
  /** The value a fault corrupts and propagation follows (the colour, the believed leader, the agreed value…). */
  belief(state: S): number;
  /** The wrong value a fault uses when none is given (default: fault.ts defaultWrongValue). */
  wrongValue?(state: S): number;
  /** A state whose belief is `wrong` (a wrong-belief fault). */
  corrupt(state: S, wrong: number): S;
  /**
   * Verification of a received message: false when its claim contradicts what it refers to
   * (an origin's authenticated input, or the sender's own state). Optional: a protocol without
   * it checks messages against the sender's state only.
   */
  claimValid?(message: Int32Array, senderBelief: number, instance: TaskInstance): boolean;
  /** A vector describing the state, recorded as the node's hidden state. */
  hidden(state: S): Float32Array;
  readonly hiddenSize: number;
}
