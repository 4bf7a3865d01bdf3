// Co-player styles as data. A pool file is JSON: { "version": 1, "styles": [StyleSpec…] }.
//
// Patterns name joint outcomes from the STYLE's own side, own move first: "CC", "CD"
// (style cooperated, the other defected), "DC", "DD"; '?' matches either move. For memory-n
// policies a pattern is n outcomes separated by commas, oldest first ("?D,?D" = the other
// defected in each of the last two rounds). Histories shorter than n are padded at the
// front with "CC". Probabilities are P(cooperate).
//
//   memory:        { "kind": "memory", "n": 1, "start": 1, "p": { "?C": 1, "?D": 0 }, "default"?: 0.5 }
//                  The most specific matching pattern wins (fewest '?'); ties go to the first listed.
//   fsm:           { "kind": "fsm", "initial": "nice", "states": { "nice": { "p": 1, "next": { "?D": "angry" },
//                    "after"?: { "min": 10, "max": 60, "to": "other" } }, "angry": { "p": 0 } } }
//                  `next` is matched against the round's outcome (unmatched: stay); `after` leaves the
//                  state once it has acted for k rounds, k uniform in [min, max], drawn on entry.
//   random-memory: { "kind": "random-memory", "n": 1, "dist": "uniform" | "binary" }
//                  a fresh memory-n table per episode (start and every history drawn independently).
// Every style also has: name (unique), group (for reports), description?, heldOut? (kept
// out of training), noise? (probability in [0, 0.5] that the chosen move is flipped),
// warmup? (also drawn in the first part of training, a curriculum: without it agents
// collapse to always-defect before they learn to tell reciprocators apart), weight? (an
// integer 1..100, default 1: the style is dealt `weight` times as often in training — the
// pool is the learner's prior, and whether probing a co-player pays depends on it).

//   fsm-table:     { "kind": "fsm-table", "initialState": 1, "initialMove": "C",
//                    "transitions": [[1, "C", 1, "C"], [1, "D", 2, "D"], …] }
//                  a transition table as papers (and the Axelrod library) print it: rows
//                  (state, co-player's last move → next state, own move); one row per
//                  (state, move) pair, every state reached must have both rows.
//   switch:        { "kind": "switch", "at": 40, "first": {…}, "then": {…} }
//                  plays `first` for `at` rounds, then `then` from its start (both are
//                  memory, fsm without `after`, or fsm-table entries without name/group).

export type StyleKind = 'memory' | 'fsm' | 'random-memory' | 'fsm-table' | 'switch';

interface StyleBase {
  name: string;
  group: string;
  description?: string;
  heldOut?: boolean;
  noise?: number;
  /** Drawn during the warm-up (curriculum) part of stage-1 training. */
  warmup?: boolean;
  /** Relative frequency in training (integer ≥ 1, default 1). */
  weight?: number;
}

export interface MemoryStyleSpec extends StyleBase {
  kind: 'memory';
  n: number;
  start: number;
  p: Record<string, number>;
  default?: number;
}

export interface FsmStateSpec {
  p: number;
  next?: Record<string, string>;
  after?: { min: number; max: number; to: string };
}

export interface FsmStyleSpec extends StyleBase {
  kind: 'fsm';
  initial: string;
  states: Record<string, FsmStateSpec>;
}

export interface RandomMemoryStyleSpec extends StyleBase {
  kind: 'random-memory';
  n: number;
  dist: 'uniform' | 'binary';
}

export type Move = 'C' | 'D';

/** One row of a transition table: (state, co-player's last move) → (next state, own move). */
export type FsmTableRow = [state: string, coPlayerMove: Move, next: string, ownMove: Move];

export interface FsmTableStyleSpec extends StyleBase {
  kind: 'fsm-table';
  initialState: string;
  initialMove: Move;
  transitions: FsmTableRow[];
}

/** A style inside a switch: everything but the fields that only a pool entry has. */
export type SwitchPartSpec = Omit<MemoryStyleSpec, 'name' | 'group'> | Omit<FsmStyleSpec, 'name' | 'group'> | Omit<FsmTableStyleSpec, 'name' | 'group'>;

export interface SwitchStyleSpec extends StyleBase {
  kind: 'switch';
  /** Rounds played as `first` (≥ 1); from round `at` on the style plays `then`. */
  at: number;
  first: SwitchPartSpec;
  then: SwitchPartSpec;
}

export type StyleSpec = MemoryStyleSpec | FsmStyleSpec | RandomMemoryStyleSpec | FsmTableStyleSpec | SwitchStyleSpec;

export interface PoolSpec {
  version: 1;
  styles: StyleSpec[];
}
