// hierarchical: thoughts in parent/child trees (hierarchicalThoughts.ts: a child is on only
// while its parent is on, feature-absorption style), and each agent's hidden state a random
// 2-layer MLP with GELU of its thoughts (mlpMap.ts). A child's parent is held by every agent
// that holds the child (a private thought may hang under a shared one, never the reverse), so
// the rule holds in each agent's own copy too, planted drift aside.
import { shuffleInPlace } from '../../../util/random.js';
import { checkKeys, int, num } from '../configChecks.js';
import { SyntheticConfigError } from '../errors.js';
import { HierarchicalThoughts } from '../hierarchicalThoughts.js';
import { MlpMap } from '../mlpMap.js';
import { rngFor, STREAM } from '../seeds.js';
import type { SyntheticStructure } from '../structure.js';
import type { SyntheticFamily } from './family.js';

const KEYS = ['roots', 'levels', 'given', 'rootSparsity'];

export interface ThoughtTree {
  /** Per thought, its parent's id (−1: a root). */
  parent: number[];
  /** Per thought, its depth in its tree (0: a root). */
  level: number[];
  /** Thought ids, parents before children (by level, then id). */
  order: number[];
}

/**
 * Draws the forest: thoughts in a seeded order; the first max(1, round(roots·K)) are roots, each
 * later one hangs under a uniformly drawn earlier thought above the last level whose agents
 * include all of its own (a root if there is none).
 */
export function assignTree(seed: number, structure: SyntheticStructure, roots: number, levels: number): ThoughtTree {
  const K = structure.thoughtCount;
  const ids = Array.from({ length: K }, (_, i) => i);
  const rng = rngFor(seed, STREAM.family);
  shuffleInPlace(rng, ids);
  const nRoots = Math.max(1, Math.round(roots * K));
  const parent = new Array<number>(K).fill(-1);
  const level = new Array<number>(K).fill(0);
  const agents = structure.thoughts.map((t) => new Set(t.agents));
  ids.forEach((j, i) => {
    if (i < nRoots) return;
    const cands = ids.slice(0, i).filter((p) => level[p]! < levels - 1 && [...agents[j]!].every((a) => agents[p]!.has(a)));
    if (cands.length === 0) return;
    const p = cands[rng.int(cands.length)]!;
    parent[j] = p;
    level[j] = level[p]! + 1;
  });
  const order = Array.from({ length: K }, (_, i) => i).sort((a, b) => level[a]! - level[b]! || a - b);
  return { parent, level, order };
}

export const hierarchicalFamily: SyntheticFamily = {
  name: 'hierarchical',
  summary: 'thoughts in parent/child trees (a child is on only while its parent is on), each agent a random 2-layer GELU MLP (not invertible)',
  params: {
    roots: 'fraction of thoughts that are tree roots (default 0.4)',
    levels: 'most levels of a tree, roots included (default 3)',
    given: 'P(child on | parent on) (default 0.5)',
    rootSparsity: 'P(on) of a root (default 2 × thoughts.sparsity, at most 0.5)',
  },
  resolveParams(raw, thoughts) {
    checkKeys(raw, KEYS, 'family.params.');
    const roots = num(raw.roots ?? 0.4, 'family.params.roots', 0, 1, 'left-open');
    const levels = int(raw.levels ?? 3, 'family.params.levels', 1, 16);
    const given = num(raw.given ?? 0.5, 'family.params.given', 0, 1, 'left-open');
    const rootSparsity = num(raw.rootSparsity ?? Math.min(0.5, 2 * thoughts.sparsity), 'family.params.rootSparsity', 0, 1, 'open');
    const cap = thoughts.persistence / (thoughts.persistence + 1);
    for (const [k, v] of [['given', given], ['rootSparsity', rootSparsity]] as const) {
      if (v < 1 && v > cap) throw new SyntheticConfigError(`family.params.${k}`, `(${v}) cannot be reached with persistence ${thoughts.persistence}: need ≤ ${cap.toFixed(3)}`);
    }
    return { roots, levels, given, rootSparsity };
  },
  build(cfg, structure) {
    const p = cfg.family.params;
    const tree = assignTree(cfg.seed, structure, p.roots!, p.levels!);
    const depth = Math.max(0, ...tree.level);
    const onProbability = Array.from({ length: depth + 1 }, (_, l) => round(p.rootSparsity! * p.given! ** l));
    return {
      thoughtSource: () =>
        new HierarchicalThoughts(structure.thoughtCount, cfg.thoughts, { parent: tree.parent, order: tree.order, rootSparsity: p.rootSparsity!, given: p.given! }),
      hiddenMap: (a, cal, rows) => {
        const l = structure.agents[a]!;
        const k = l.thoughts.length;
        const width = Math.min(l.hiddenSize, Math.max(k, l.width));
        const opts = { condition: cfg.mixing.condition, scale: cfg.mixing.scale };
        return MlpMap.random(rngFor(cfg.seed, STREAM.mixing, a), k, width, l.hiddenSize, opts, cal, rows);
      },
      thoughtDescription:
        'on/off Markov chain per thought (mean on-run = persistence steps) and, while on, value = exp(spread*u) with u ' +
        'an AR(1) as in the mixing family; a root\'s chain has P(on) = rootSparsity, a child\'s P(on) = given, and a child ' +
        'is on only while its own chain and its parent (family.parent) are on: P(on) at tree level l = rootSparsity*given^l.',
      truth: {
        parent: tree.parent,
        level: tree.level,
        roots: tree.parent.flatMap((q, j) => (q < 0 ? [j] : [])),
        expectedOnProbabilityByLevel: onProbability,
        rule: 'a child is never on while its parent is off (in the common thoughts and in each agent\'s copy, drift of a planted conflict aside); a parent is held by every agent that holds its child',
      },
    };
  },
};

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
