// A tiny synthetic paired-agent source with planted conflicts, for detector tests: shared
// thoughts s(t) (smooth AR(1)), a private thought per agent, linear mixing into each
// agent's state plus noise. In conflict episodes agent B's copy of one shared thought
// drifts from `onset` on; behaviour diverges `lag` steps later (B's action flips, the
// `diverged` event column pulses). Deterministic for a seed.
import { join } from 'node:path';
import { createRun, writeTruthJson, type AgentSpec } from '../../../data/index.js';
import { makeRng } from '../../../util/random.js';
import type { LatentCoder } from '../../../conflicts/index.js';

export interface TinyOptions {
  episodes?: number;
  steps?: number;
  /** Fraction of episodes with a planted conflict. */
  fraction?: number;
  /** The episodes with a planted conflict (instead of `fraction`). */
  conflictEpisodes?: number[];
  lag?: number;
  speed?: number;
  noise?: number;
  seed?: number;
  /** Seed of the mixing matrices (default 1000): runs with the same one are the same agents. */
  mixingSeed?: number;
  dims?: [number, number];
  shared?: number;
  /**
   * Append the rows step-major (every episode's step 0, then every episode's step 1, …), as a
   * recorder of parallel environments does; the data are the same as episode-major.
   */
  stepMajor?: boolean;
  /** Record hidden states only (no behaviour columns), as a converter from another tool may. */
  hiddenOnly?: boolean;
  /** Probability per step that A's action flips for that step alone, unrelated to any conflict (a noisy behaviour rule). */
  actionNoise?: number;
  /** Record no `diverged` event column (the default event is then the rule 'actions differ'). */
  noEventColumn?: boolean;
  /** Record everything as one long episode 0 (step e·steps + t), as a generator without episodes may. */
  singleEpisode?: boolean;
}

export interface TinyConflict {
  episode: number;
  agent: string;
  thoughts: number[];
  onsetStep: number;
  divergenceStep: number;
  lag: number;
}

export interface TinyData {
  dir: string;
  conflicts: TinyConflict[];
  /** Per agent, mixing matrix d × (shared + 1), row-major. */
  mixing: Float64Array[];
  shared: number;
  dims: [number, number];
}

export function tinyAgents(dims: [number, number]): AgentSpec[] {
  return dims.map((d, a) => ({
    id: a === 0 ? 'A' : 'B',
    hiddenSize: d,
    columns: [
      { name: 'action', type: 'int32', role: 'action' },
      { name: 'reward', type: 'float32', role: 'reward' },
      { name: 'diverged', type: 'bool', role: 'event' },
    ],
  })) as AgentSpec[];
}

export function writeTinyRun(root: string, name: string, o: TinyOptions = {}): TinyData {
  const E = o.episodes ?? 20;
  const T = o.steps ?? 120;
  const K = o.shared ?? 4;
  const dims = o.dims ?? [12, 10];
  const lag = o.lag ?? 12;
  const speed = o.speed ?? 0.08;
  const noise = o.noise ?? 0.05;
  const rng = makeRng(o.seed ?? 1);
  const mrng = makeRng(o.mixingSeed ?? 1000);
  const mixing = dims.map((d) => Float64Array.from({ length: d * (K + 1) }, () => mrng.normal() / Math.sqrt(K + 1)));
  const nConf = Math.round((o.fraction ?? 0.5) * E);
  const conflictEpisodes = new Set<number>(o.conflictEpisodes ?? []);
  if (!o.conflictEpisodes) while (conflictEpisodes.size < nConf) conflictEpisodes.add(rng.int(E));
  const conflicts: TinyConflict[] = [];
  const dir = join(root, name);
  const agents = tinyAgents(dims).map((a) => ({ ...a, columns: o.hiddenOnly ? [] : o.noEventColumn ? a.columns.filter((c) => c.name !== 'diverged') : a.columns }));
  const w = createRun(dir, { source: { kind: 'test-tiny-conflicts' }, agents, flushIntervalMs: 0, batchRows: 64 });
  const rowsOut: { e: number; t: number; agent: string; row: Parameters<typeof w.append>[1] }[] = [];
  for (let e = 0; e < E; e++) {
    const s = new Float64Array(K);
    const p = [0, 0];
    let c: TinyConflict | null = null;
    if (conflictEpisodes.has(e)) {
      const onset = Math.floor(T / 4) + rng.int(Math.floor(T / 4));
      c = { episode: e, agent: 'B', thoughts: [rng.int(K)], onsetStep: onset, divergenceStep: onset + lag, lag };
      conflicts.push(c);
    }
    for (let t = 0; t < T; t++) {
      for (let j = 0; j < K; j++) s[j] = 0.9 * s[j]! + 0.44 * rng.normal();
      for (let a = 0; a < 2; a++) p[a] = 0.9 * p[a]! + 0.44 * rng.normal();
      const drift = c && t >= c.onsetStep ? Math.min(2, speed * (t - c.onsetStep + 1)) : 0;
      const diverging = c !== null && t >= c.divergenceStep;
      const slip = (o.actionNoise ?? 0) > 0 && rng.next() < o.actionNoise!;
      agents.forEach((ag, a) => {
        const copy = [...s, p[a]!];
        if (a === 1 && c) copy[c.thoughts[0]!]! += drift;
        const d = ag.hiddenSize;
        const h = new Float32Array(d);
        const M = mixing[a]!;
        for (let i = 0; i < d; i++) {
          let v = 0;
          for (let k = 0; k <= K; k++) v += M[i * (K + 1) + k]! * copy[k]!;
          h[i] = v + noise * rng.normal();
        }
        rowsOut.push({
          e,
          t,
          agent: ag.id,
          row: {
            episode: [e],
            step: [t],
            hidden: h,
            columns: { action: [(a === 1 && diverging) || (a === 0 && slip) ? 1 : 0], reward: [diverging ? 0 : 1], diverged: [c !== null && t === c.divergenceStep] },
          },
        });
      });
    }
  }
  if (o.stepMajor) rowsOut.sort((x, y) => x.t - y.t || x.e - y.e);
  for (const r of rowsOut) {
    const { diverged: _, ...rest } = r.row.columns!;
    const row = o.hiddenOnly ? { ...r.row, columns: {} } : o.noEventColumn ? { ...r.row, columns: rest } : r.row;
    w.append(r.agent, o.singleEpisode ? { ...row, episode: [0], step: [r.e * T + r.t] } : row);
  }
  if (o.singleEpisode) {
    for (const c of conflicts) {
      c.onsetStep += c.episode * T;
      c.divergenceStep += c.episode * T;
      c.episode = 0;
    }
  }
  w.addTruthFiles([writeTruthJson(dir, 'conflicts.json', { conflicts })]);
  w.close();
  return { dir, conflicts, mixing, shared: K, dims };
}

/**
 * A "perfect dictionary" for the tiny source: shared latents = mean of the agents' least-
 * squares readings of the shared thoughts, one private latent per agent, one dead latent.
 */
export function tinyCoder(data: TinyData): LatentCoder {
  const K = data.shared;
  const pinv = data.mixing.map((M, a) => pseudoInverse(M, data.dims[a]!, K + 1));
  const read = (a: number, x: ArrayLike<number>, r: number) => {
    const d = data.dims[a]!;
    const P = pinv[a]!;
    const out = new Float64Array(K + 1);
    for (let k = 0; k <= K; k++) for (let i = 0; i < d; i++) out[k]! += P[k * d + i]! * x[r * d + i]!;
    return out;
  };
  const m = K + 3;
  return {
    agents: ['A', 'B'],
    nLatents: m,
    classes: [...Array<string>(K).fill('shared'), 'private-A', 'private-B', 'dead'],
    encode(hidden, rows) {
      const z = new Float32Array(rows * m);
      for (let r = 0; r < rows; r++) {
        const ra = read(0, hidden[0]!, r);
        const rb = read(1, hidden[1]!, r);
        for (let k = 0; k < K; k++) z[r * m + k] = (ra[k]! + rb[k]!) / 2;
        z[r * m + K] = ra[K]!;
        z[r * m + K + 1] = rb[K]!;
      }
      return z;
    },
    source: { kind: 'test-perfect-dictionary' },
  };
}

/** (MᵀM)⁻¹Mᵀ for M d×k (k small), by Gauss-Jordan. */
function pseudoInverse(M: Float64Array, d: number, k: number): Float64Array {
  const A = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) for (let r = 0; r < d; r++) A[i * k + j]! += M[r * k + i]! * M[r * k + j]!;
  const inv = new Float64Array(k * k);
  for (let i = 0; i < k; i++) inv[i * k + i] = 1;
  for (let c = 0; c < k; c++) {
    const piv = A[c * k + c]!;
    for (let j = 0; j < k; j++) {
      A[c * k + j]! /= piv;
      inv[c * k + j]! /= piv;
    }
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = A[r * k + c]!;
      for (let j = 0; j < k; j++) {
        A[r * k + j]! -= f * A[c * k + j]!;
        inv[r * k + j]! -= f * inv[c * k + j]!;
      }
    }
  }
  const P = new Float64Array(k * d);
  for (let i = 0; i < k; i++) for (let r = 0; r < d; r++) for (let j = 0; j < k; j++) P[i * d + r]! += inv[i * k + j]! * M[r * k + j]!;
  return P;
}
