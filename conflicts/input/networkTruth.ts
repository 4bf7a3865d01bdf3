// What a network run (record network) says about itself under truth/: its graph (node i is
// agent n<i>) and the injected faults with the step a neighbour first acted on each. Read
// here as plain JSON so conflicts/ never imports the source that wrote it (agents/network).
import { readTruthJson } from '../../data/index.js';
import { DetectorDataError } from '../errors.js';

export interface NetworkFault {
  episode: number;
  kind: string;
  node: number;
  /** Step the fault starts. */
  step: number;
  neighbours: number[];
  /** First step a neighbour's belief differs from the clean run (null: none ever did). */
  neighbourActedStep: number | null;
  maxAffected: number;
  depth: number;
  /** Per step: other nodes whose belief differs from the clean run. */
  affectedPerStep?: number[];
}

export interface NetworkTruth {
  task: string;
  /** Agent id of each node. */
  agents: string[];
  /** Undirected edges [u, v], u < v. */
  edges: [number, number][];
  rounds: number;
  faults: NetworkFault[];
  faultyEpisodes: Set<number>;
}

export function readNetworkTruth(runDir: string): NetworkTruth {
  let net: { task: string; agents: string[]; graph: { edges: [number, number][] }; rounds: number };
  let faults: { faults: NetworkFault[] };
  try {
    net = readTruthJson(runDir, 'network.json');
    faults = readTruthJson(runDir, 'faults.json');
  } catch (err) {
    throw new DetectorDataError(`not a network run (record network writes truth/network.json and truth/faults.json): ${(err as Error).message}`);
  }
  return {
    task: net.task,
    agents: net.agents,
    edges: net.graph.edges.map(([u, v]) => [Math.min(u, v), Math.max(u, v)] as [number, number]),
    rounds: net.rounds,
    faults: faults.faults,
    faultyEpisodes: new Set(faults.faults.map((f) => f.episode)),
  };
}
