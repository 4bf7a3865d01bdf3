import { describe, expect, it } from 'vitest';
import { GraphError, GRAPH_FAMILIES, diameter, generateGraph, makeGraph, maxDegree, NetworkConfigError, components } from '../../../agents/network/index.js';

describe('makeGraph', () => {
  it('builds sorted neighbour lists and the edge list of a path', () => {
    const g = makeGraph(4, [[2, 3], [1, 0], [1, 2]]);
    expect(g.neighbours).toEqual([[1], [0, 2], [1, 3], [2]]);
    expect(g.edges).toEqual([[0, 1], [1, 2], [2, 3]]);
    expect(diameter(g)).toBe(3);
    expect(maxDegree(g)).toBe(2);
  });

  it('refuses a self-loop, a duplicate edge, an isolated node and a disconnected graph with clear messages', () => {
    expect(() => makeGraph(3, [[0, 0], [1, 2]])).toThrow(/self-loop at node 0/);
    expect(() => makeGraph(3, [[0, 1], [1, 0], [1, 2]])).toThrow(/duplicate edge \(0, 1\)/);
    expect(() => makeGraph(3, [[0, 1]])).toThrow(/node 2 is isolated/);
    expect(() => makeGraph(4, [[0, 1], [2, 3]])).toThrow(/disconnected: 2 components/);
    expect(() => makeGraph(3, [[0, 5]])).toThrow(GraphError);
    try {
      makeGraph(3, [[0, 0]]);
    } catch (err) {
      expect((err as GraphError).code).toBe('TL_BAD_VALUE');
    }
  });

  it('accepts a disconnected graph only when asked', () => {
    const g = makeGraph(4, [[0, 1], [2, 3]], { allowDisconnected: true });
    expect(components(g).count).toBe(2);
    expect(diameter(g)).toBe(Infinity);
  });
});

describe('generateGraph', () => {
  it.each(GRAPH_FAMILIES)('%s: connected, simple, seeded, from 4 to 120 nodes', (family) => {
    for (const n of [4, 8, 16, 120]) {
      const g = generateGraph(family, n, 3);
      expect(g.n).toBe(n);
      expect(components(g).count).toBe(1);
      expect(generateGraph(family, n, 3).edges).toEqual(g.edges);
    }
    expect(generateGraph(family, 30, 1).edges).not.toEqual(generateGraph(family, 30, 2).edges);
  });

  it('gives each family its shape: a ring-like lattice, hubs, a planar triangulation', () => {
    const sw = generateGraph('small-world', 100, 0);
    expect(sw.edges.length).toBe(200); // n·k/2 with k = 4: rewiring keeps the edge count
    const sf = generateGraph('scale-free', 100, 0);
    expect(sf.edges.length).toBe(3 + 2 * 97);
    expect(maxDegree(sf)).toBeGreaterThan(12); // hubs: far above the mean degree ≈ 4
    const de = generateGraph('delaunay', 100, 0);
    expect(de.edges.length).toBeLessThanOrEqual(3 * 100 - 6); // planar
    expect(de.edges.length).toBeGreaterThan(2 * 100 - 6);
  });

  it('refuses unknown families and bad sizes', () => {
    expect(() => generateGraph('ring', 8, 0)).toThrow(NetworkConfigError);
    expect(() => generateGraph('delaunay', 2, 0)).toThrow(/'nodes' must be an integer in 3\.\./);
  });
});
