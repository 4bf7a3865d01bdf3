// The memory of the sparse engine: parameters, Adam moments, the batch and what shards
// exchange each step, in one object of typed arrays. With worker threads they sit on
// SharedArrayBuffers that the main thread and every worker see; parameters of latent j
// (row j of Wᵀ_a and D_a, b_j) belong to the one shard whose latent range holds j.
import type { Arena } from '../kernels/arena.js';
import { BINS } from './radixSelect.js';

export interface SparseLayout {
  m: number;
  dims: number[];
  maxRows: number;
  /** Latent ranges of the shards: shard s owns [ranges[s], ranges[s + 1]). */
  ranges: number[];
  k: number;
  auxK: number;
  auxCoef: number;
  /** λ of the decoder-block penalty (config.ts BatchTopKFields.blockPenalty). */
  blockPenalty: number;
  clipNorm: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Per agent, 1 where latent j may decode into it (mode 'partitioned'), or null. */
  masks: (Float32Array | null)[];
}

export interface SparseBuffers {
  /** Barrier and command words (see sparseEngine.ts). */
  ctl: Int32Array;
  /** Step inputs [lr, t, rows, auxOn, Kaux, …] and per-shard results from SCALAR_BASE. */
  scal: Float64Array;
  x: Float32Array[];
  /** Encoder weights transposed, Wᵀ_a [m, d_a] (row j = latent j), and their Adam moments. */
  WT: Float32Array[];
  WTm: Float32Array[];
  WTv: Float32Array[];
  /** Decoder D_a [m, d_a] and its Adam moments. */
  D: Float32Array[];
  Dm: Float32Array[];
  Dv: Float32Array[];
  c: Float32Array[];
  cm: Float32Array[];
  cv: Float32Array[];
  b: Float32Array;
  bm: Float32Array;
  bv: Float32Array;
  dead: Uint8Array;
  fired: Float32Array;
  /** Per shard 4 histograms of BINS: main high, aux high, main low, aux low. */
  hist: Int32Array;
  /** Per shard and agent, the shard's part of the reconstruction [rows, d_a] (index s·N + a). */
  part: Float32Array[];
  auxPart: Float32Array[];
}

export const SCALAR_BASE = 16;
/** Scalars per shard: sumsq, –, penalty, –, then shard 0's loss and aux loss per agent (so at least 4 + 2N). */
export function scalarStride(agents: number): number {
  return Math.max(16, 4 + 2 * agents);
}
export const CTL_WORDS = 16;

export function shardCount(L: SparseLayout): number {
  return L.ranges.length - 1;
}

/** Splits m latents into `shards` contiguous ranges. */
export function latentRanges(m: number, shards: number): number[] {
  const out = [0];
  for (let s = 1; s <= shards; s++) out.push(Math.round((s * m) / shards));
  return out;
}

/** Everything in the arena's shared wasm memory (the kernels address it directly). */
export function allocBuffers(L: SparseLayout, arena: Arena): SparseBuffers {
  const S = shardCount(L);
  const N = L.dims.length;
  const f32 = (n: number) => arena.f32(n);
  const perAgent = (size: (d: number) => number) => L.dims.map((d) => f32(size(d)));
  const md = (d: number) => L.m * d;
  const scal = f32(2 * (SCALAR_BASE + S * scalarStride(N)));
  return {
    ctl: arena.i32(CTL_WORDS),
    scal: new Float64Array(scal.buffer, scal.byteOffset, SCALAR_BASE + S * scalarStride(N)),
    x: perAgent((d) => L.maxRows * d),
    WT: perAgent(md),
    WTm: perAgent(md),
    WTv: perAgent(md),
    D: perAgent(md),
    Dm: perAgent(md),
    Dv: perAgent(md),
    c: perAgent((d) => d),
    cm: perAgent((d) => d),
    cv: perAgent((d) => d),
    b: f32(L.m),
    bm: f32(L.m),
    bv: f32(L.m),
    dead: arena.u8(L.m),
    fired: f32(L.m),
    hist: arena.i32(S * 4 * BINS),
    part: Array.from({ length: S * N }, (_, i) => f32(L.maxRows * L.dims[i % N]!)),
    auxPart: Array.from({ length: S * N }, (_, i) => f32(L.maxRows * L.dims[i % N]!)),
  };
}
