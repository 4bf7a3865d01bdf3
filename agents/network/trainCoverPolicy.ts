// Trains the shared GRU vertex-cover policy (trainBinaryPolicy.ts: A2C on small graphs); each
// node says every round whether it is in the cover, its answer is its last bit. Reward, shared by
// a graph's nodes at the last step: 1 if the answers are a minimal vertex cover (checkSolution.ts),
// plus 0.3 × the share of edges covered and 0.2 × the share of nodes that are not redundant
// (in the cover with every neighbour in it too).
import type { Gru } from '../ipd/index.js';
import { checkVertexCover } from './checkSolution.js';
import { COVER_FEATURES, COVER_FEATURES_PER_STEP, coverFeatures, uidRank } from './coverFeatures.js';
import { generateGraph } from './generateGraph.js';
import { makeTaskInstance } from './task.js';
import { DEFAULT_BINARY_TRAIN, trainBinaryPolicy, type BinaryTask, type BinaryTrainConfig, type BinaryTrainInfo } from './trainBinaryPolicy.js';

export const DEFAULT_COVER_TRAIN: Readonly<BinaryTrainConfig> = DEFAULT_BINARY_TRAIN;

export const COVER_TASK: BinaryTask = {
  task: 'vertex-cover',
  features: COVER_FEATURES,
  featuresPerStep: COVER_FEATURES_PER_STEP,
  instance: (family, n, seed) => makeTaskInstance('vertex-cover', generateGraph(family, n, seed), seed),
  encode(inst, v, t, said, out, at) {
    const ns = inst.graph.neighbours[v]!;
    let inCover = 0;
    for (const w of ns) inCover += said[w] === 1 ? 1 : 0;
    coverFeatures(said[v]!, inCover, t === 0 ? -1 : ns.length, uidRank(inst.uid[v]!, ns.map((w) => inst.uid[w]!)), ns.length, out, at);
  },
  reward(inst, answers) {
    const g = inst.graph;
    const solved = checkVertexCover(g, answers).ok;
    let covered = 0;
    for (const [u, v] of g.edges) if (answers[u] || answers[v]) covered++;
    let redundant = 0;
    for (let u = 0; u < g.n; u++) if (answers[u] && g.neighbours[u]!.every((w) => answers[w])) redundant++;
    return { solved, reward: (solved ? 1 : 0) + 0.3 * (covered / Math.max(1, g.edges.length)) + 0.2 * (1 - redundant / g.n) };
  },
};

export function trainCoverPolicy(c: Partial<BinaryTrainConfig> = {}, onUpdate?: (i: BinaryTrainInfo) => void): { model: Gru; history: BinaryTrainInfo[]; config: BinaryTrainConfig } {
  const config: BinaryTrainConfig = { ...DEFAULT_COVER_TRAIN, ...c };
  return { ...trainBinaryPolicy(COVER_TASK, config, onUpdate), config };
}
