// Trains the shared GRU policy of a local one-bit task (trainBinaryPolicy.ts: A2C on small
// graphs), each node saying every round "in the cover" (vertex cover) or "I lead" (leader
// election); its answer is its last bit. Rewards, shared by a graph's nodes at the last step:
//   vertex cover     1 if a minimal cover (checkSolution.ts) + 0.3 × the share of edges covered
//                    + 0.2 × the share of nodes not redundant (in the cover with every neighbour in it)
//   leader election  1 if exactly one node claims + 0.3 × max(0, 1 − |claims − 1| / n)
// Messages are one bit: a node cannot pass on a uid, so leader election beyond a few hops is out
// of reach by construction (the scripted max-id flooding sends uids).
import type { Gru } from '../ipd/index.js';
import { checkLeader, checkVertexCover } from './checkSolution.js';
import { generateGraph } from './generateGraph.js';
import type { LocalBitTask } from './gruLocalBitPolicy.js';
import { LOCAL_BIT_FEATURES, LOCAL_BIT_FEATURES_PER_STEP, localBitFeatures, uidRank } from './localBitFeatures.js';
import { makeTaskInstance, type TaskInstance } from './task.js';
import { trainBinaryPolicy, type BinaryTask, type BinaryTrainConfig, type BinaryTrainInfo } from './trainBinaryPolicy.js';

function localBitTask(task: LocalBitTask, reward: BinaryTask['reward']): BinaryTask {
  return {
    task,
    features: LOCAL_BIT_FEATURES,
    featuresPerStep: LOCAL_BIT_FEATURES_PER_STEP,
    instance: (family, n, seed): TaskInstance => makeTaskInstance(task, generateGraph(family, n, seed), seed),
    encode(inst, v, t, said, out, at) {
      const ns = inst.graph.neighbours[v]!;
      let ones = 0;
      for (const w of ns) ones += said[w] === 1 ? 1 : 0;
      localBitFeatures(said[v]!, ones, t === 0 ? -1 : ns.length, uidRank(inst.uid[v]!, ns.map((w) => inst.uid[w]!)), ns.length, out, at);
    },
    reward,
  };
}

export const COVER_TASK: BinaryTask = localBitTask('vertex-cover', (inst, answers) => {
  const g = inst.graph;
  const solved = checkVertexCover(g, answers).ok;
  let covered = 0;
  for (const [u, v] of g.edges) if (answers[u] || answers[v]) covered++;
  let redundant = 0;
  for (let u = 0; u < g.n; u++) if (answers[u] && g.neighbours[u]!.every((w) => answers[w])) redundant++;
  return { solved, reward: (solved ? 1 : 0) + 0.3 * (covered / Math.max(1, g.edges.length)) + 0.2 * (1 - redundant / g.n) };
});

export const LEADER_TASK: BinaryTask = localBitTask('leader-election', (inst, answers) => {
  const solved = checkLeader(answers).ok;
  let claims = 0;
  for (const a of answers) claims += a;
  return { solved, reward: (solved ? 1 : 0) + 0.3 * Math.max(0, 1 - Math.abs(claims - 1) / inst.graph.n) };
});

export function trainLocalBitPolicy(task: LocalBitTask, c: Partial<BinaryTrainConfig> = {}, onUpdate?: (i: BinaryTrainInfo) => void): { model: Gru; history: BinaryTrainInfo[]; config: BinaryTrainConfig } {
  return trainBinaryPolicy(task === 'vertex-cover' ? COVER_TASK : LEADER_TASK, c, onUpdate);
}
