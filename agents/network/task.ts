// The five AgentsNet tasks (Grötschla et al. 2025) as instances: a graph, the task, and the
// per-node inputs the task gives (a random unique id per node; for consensus an initial
// value). Inputs are seeded, so a (graph, task, seed) triple is one reproducible instance.
import { makeRng } from '../../util/random.js';
import { NetworkConfigError } from './errors.js';
import { diameter, maxDegree, type Graph } from './graph.js';

export const TASKS = ['colouring', 'vertex-cover', 'matching', 'leader-election', 'consensus'] as const;
export type TaskName = (typeof TASKS)[number];

export function isTaskName(name: string): name is TaskName {
  return (TASKS as readonly string[]).includes(name);
}

export interface TaskInstance {
  readonly task: TaskName;
  readonly graph: Graph;
  /** A unique id per node (a permutation of 0..n-1): what leader election elects the maximum of. */
  readonly uid: Int32Array;
  /** Consensus: each node's initial value in 0..values-1 (zeros for the other tasks). */
  readonly initial: Int32Array;
  /** Colouring: the palette size (default max degree + 1, always enough for greedy). */
  readonly colours: number;
  /** Consensus: the size of the value domain. */
  readonly values: number;
  /** Synchronous message-passing rounds before the nodes give their answers. */
  readonly rounds: number;
  readonly diameter: number;
}

export interface TaskOptions {
  colours?: number;
  values?: number;
  /** Default 2·diameter + 1, as AgentsNet uses. */
  rounds?: number;
}

export function makeTaskInstance(task: string, graph: Graph, seed: number, opts: TaskOptions = {}): TaskInstance {
  if (!isTaskName(task)) throw new NetworkConfigError('task', `must be one of ${TASKS.join(', ')}, got '${task}'`);
  const n = graph.n;
  const rng = makeRng((Math.imul(seed | 0, 0x2545f491) ^ 0x7a5c) >>> 0);
  const uid = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [uid[i], uid[j]] = [uid[j]!, uid[i]!];
  }
  const values = opts.values ?? 2;
  if (!Number.isInteger(values) || values < 2) throw new NetworkConfigError('values', `must be an integer ≥ 2, got ${values}`);
  const initial = new Int32Array(n);
  if (task === 'consensus') for (let i = 0; i < n; i++) initial[i] = rng.int(values);
  const colours = opts.colours ?? maxDegree(graph) + 1;
  if (!Number.isInteger(colours) || colours < 2) throw new NetworkConfigError('colours', `must be an integer ≥ 2, got ${colours}`);
  const d = diameter(graph);
  const rounds = opts.rounds ?? 2 * d + 1;
  if (!Number.isInteger(rounds) || rounds < 1) throw new NetworkConfigError('rounds', `must be a positive integer, got ${rounds}`);
  return { task, graph, uid, initial, colours, values, rounds, diameter: d };
}
