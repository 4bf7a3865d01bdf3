// Matches the latents of two dictionaries by decoder direction: each latent's decoder
// columns of the agents both have, concatenated and unit-normalised; cosine similarity;
// greedy one-to-one assignment from the most similar pair down. The two dictionaries may
// have different latent counts: every latent of the smaller one gets at most one partner.
import type { DecoderRows } from './checkpointInfo.js';

/** What matching needs of a dictionary (CheckpointInfo has it). */
export interface MatchableDictionary {
  numLatents: number;
  decoders: Record<string, DecoderRows>;
}

export interface LatentMatch {
  a: number;
  b: number;
  cosine: number;
}

function unitRows(ck: MatchableDictionary, agents: string[]): { m: number; dim: number; rows: Float32Array } {
  const m = ck.numLatents;
  const dim = agents.reduce((s, a) => s + ck.decoders[a]!.d, 0);
  const rows = new Float32Array(m * dim);
  for (let j = 0; j < m; j++) {
    let at = j * dim;
    for (const a of agents) {
      const dec = ck.decoders[a]!;
      rows.set(dec.rows.subarray(j * dec.d, (j + 1) * dec.d), at);
      at += dec.d;
    }
    let s = 0;
    for (let k = j * dim; k < (j + 1) * dim; k++) s += rows[k]! ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let k = j * dim; k < (j + 1) * dim; k++) rows[k]! *= inv;
  }
  return { m, dim, rows };
}

export function matchLatents(a: MatchableDictionary, b: MatchableDictionary, candidates = 4): LatentMatch[] {
  const agents = Object.keys(a.decoders).filter((x) => b.decoders[x] && b.decoders[x].d === a.decoders[x]!.d);
  if (agents.length === 0) return [];
  const A = unitRows(a, agents);
  const B = unitRows(b, agents);
  const dim = A.dim;
  const pairs: LatentMatch[] = [];
  const best = new Float32Array(candidates);
  const bestIdx = new Int32Array(candidates);
  for (let i = 0; i < A.m; i++) {
    best.fill(-Infinity);
    bestIdx.fill(-1);
    const ai = i * dim;
    for (let j = 0; j < B.m; j++) {
      let s = 0;
      const bj = j * dim;
      for (let k = 0; k < dim; k++) s += A.rows[ai + k]! * B.rows[bj + k]!;
      if (s > best[candidates - 1]!) {
        let p = candidates - 1;
        while (p > 0 && best[p - 1]! < s) {
          best[p] = best[p - 1]!;
          bestIdx[p] = bestIdx[p - 1]!;
          p--;
        }
        best[p] = s;
        bestIdx[p] = j;
      }
    }
    for (let c = 0; c < candidates; c++) if (bestIdx[c]! >= 0) pairs.push({ a: i, b: bestIdx[c]!, cosine: best[c]! });
  }
  pairs.sort((p, q) => q.cosine - p.cosine);
  const usedA = new Uint8Array(A.m);
  const usedB = new Uint8Array(B.m);
  const out: LatentMatch[] = [];
  for (const p of pairs) {
    if (usedA[p.a] || usedB[p.b]) continue;
    usedA[p.a] = 1;
    usedB[p.b] = 1;
    out.push(p);
  }
  // Latents whose few best candidates were all taken: their best among the partners left,
  // so every latent of the smaller dictionary gets one.
  for (let i = 0; i < A.m && out.length < Math.min(A.m, B.m); i++) {
    if (usedA[i]) continue;
    let best = -Infinity;
    let bj = -1;
    for (let j = 0; j < B.m; j++) {
      if (usedB[j]) continue;
      let s = 0;
      for (let k = 0; k < dim; k++) s += A.rows[i * dim + k]! * B.rows[j * dim + k]!;
      if (s > best) [best, bj] = [s, j];
    }
    if (bj < 0) break;
    usedA[i] = 1;
    usedB[bj] = 1;
    out.push({ a: i, b: bj, cosine: best });
  }
  return out.sort((p, q) => q.cosine - p.cosine);
}
