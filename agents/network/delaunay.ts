// Delaunay graphs on random points: n points uniform in the unit square, joined by the edges
// of their Delaunay triangulation (Bowyer–Watson insertion, O(n²) — fine at a few hundred
// nodes). Planar and connected; the points are kept as node positions (for drawing).
import type { Rng } from '../../util/random.js';
import { GraphError } from './errors.js';
import { makeGraph, type Graph } from './graph.js';

export interface DelaunayGraph extends Graph {
  /** x, y per node, in [0, 1). */
  readonly points: Float64Array;
}

type Tri = [number, number, number];

export function delaunay(n: number, rng: Rng): DelaunayGraph {
  if (n < 3) throw new GraphError(`a Delaunay graph needs at least 3 points, got ${n}`);
  const P = new Float64Array(2 * (n + 3));
  for (let i = 0; i < 2 * n; i++) P[i] = rng.next();
  // a super-triangle far outside the unit square
  P.set([-10, -10, 10, -10, 0.5, 20], 2 * n);
  let tris: Tri[] = [[n, n + 1, n + 2]];
  for (let p = 0; p < n; p++) {
    const bad: Tri[] = [];
    const keep: Tri[] = [];
    for (const t of tris) (inCircumcircle(P, t, p) ? bad : keep).push(t);
    // the boundary of the hole: edges of bad triangles that only one bad triangle has
    const count = new Map<string, [number, number, number]>();
    for (const t of bad) {
      for (const [a, b] of [[t[0], t[1]], [t[1], t[2]], [t[2], t[0]]] as const) {
        const key = a < b ? `${a},${b}` : `${b},${a}`;
        const c = count.get(key);
        count.set(key, c ? [c[0] + 1, a, b] : [1, a, b]);
      }
    }
    for (const [c, a, b] of count.values()) if (c === 1) keep.push([a, b, p]);
    tris = keep;
  }
  const edges = new Map<string, [number, number]>();
  for (const t of tris) {
    if (t.some((v) => v >= n)) continue;
    for (const [a, b] of [[t[0], t[1]], [t[1], t[2]], [t[2], t[0]]] as const) {
      const u = Math.min(a, b);
      const v = Math.max(a, b);
      edges.set(`${u},${v}`, [u, v]);
    }
  }
  // points on the hull whose only triangles touched the super-triangle still need their hull edges
  for (const t of tris) {
    const real = t.filter((v) => v < n);
    if (real.length === 2) {
      const [u, v] = [Math.min(real[0]!, real[1]!), Math.max(real[0]!, real[1]!)];
      edges.set(`${u},${v}`, [u, v]);
    }
  }
  const g = makeGraph(n, [...edges.values()]);
  return { ...g, points: P.slice(0, 2 * n) };
}

function inCircumcircle(P: Float64Array, t: Tri, p: number): boolean {
  const [ax, ay] = [P[2 * t[0]]!, P[2 * t[0] + 1]!];
  const [bx, by] = [P[2 * t[1]]!, P[2 * t[1] + 1]!];
  const [cx, cy] = [P[2 * t[2]]!, P[2 * t[2] + 1]!];
  const [px, py] = [P[2 * p]!, P[2 * p + 1]!];
  const orient = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  const adx = ax - px, ady = ay - py;
  const bdx = bx - px, bdy = by - py;
  const cdx = cx - px, cdy = cy - py;
  const det =
    (adx * adx + ady * ady) * (bdx * cdy - cdx * bdy) -
    (bdx * bdx + bdy * bdy) * (adx * cdy - cdx * ady) +
    (cdx * cdx + cdy * cdy) * (adx * bdy - bdx * ady);
  return orient > 0 ? det > 0 : det < 0;
}
