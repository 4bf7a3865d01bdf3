// Test data with a known sharing structure, written as a run: sparse sources (shared,
// private-A, private-B), each agent x_a = M_a [s_shared; s_private_a] (+ optional tanh layer) + noise.
import { createRun } from '../../data/index.js';
import { makeRng } from '../../util/random.js';

export interface PairedDataOptions {
  dims?: number[];
  shared?: number;
  private?: number;
  rows?: number;
  p?: number;
  noise?: number;
  seed?: number;
  nonlinear?: boolean;
}

export interface PairedData {
  dir: string;
  /** rows × n true sources; columns: shared, then private per agent. */
  sources: Float32Array;
  n: number;
  /** Per source, the agents holding it. */
  owners: string[][];
  rows: number;
}

export function writePairedRun(dir: string, o: PairedDataOptions = {}): PairedData {
  const dims = o.dims ?? [16, 12];
  const ids = dims.map((_, i) => String.fromCharCode(65 + i));
  const ns = o.shared ?? 4;
  const np = o.private ?? 3;
  const rows = o.rows ?? 4096;
  const p = o.p ?? 0.15;
  const rng = makeRng(o.seed ?? 1);
  const n = ns + np * dims.length;
  const owners: string[][] = [];
  for (let i = 0; i < ns; i++) owners.push([...ids]);
  ids.forEach((id) => {
    for (let i = 0; i < np; i++) owners.push([id]);
  });
  // Each agent sees its sources through a random matrix with unit-norm columns.
  const mix = dims.map((d, a) => {
    const cols = owners.map((ow) => ow.includes(ids[a]!));
    const M = new Float32Array(d * n);
    cols.forEach((has, j) => {
      if (!has) return;
      let s = 0;
      const v = Array.from({ length: d }, () => rng.normal());
      v.forEach((x) => (s += x * x));
      v.forEach((x, i) => (M[i * n + j] = x / Math.sqrt(s)));
    });
    return M;
  });
  const sources = new Float32Array(rows * n);
  for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) if (rng.next() < p) sources[r * n + j] = 0.5 + rng.next() * 1.5;
  const writer = createRun(dir, {
    source: { kind: 'test-paired' },
    agents: ids.map((id, a) => ({ id, hiddenSize: dims[a]!, columns: [] })),
    flushIntervalMs: 0,
    batchRows: 256,
  });
  const steps = 64;
  for (let r = 0; r < rows; r++) {
    dims.forEach((d, a) => {
      const h = new Float32Array(d);
      const M = mix[a]!;
      for (let i = 0; i < d; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += M[i * n + j]! * sources[r * n + j]!;
        h[i] = (o.nonlinear ? Math.tanh(s) + 0.2 * s : s) + (o.noise ?? 0.01) * rng.normal();
      }
      writer.append(ids[a]!, { episode: [Math.floor(r / steps)], step: [r % steps], hidden: h });
    });
  }
  writer.close();
  return { dir, sources, n, owners, rows };
}
