// A user's graph from an edge list: text with one edge `u v` per line (`#` starts a comment;
// a line `nodes N` or `# nodes N` declares the node count, so an isolated node can be named),
// or JSON `{ "nodes": N, "edges": [[u, v], …] }` / `[[u, v], …]`. Every problem is one line
// naming the file, and the line or edge and the node: a malformed line, a self-loop, an
// isolated node, a disconnected graph (makeGraph's checks).
import { GraphError } from './errors.js';
import { makeGraph, type Graph } from './graph.js';

export function graphFromEdgeList(text: string, name = 'graph'): Graph {
  const trimmed = text.trim();
  let n: number | undefined;
  const edges: [number, number][] = [];
  const where: string[] = [];
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (err) {
      throw new GraphError(`${name}: not valid JSON (${(err as Error).message})`);
    }
    const list = Array.isArray(json) ? json : (json as { edges?: unknown }).edges;
    if (!Array.isArray(json)) {
      const nodes = (json as { nodes?: unknown }).nodes;
      if (nodes !== undefined) {
        if (!Number.isInteger(nodes)) throw new GraphError(`${name}: "nodes" must be an integer, got ${JSON.stringify(nodes)}`);
        n = nodes as number;
      }
    }
    if (!Array.isArray(list)) throw new GraphError(`${name}: expected a list of edges [[u, v], …] or { "edges": [...] }`);
    list.forEach((e, i) => {
      if (!Array.isArray(e) || e.length !== 2 || !e.every((x) => Number.isInteger(x) && x >= 0)) {
        throw new GraphError(`${name}: edges[${i}] must be a pair of node numbers ≥ 0, got ${JSON.stringify(e)}`);
      }
      edges.push([e[0] as number, e[1] as number]);
      where.push(`edges[${i}]`);
    });
  } else {
    text.split(/\r?\n/).forEach((raw, i) => {
      const decl = /^\s*#?\s*nodes\s+(\d+)\s*$/i.exec(raw);
      if (decl) {
        n = Number(decl[1]);
        return;
      }
      const line = raw.replace(/#.*/, '').trim();
      if (!line) return;
      const m = /^(\d+)[\s,]+(\d+)$/.exec(line);
      if (!m) throw new GraphError(`${name} line ${i + 1}: expected 'u v' (two node numbers), got '${line}'`);
      edges.push([Number(m[1]), Number(m[2])]);
      where.push(`line ${i + 1}`);
    });
  }
  if (edges.length === 0) throw new GraphError(`${name}: no edges`);
  edges.forEach(([u, v], i) => {
    if (u === v) throw new GraphError(`${name} ${where[i]}: self-loop at node ${u} (a node cannot be its own neighbour)`);
  });
  const maxNode = Math.max(...edges.flat());
  if (n !== undefined && maxNode >= n) {
    const i = edges.findIndex(([u, v]) => u >= n! || v >= n!);
    throw new GraphError(`${name} ${where[i]}: node ${maxNode} is outside 0..${n - 1} (nodes ${n})`);
  }
  try {
    return makeGraph(n ?? maxNode + 1, edges);
  } catch (err) {
    if (err instanceof GraphError) throw new GraphError(`${name}: ${err.message.replace(/^graph: /, '')}`);
    throw err;
  }
}
