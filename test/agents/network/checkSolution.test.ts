import { describe, expect, it } from 'vitest';
import { checkColouring, checkConsensus, checkLeader, checkMatching, checkVertexCover, edgeConflict, makeGraph } from '../../../agents/network/index.js';

// a triangle 0-1-2 with a tail 2-3
const g = makeGraph(4, [[0, 1], [1, 2], [0, 2], [2, 3]]);

describe('success checks on a hand-made graph', () => {
  it('colouring: proper colourings pass; a shared colour on an edge or a colour outside the palette fails', () => {
    expect(checkColouring(g, [0, 1, 2, 0], 3).ok).toBe(true);
    expect(checkColouring(g, [0, 1, 2, 2], 3)).toEqual({ ok: false, reason: 'edge (2, 3) joins two nodes of colour 2' });
    expect(checkColouring(g, [0, 1, 3, 0], 3).ok).toBe(false);
  });

  it('vertex cover: must cover every edge and be minimal', () => {
    expect(checkVertexCover(g, [1, 1, 0, 1]).ok).toBe(true); // {0,1,3}
    expect(checkVertexCover(g, [0, 1, 1, 0]).ok).toBe(true); // {1,2}
    expect(checkVertexCover(g, [1, 0, 0, 1]).reason).toBe('edge (1, 2) is not covered');
    expect(checkVertexCover(g, [1, 1, 1, 0]).reason).toMatch(/not minimal/);
  });

  it('matching: pairs mutual and on edges, and maximal', () => {
    expect(checkMatching(g, [1, 0, 3, 2]).ok).toBe(true);
    expect(checkMatching(g, [-1, -1, 3, 2]).reason).toBe('not maximal: edge (0, 1) joins two unmatched nodes');
    expect(checkMatching(g, [1, 2, 1, -1]).ok).toBe(false);
    expect(checkMatching(g, [3, -1, -1, 0]).reason).toMatch(/neither a neighbour/);
  });

  it('leader election: exactly one 1', () => {
    expect(checkLeader([0, 0, 1, 0]).ok).toBe(true);
    expect(checkLeader([0, 0, 0, 0]).ok).toBe(false);
    expect(checkLeader([1, 0, 1, 0]).reason).toBe('2 nodes claim to lead (exactly one must)');
  });

  it('consensus: agreement and validity', () => {
    expect(checkConsensus([1, 1, 1, 1], [0, 1, 0, 0]).ok).toBe(true);
    expect(checkConsensus([1, 1, 0, 1], [0, 1, 0, 0]).ok).toBe(false);
    expect(checkConsensus([2, 2, 2, 2], [0, 1, 0, 0]).reason).toBe('agreed on 2, which no node started with');
  });

  it('edgeConflict marks the edges that break the constraint', () => {
    expect(edgeConflict('colouring', 2, 3, [0, 1, 2, 2], [])).toBe(true);
    expect(edgeConflict('vertex-cover', 1, 2, [1, 0, 0, 1], [])).toBe(true);
    expect(edgeConflict('matching', 0, 1, [1, 2, 1, -1], [])).toBe(true);
    expect(edgeConflict('consensus', 0, 1, [0, 0, 0, 0], [3, 4, 0, 0])).toBe(true);
  });
});
