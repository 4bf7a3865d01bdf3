// Success criteria of the five tasks, exactly as stated, on the nodes' final answers:
//   colouring        every node answers a colour in 0..k-1 and no edge joins two equal colours
//   vertex-cover     answers are 0/1; the 1s cover every edge, and the cover is minimal
//                    (no node of it can leave: each has a neighbour outside the cover)
//   matching         answers are a neighbour or -1; pairs are mutual, and the matching is
//                    maximal (no edge joins two unmatched nodes)
//   leader-election  answers are 0/1 and exactly one node answers 1
//   consensus        every node answers the same value, and that value was some node's
//                    initial value (validity)
import { hasEdge, type Graph } from './graph.js';
import type { TaskInstance, TaskName } from './task.js';

export interface SolutionCheck {
  ok: boolean;
  /** Why not, in words (first violation found). */
  reason?: string;
}

const ok: SolutionCheck = { ok: true };
const fail = (reason: string): SolutionCheck => ({ ok: false, reason });

export function checkColouring(g: Graph, answers: ArrayLike<number>, colours: number): SolutionCheck {
  for (let u = 0; u < g.n; u++) {
    const c = answers[u]!;
    if (!Number.isInteger(c) || c < 0 || c >= colours) return fail(`node ${u} answered ${c}, not a colour in 0..${colours - 1}`);
  }
  for (const [u, v] of g.edges) if (answers[u] === answers[v]) return fail(`edge (${u}, ${v}) joins two nodes of colour ${answers[u]}`);
  return ok;
}

export function checkVertexCover(g: Graph, answers: ArrayLike<number>): SolutionCheck {
  for (let u = 0; u < g.n; u++) if (answers[u] !== 0 && answers[u] !== 1) return fail(`node ${u} answered ${answers[u]}, not 0 or 1`);
  for (const [u, v] of g.edges) if (!answers[u] && !answers[v]) return fail(`edge (${u}, ${v}) is not covered`);
  for (let u = 0; u < g.n; u++) {
    if (answers[u] && g.neighbours[u]!.every((v) => answers[v])) return fail(`not minimal: node ${u} could leave the cover`);
  }
  return ok;
}

export function checkMatching(g: Graph, answers: ArrayLike<number>): SolutionCheck {
  for (let u = 0; u < g.n; u++) {
    const p = answers[u]!;
    if (p === -1) continue;
    if (!hasEdge(g, u, p)) return fail(`node ${u} answered ${p}, neither a neighbour nor -1`);
    if (answers[p] !== u) return fail(`node ${u} chose ${p} but ${p} chose ${answers[p]}`);
  }
  for (const [u, v] of g.edges) if (answers[u] === -1 && answers[v] === -1) return fail(`not maximal: edge (${u}, ${v}) joins two unmatched nodes`);
  return ok;
}

export function checkLeader(answers: ArrayLike<number>): SolutionCheck {
  let leaders = 0;
  for (let u = 0; u < answers.length; u++) {
    if (answers[u] !== 0 && answers[u] !== 1) return fail(`node ${u} answered ${answers[u]}, not 0 or 1`);
    leaders += answers[u]!;
  }
  return leaders === 1 ? ok : fail(`${leaders} nodes claim to lead (exactly one must)`);
}

export function checkConsensus(answers: ArrayLike<number>, initial: ArrayLike<number>): SolutionCheck {
  const v = answers[0];
  for (let u = 1; u < answers.length; u++) if (answers[u] !== v) return fail(`node ${u} answered ${answers[u]}, node 0 answered ${v}`);
  for (let u = 0; u < initial.length; u++) if (initial[u] === v) return ok;
  return fail(`agreed on ${v}, which no node started with`);
}

export function checkSolution(inst: TaskInstance, answers: ArrayLike<number>): SolutionCheck {
  const checks: Record<TaskName, () => SolutionCheck> = {
    colouring: () => checkColouring(inst.graph, answers, inst.colours),
    'vertex-cover': () => checkVertexCover(inst.graph, answers),
    matching: () => checkMatching(inst.graph, answers),
    'leader-election': () => checkLeader(answers),
    consensus: () => checkConsensus(answers, inst.initial),
  };
  return checks[inst.task]();
}

/**
 * Per-edge disagreement: does the edge (u, v) violate the task's constraint under the current
 * answers? For leader election and consensus, whose answers come from a belief every node must
 * share (the leader's id, the agreed value), it is whether the two beliefs differ.
 */
export function edgeConflict(task: TaskName, u: number, v: number, answers: ArrayLike<number>, beliefs: ArrayLike<number>): boolean {
  const a = answers[u]!;
  const b = answers[v]!;
  switch (task) {
    case 'colouring':
      return a === b;
    case 'vertex-cover':
      return !a && !b;
    case 'matching':
      return (a === -1 && b === -1) || (a === v) !== (b === u);
    case 'leader-election':
    case 'consensus':
      return beliefs[u] !== beliefs[v];
  }
}
