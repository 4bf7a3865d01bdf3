// One shard of the sparse engine's step: the latents [j0, j1) of the dictionary, their
// encoder rows Wᵀ_a[j], decoder rows D_a[j], bias b_j and Adam state. The single-thread
// engine runs one shard over all latents; with worker threads each thread runs one shard
// and they meet at `sync()` barriers (5 per step) to merge selection histograms, the
// reconstruction and the gradient norm. Everything is written as flat loops over typed
// arrays with no allocation per step.
//
// Step: pre-activations preᵀ = Wᵀ_a·x̃_aᵀ (+ b) as one tensor matmul per agent, latent-major;
// norm-aware BatchTopK threshold by radix selection over the float bits of the scores;
// active entries as per-latent lists (CSC); the shard's part of the reconstruction; the
// residual gradient (every shard computes it from all parts); per latent, the decoder
// gradient, the code gradient and the encoder gradient over its active rows only; Adam.
import * as tf from '@tensorflow/tfjs';
import type { Arena } from '../kernels/arena.js';
import type { NativeGemm } from '../kernels/nativeGemm.js';
import { sparseKernels, type SparseKernels } from '../kernels/sparseKernels.js';
import { BINS, bitsToFloat, findHighBin, findThresholdBits } from './radixSelect.js';
import { SCALAR_BASE, scalarStride, shardCount, type SparseBuffers, type SparseLayout } from './sparseBuffers.js';

/** The values of a tensor without a copy where the backend allows it (wasm heap view). */
export function tensorView(t: tf.Tensor): Float32Array {
  const be = tf.backend() as unknown as { wasm?: { HEAPF32: Float32Array }; dataIdMap?: { get(id: object): { memoryOffset: number } } };
  if (be.wasm && be.dataIdMap) {
    const off = be.dataIdMap.get(t.dataId).memoryOffset;
    return new Float32Array(be.wasm.HEAPF32.buffer, off, t.size);
  }
  return t.dataSync() as Float32Array;
}

export type PhaseMs = Record<'encode' | 'score' | 'select' | 'decode' | 'backprop' | 'adam' | 'wait', number>;

export class SparseShard {
  readonly j0: number;
  readonly j1: number;
  readonly phaseMs: PhaseMs = { encode: 0, score: 0, select: 0, decode: 0, backprop: 0, adam: 0, wait: 0 };
  // Scratch: JavaScript-only arrays, and arrays in the shared arena that the kernels use.
  private readonly pre: Float32Array;
  private readonly preU: Uint32Array;
  private readonly score: Float32Array;
  private readonly y1: Float32Array;
  private readonly scoreU: Uint32Array;
  private readonly xT: Float32Array[];
  private readonly g: Float32Array[];
  private readonly gAux: Float32Array[];
  private readonly dz: Float32Array;
  private readonly w: Float32Array;
  private readonly gWT: Float32Array[];
  private readonly gD: Float32Array[];
  private readonly gb: Float32Array;
  private readonly gc: Float32Array[];
  private readonly col: Int32Array;
  private readonly auxCol: Int32Array;
  private rows: Int32Array;
  private vals: Float32Array;
  private auxRows: Int32Array;
  private auxVals: Float32Array;
  private readonly union: Int32Array;
  private readonly seen: Int32Array;
  private stamp = 0;
  private readonly merged = new Int32Array(BINS);
  private readonly K: SparseKernels;
  private cand: Int32Array;
  private nCand = 0;
  private candOverflow = true;
  private prevThrBits = -1;
  private mark = 0;

  constructor(
    private readonly L: SparseLayout,
    private readonly buf: SparseBuffers,
    readonly s: number,
    private readonly arena: Arena,
    /** Native kernels for the encoder product (null: the tfjs backend's matmul). */
    private readonly gemm: NativeGemm | null = null,
  ) {
    this.j0 = L.ranges[s]!;
    this.j1 = L.ranges[s + 1]!;
    const ms = this.j1 - this.j0;
    const B = L.maxRows;
    this.K = sparseKernels(arena.memory);
    this.pre = arena.f32(ms * B);
    this.preU = new Uint32Array(this.pre.buffer, this.pre.byteOffset, ms * B);
    this.score = arena.f32(ms * B);
    this.scoreU = new Uint32Array(this.score.buffer, this.score.byteOffset, ms * B);
    this.y1 = arena.f32(ms * B);
    this.xT = L.dims.map((d) => new Float32Array(B * d));
    this.g = L.dims.map((d) => arena.f32(B * d));
    this.gAux = L.dims.map((d) => arena.f32(B * d));
    this.dz = arena.f32(B);
    this.w = arena.f32(ms);
    this.gWT = L.dims.map((d) => arena.f32(ms * d));
    this.gD = L.dims.map((d) => arena.f32(ms * d));
    this.gb = arena.f32(ms);
    this.gc = L.dims.map((d) => arena.f32(d));
    this.col = new Int32Array(ms + 1);
    this.auxCol = new Int32Array(ms + 1);
    const cap = Math.ceil((2 * L.k * B * ms) / L.m) + 4 * B;
    this.rows = arena.i32(cap);
    this.vals = arena.f32(cap);
    this.auxRows = arena.i32(B);
    this.auxVals = arena.f32(B);
    this.union = arena.i32(2 * B);
    this.seen = new Int32Array(B);
    this.cand = arena.i32(Math.ceil((8 * L.k * B * ms) / L.m) + 4096);
  }

  private lap(phase: keyof PhaseMs): void {
    const now = performance.now();
    this.phaseMs[phase] += now - this.mark;
    this.mark = now;
  }

  /** One training step of this shard; `sync` is the barrier with the other shards. */
  step(sync: () => void): void {
    this.mark = performance.now();
    const barrier = () => {
      this.lap(this.pendingPhase);
      sync();
      this.lap('wait');
    };
    this.pendingPhase = 'encode';
    const { L, buf } = this;
    const B = buf.scal[2]!;
    const auxOn = buf.scal[3] === 1;
    const K = Math.max(1, Math.round(L.k * B));
    // Entries scoring below half the last threshold are not kept as candidates; if fewer
    // than K entries (over all shards) reach that cut, a full pass counts the rest.
    const prevBin = this.prevThrBits > 0 ? this.prevThrBits >>> 16 : 0;
    const cutBits = prevBin > 0x80 ? ((prevBin - 0x80) << 16) >>> 0 : 1;
    this.selectionWeights();
    this.encode(B, auxOn, cutBits);
    this.lap('score');
    this.pendingPhase = 'select';
    barrier();
    let full = false;
    if (cutBits > 1 && this.mergedTotal(0) < K) {
      full = true;
      this.fullHistogram(B);
      barrier();
    }
    const main = this.lowHistogram(B, K, 0, 2, this.scoreU, null, full || this.candOverflow ? null : this.cand.subarray(0, this.nCand));
    const aux = auxOn ? this.lowHistogram(B, buf.scal[4]!, 1, 3, this.preU, buf.dead, null) : null;
    barrier();
    const thrBits = this.threshold(main, 2);
    const auxBits = aux ? this.threshold(aux, 3) : -1;
    this.prevThrBits = thrBits;
    const slot = SCALAR_BASE + this.s * scalarStride(this.L.dims.length);
    buf.scal[slot + 1] = thrBits < 0 ? Infinity : bitsToFloat(thrBits);
    if (full || this.candOverflow) this.activeLists(B, thrBits, this.scoreU, null, this.col, 'main');
    else this.candidateLists(B, thrBits);
    if (auxOn) this.activeLists(B, auxBits, this.preU, buf.dead, this.auxCol, 'aux');
    this.lap('select');
    this.pendingPhase = 'decode';
    this.partialDecode(B, auxOn);
    barrier();
    this.residualGradient(B, auxOn);
    this.lap('decode');
    this.pendingPhase = 'backprop';
    this.backprop(B, auxOn);
    barrier();
    this.adam();
    this.lap('adam');
  }

  private pendingPhase: keyof PhaseMs = 'encode';

  // 1. preᵀ[j, r] = b_j + Σ_a (Wᵀ_a · x̃_aᵀ)[j, r], summed in agent order like the dense engine.
  private encode(B: number, auxOn: boolean, cut: number): void {
    const { buf, j0, j1 } = this;
    const ms = j1 - j0;
    const pre = this.pre;
    if (this.gemm) this.nativeProducts(B, ms);
    else this.tfjsProducts(B, ms);
    this.lap('encode');
    const base = this.s * 4 * BINS;
    const hm = buf.hist.subarray(base, base + BINS);
    const ha = buf.hist.subarray(base + BINS, base + 2 * BINS);
    hm.fill(0);
    ha.fill(0);
    const cand = this.cand;
    // One SIMD pass over both products: pre = (b + y₀) + y₁, scores, the high-bit histogram
    // and the candidates above the cut.
    const count = this.K.scorePass(pre.byteOffset, this.y1.byteOffset, this.score.byteOffset, buf.b.byteOffset + 4 * j0, this.w.byteOffset, ms, B, cut, hm.byteOffset, cand.byteOffset, cand.length);
    this.candOverflow = count > cand.length;
    this.nCand = Math.min(count, cand.length);
    // Keep the candidate list large enough for the next step when the cut kept many.
    if (this.candOverflow && cut > 1) this.cand = this.arena.i32(count + (count >> 2));
    if (auxOn) {
      const dead = buf.dead;
      const preU = this.preU;
      for (let jl = 0; jl < ms; jl++) {
        if (dead[j0 + jl] !== 1) continue;
        for (let o = jl * B, e = o + B; o < e; o++) {
          const u = preU[o]!;
          if (u !== 0 && u <= 0x7f800000) ha[u >>> 16]!++;
        }
      }
    }
  }

  /** preᵀ = Wᵀ_0·x̃_0ᵀ into `pre` and the other agents' sum into `y1`, on the tfjs backend. */
  private tfjsProducts(B: number, ms: number): void {
    const { L, buf, j0, j1 } = this;
    const pre = this.pre;
    L.dims.forEach((d, a) => {
      const x = buf.x[a]!;
      const xT = this.xT[a]!;
      for (let r0 = 0; r0 < B; r0 += 32) {
        const r1 = Math.min(B, r0 + 32);
        for (let i0 = 0; i0 < d; i0 += 32) {
          const i1 = Math.min(d, i0 + 32);
          for (let r = r0; r < r1; r++) for (let i = i0; i < i1; i++) xT[i * B + r] = x[r * d + i]!;
        }
      }
    });
    const ys = L.dims.map((d, a) =>
      tf.tidy(() => tf.matMul(tf.tensor2d(buf.WT[a]!.subarray(j0 * d, j1 * d), [ms, d]), tf.tensor2d(this.xT[a]!.subarray(0, d * B), [d, B]))),
    );
    // Both products into the arena (a memcpy each).
    const n = ms * B;
    const views = ys.map(tensorView);
    pre.set(views[0]!.subarray(0, n));
    const y1 = this.y1;
    if (views.length > 1) {
      y1.set(views[1]!.subarray(0, n));
      for (let a = 2; a < views.length; a++) {
        const y = views[a]!;
        for (let o = 0; o < n; o++) y1[o] = y1[o]! + y[o]!;
      }
    } else y1.fill(0, 0, n);
    ys.forEach((y) => y.dispose());
  }

  /** The same products on native kernels: Wᵀ_a [ms, d]·(x̃_a [B, d])ᵀ, no transpose needed. */
  private nativeProducts(B: number, ms: number): void {
    const { L, buf, j0, j1 } = this;
    const gemm = this.gemm!;
    const n = ms * B;
    L.dims.forEach((d, a) => {
      const W = buf.WT[a]!.subarray(j0 * d, j1 * d);
      if (a < 2) gemm.run(W, buf.x[a]!, a === 0 ? this.pre : this.y1, ms, B, d);
      else {
        if (this.extra.length < n) this.extra = new Float32Array(n);
        const t = this.extra;
        gemm.run(W, buf.x[a]!, t, ms, B, d);
        const y1 = this.y1;
        for (let o = 0; o < n; o++) y1[o] = y1[o]! + t[o]!;
      }
    });
    if (L.dims.length === 1) this.y1.fill(0, 0, n);
  }

  /** The third and later agents' products before they are added into y1. */
  private extra = new Float32Array(0);

  /** Σ_a ‖D_a[j]‖ over the shard's latents (the norm-aware selection weights). */
  private selectionWeights(): void {
    const { L, buf, j0, j1, w } = this;
    const ms = j1 - j0;
    w.fill(0);
    L.dims.forEach((d, a) => {
      const D = buf.D[a]!;
      for (let jl = 0; jl < ms; jl++) {
        let s = 0;
        for (let i = (j0 + jl) * d, e = i + d; i < e; i++) s += D[i]! * D[i]!;
        w[jl]! += Math.sqrt(s + 1e-10);
      }
    });
  }

  private mergedTotal(which: number): number {
    const S = shardCount(this.L);
    let total = 0;
    for (let s = 0; s < S; s++) {
      const o = s * 4 * BINS + which * BINS;
      for (let h = 0; h < BINS; h++) total += this.buf.hist[o + h]!;
    }
    return total;
  }

  /** The main high-bit histogram over every positive score (when the cut kept too few). */
  private fullHistogram(B: number): void {
    const base = this.s * 4 * BINS;
    const hm = this.buf.hist.subarray(base, base + BINS);
    hm.fill(0);
    const su = this.scoreU;
    for (let o = 0, e = (this.j1 - this.j0) * B; o < e; o++) {
      const u = su[o]!;
      if (u !== 0) hm[u >>> 16]!++;
    }
  }

  // 3. Low-bit histogram of the members of the high bin holding the K-th largest.
  private lowHistogram(B: number, K: number, hi: number, lo: number, bits: Uint32Array, only: Uint8Array | null, cands: Int32Array | null) {
    const { buf, j0, j1 } = this;
    const S = shardCount(this.L);
    const merged = this.merged;
    const stride = 4 * BINS;
    merged.fill(0);
    for (let s = 0; s < S; s++) {
      const o = s * stride + hi * BINS;
      for (let h = 0; h < BINS; h++) merged[h]! += buf.hist[o + h]!;
    }
    const found = findHighBin(merged, K);
    const base = this.s * stride + lo * BINS;
    const low = buf.hist.subarray(base, base + BINS);
    low.fill(0);
    if (found.bin < 0) return found;
    const bin = found.bin;
    if (cands) {
      for (let c = 0; c < cands.length; c++) {
        const u = bits[cands[c]!]!;
        if (u >>> 16 === bin) low[u & 0xffff]!++;
      }
      return found;
    }
    for (let jl = 0; jl < j1 - j0; jl++) {
      if (only && only[j0 + jl] !== 1) continue;
      for (let o = jl * B, e = o + B; o < e; o++) {
        const u = bits[o]!;
        if (u >>> 16 === bin && u !== 0) low[u & 0xffff]!++;
      }
    }
    return found;
  }

  /** Active lists from the candidates (ascending positions, so already latent-major). */
  private candidateLists(B: number, thr: number): void {
    const ms = this.j1 - this.j0;
    const cand = this.cand;
    const nc = this.nCand;
    if (this.rows.length < nc) {
      this.rows = this.arena.i32(nc + (nc >> 2));
      this.vals = this.arena.f32(this.rows.length);
    }
    const rows = this.rows;
    const vals = this.vals;
    const col = this.col;
    const su = this.scoreU;
    const pre = this.pre;
    let n = 0;
    let jcur = 0;
    col[0] = 0;
    if (thr >= 0) {
      for (let c = 0; c < nc; c++) {
        const o = cand[c]!;
        if (su[o]! < thr) continue;
        const jl = (o / B) | 0;
        while (jcur < jl) col[++jcur] = n;
        rows[n] = o - jl * B;
        vals[n++] = pre[o]!;
      }
    }
    while (jcur < ms) col[++jcur] = n;
    const fired = this.buf.fired;
    for (let jl = 0; jl < ms; jl++) fired[this.j0 + jl] = col[jl + 1]! - col[jl]!;
  }

  private threshold(found: { bin: number; need: number }, lo: number): number {
    if (found.bin < 0) return -1;
    const S = shardCount(this.L);
    const merged = this.merged;
    merged.fill(0);
    for (let s = 0; s < S; s++) {
      const o = s * 4 * BINS + lo * BINS;
      for (let h = 0; h < BINS; h++) merged[h]! += this.buf.hist[o + h]!;
    }
    return findThresholdBits(found.bin, found.need, merged);
  }

  // 4. Per latent, the rows where it is active (score bits ≥ threshold bits, positive).
  private activeLists(B: number, thr: number, bits: Uint32Array, only: Uint8Array | null, col: Int32Array, which: 'main' | 'aux'): void {
    const { j0, j1 } = this;
    const ms = j1 - j0;
    let rows = which === 'main' ? this.rows : this.auxRows;
    let vals = which === 'main' ? this.vals : this.auxVals;
    const pre = this.pre;
    let n = 0;
    col[0] = 0;
    for (let jl = 0; jl < ms; jl++) {
      if (thr >= 0 && (!only || only[j0 + jl] === 1)) {
        if (rows.length < n + B) {
          // Rare (ties at the threshold, or many dead latents): a larger list in the arena.
          const nr = this.arena.i32(Math.max(2 * rows.length, n + B));
          nr.set(rows.subarray(0, n));
          rows = nr;
          const nv = this.arena.f32(nr.length);
          nv.set(vals.subarray(0, n));
          vals = nv;
        }
        for (let r = 0, o = jl * B; r < B; r++, o++) {
          const u = bits[o]!;
          if (u >= thr && u !== 0 && u <= 0x7f800000) {
            rows[n] = r;
            vals[n++] = pre[o]!;
          }
        }
      }
      col[jl + 1] = n;
    }
    if (which === 'main') {
      this.rows = rows;
      this.vals = vals;
      const fired = this.buf.fired;
      for (let jl = 0; jl < ms; jl++) fired[j0 + jl] = col[jl + 1]! - col[jl]!;
    } else {
      this.auxRows = rows;
      this.auxVals = vals;
    }
  }

  // 5. This shard's part of x̂_a (shard 0 starts from the bias c_a) and of the aux ê_a.
  private partialDecode(B: number, auxOn: boolean): void {
    const { L, buf, j0, j1 } = this;
    const N = L.dims.length;
    for (let a = 0; a < N; a++) {
      const d = L.dims[a]!;
      const D = buf.D[a]!;
      const mask = L.masks[a] ?? null;
      const part = buf.part[this.s * N + a]!;
      if (this.s === 0) {
        const c = buf.c[a]!;
        for (let r = 0; r < B; r++) part.set(c, r * d);
      } else part.fill(0, 0, B * d);
      this.scatter(part, D, d, mask, this.col, this.rows, this.vals, j0, j1);
      if (auxOn) {
        const ap = buf.auxPart[this.s * N + a]!;
        ap.fill(0, 0, B * d);
        this.scatter(ap, D, d, mask, this.auxCol, this.auxRows, this.auxVals, j0, j1);
      }
    }
  }

  private scatter(out: Float32Array, D: Float32Array, d: number, mask: Float32Array | null, col: Int32Array, rows: Int32Array, vals: Float32Array, j0: number, j1: number): void {
    const K = this.K;
    const o = out.byteOffset;
    const rp = rows.byteOffset;
    const vp = vals.byteOffset;
    for (let jl = 0; jl < j1 - j0; jl++) {
      const j = j0 + jl;
      if (mask && mask[j] === 0) continue;
      const p0 = col[jl]!;
      const p1 = col[jl + 1]!;
      if (p1 > p0) K.axpyRows(o, D.byteOffset + 4 * j * d, d, rp, vp, p0, p1);
    }
  }

  // 6. Residual gradients g_a = 2(x̂_a − x̃_a)/(B d_a) (and the aux one); losses and ∂c on shard 0.
  private residualGradient(B: number, auxOn: boolean): void {
    const { L, buf } = this;
    const N = L.dims.length;
    const S = shardCount(L);
    const slot = SCALAR_BASE + this.s * scalarStride(this.L.dims.length);
    for (let a = 0; a < N; a++) {
      const d = L.dims[a]!;
      const x = buf.x[a]!;
      const g = this.g[a]!;
      const gAux = this.gAux[a]!;
      const scale = 2 / (B * d);
      const auxScale = scale * L.auxCoef;
      const p0 = buf.part[a]!;
      const p1 = S > 1 ? buf.part[N + a]! : p0;
      let loss = 0;
      let lossAux = 0;
      const n = B * d;
      for (let o = 0; o < n; o++) {
        let xh = p0[o]!;
        if (S > 1) {
          xh = Math.fround(xh + p1[o]!);
          for (let s = 2; s < S; s++) xh = Math.fround(xh + buf.part[s * N + a]![o]!);
        }
        const diff = xh - x[o]!;
        loss += diff * diff;
        g[o] = scale * diff;
        if (auxOn) {
          const e = Math.fround(x[o]! - xh);
          let eh = buf.auxPart[a]![o]!;
          for (let s = 1; s < S; s++) eh = Math.fround(eh + buf.auxPart[s * N + a]![o]!);
          const da = Math.fround(eh - e);
          lossAux += da * da;
          gAux[o] = da * auxScale;
        }
      }
      if (this.s === 0) {
        const gc = this.gc[a]!;
        gc.fill(0);
        for (let r = 0; r < B; r++) for (let i = 0, o = r * d; i < d; i++, o++) gc[i]! += g[o]!;
        buf.scal[slot + 4 + a] = loss / (B * d);
        buf.scal[slot + 4 + N + a] = (L.auxCoef * lossAux) / (B * d);
      }
    }
  }

  // 7. Per latent j of the shard: ∂D_a[j] = Σ_r v_rj g_a[r]; ∂pre[r,j] = Σ_a g_a[r]·D_a[j];
  //    ∂Wᵀ_a[j] = Σ_r ∂pre[r,j] x̃_a[r]; ∂b_j = Σ_r ∂pre[r,j] — over its active rows only.
  private backprop(B: number, auxOn: boolean): void {
    const { L, buf, j0, j1, K } = this;
    const N = L.dims.length;
    const dz = this.dz;
    const dzp = dz.byteOffset;
    const seen = this.seen;
    const union = this.union;
    const lambda = L.blockPenalty;
    let penalty = 0;
    let sumsq = 0;
    for (let jl = 0; jl < j1 - j0; jl++) {
      const j = j0 + jl;
      const p0 = this.col[jl]!;
      const p1 = this.col[jl + 1]!;
      const q0 = auxOn ? this.auxCol[jl]! : 0;
      const q1 = auxOn ? this.auxCol[jl + 1]! : 0;
      if (p0 === p1 && q0 === q1) continue;
      // Decoder-block penalty λ/B·Σ_r v_rj·Σ_a ‖D_a[j]‖/√d_a over the main active rows.
      let vsum = 0;
      if (lambda > 0) for (let p = p0; p < p1; p++) vsum += this.vals[p]!;
      let wj = 0;
      for (let a = 0; a < N; a++) {
        const mask = L.masks[a];
        if (mask && mask[j] === 0) continue;
        const d = L.dims[a]!;
        const Dp = buf.D[a]!.byteOffset + 4 * j * d;
        const gDp = this.gD[a]!.byteOffset + 4 * jl * d;
        if (p1 > p0) K.codeGrad(this.g[a]!.byteOffset, Dp, gDp, d, this.rows.byteOffset, this.vals.byteOffset, p0, p1, dzp);
        if (q1 > q0) K.codeGrad(this.gAux[a]!.byteOffset, Dp, gDp, d, this.auxRows.byteOffset, this.auxVals.byteOffset, q0, q1, dzp);
        if (lambda > 0 && p1 > p0) {
          const D = buf.D[a]!;
          const gD = this.gD[a]!;
          let nn = 0;
          for (let i = 0, o = j * d; i < d; i++, o++) nn += D[o]! * D[o]!;
          const norm = Math.sqrt(nn);
          if (norm > 0) {
            const rs = 1 / Math.sqrt(d);
            wj += norm * rs;
            const coef = (lambda * vsum * rs) / (B * norm);
            for (let i = 0, o = j * d, g = jl * d; i < d; i++, o++, g++) gD[g] = Math.fround(gD[g]! + coef * D[o]!);
          }
        }
        sumsq += K.sumsq(gDp, d);
      }
      if (lambda > 0 && p1 > p0) {
        penalty += (lambda * vsum * wj) / B;
        const gz = Math.fround((lambda * wj) / B);
        for (let p = p0; p < p1; p++) {
          const r = this.rows[p]!;
          dz[r] = Math.fround(dz[r]! + gz);
        }
      }
      // The encoder gradient visits each active row once: the main list, plus the aux rows
      // not in it.
      let list = this.rows.byteOffset + 4 * p0;
      let n = p1 - p0;
      let rows = this.rows;
      let r0 = p0;
      if (q1 > q0) {
        const st = ++this.stamp;
        n = 0;
        for (let p = p0; p < p1; p++) {
          const r = this.rows[p]!;
          seen[r] = st;
          union[n++] = r;
        }
        for (let p = q0; p < q1; p++) {
          const r = this.auxRows[p]!;
          if (seen[r] !== st) union[n++] = r;
        }
        list = union.byteOffset;
        rows = union;
        r0 = 0;
      }
      for (let a = 0; a < N; a++) {
        const d = L.dims[a]!;
        const gWp = this.gWT[a]!.byteOffset + 4 * jl * d;
        K.encGrad(buf.x[a]!.byteOffset, gWp, d, list, n, dzp);
        sumsq += K.sumsq(gWp, d);
      }
      let gbj = 0;
      for (let p = r0, e = r0 + n; p < e; p++) {
        const r = rows[p]!;
        gbj += dz[r]!;
        dz[r] = 0;
      }
      this.gb[jl] = gbj;
      sumsq += this.gb[jl]! * this.gb[jl]!;
    }
    if (this.s === 0) for (const gc of this.gc) sumsq += K.sumsq(gc.byteOffset, gc.length);
    buf.scal[SCALAR_BASE + this.s * scalarStride(this.L.dims.length)] = sumsq;
    buf.scal[SCALAR_BASE + this.s * scalarStride(this.L.dims.length) + 2] = penalty;
  }

  // 8. Global-norm clipping and Adam over the shard's parameters (shard 0 also c_a).
  private adam(): void {
    const { L, buf, j0, j1 } = this;
    const S = shardCount(L);
    let sq = 0;
    for (let s = 0; s < S; s++) sq += buf.scal[SCALAR_BASE + s * scalarStride(this.L.dims.length)]!;
    const gnorm = Math.sqrt(sq);
    buf.scal[5] = gnorm;
    const clip = L.clipNorm > 0 ? Math.min(1, L.clipNorm / (gnorm + 1e-12)) : 1;
    const t = buf.scal[1]!;
    const lr = buf.scal[0]!;
    const c1 = 1 - L.beta1 ** t;
    const c2 = 1 - L.beta2 ** t;
    const K = this.K;
    const b1 = L.beta1;
    const b2 = L.beta2;
    const run = (p: Float32Array, m: Float32Array, v: Float32Array, g: Float32Array, from: number, to: number) =>
      K.adam(p.byteOffset + 4 * from, m.byteOffset + 4 * from, v.byteOffset + 4 * from, g.byteOffset, to - from, clip, lr / c1, c2, b1, 1 - b1, b2, 1 - b2, L.eps);
    L.dims.forEach((d, a) => {
      run(buf.WT[a]!, buf.WTm[a]!, buf.WTv[a]!, this.gWT[a]!, j0 * d, j1 * d);
      run(buf.D[a]!, buf.Dm[a]!, buf.Dv[a]!, this.gD[a]!, j0 * d, j1 * d);
    });
    run(buf.b, buf.bm, buf.bv, this.gb, j0, j1);
    if (this.s === 0) L.dims.forEach((d, a) => run(buf.c[a]!, buf.cm[a]!, buf.cv[a]!, this.gc[a]!, 0, d));
  }
}
