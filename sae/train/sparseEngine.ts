// The sparse engine for BatchTopK modes (batchtopk, partitioned): the encoder forward x̃W
// runs as one dense tensor matmul per agent (every pre-activation is needed for the
// selection), while the decoder, its gradient, the code's gradient and the encoder's
// gradient touch only the k active latents of each row, in plain loops over row-major
// Float32Arrays: ≈ 2·d·m + 8·k·d FLOPs per row and agent instead of 10·d·m. Same loss, same Adam and clipping as the dense engine (test: one step agrees).
import * as tf from '@tensorflow/tfjs';
import type { ResolvedSaeConfig } from '../config.js';
import { tidyData } from '../model/ops.js';
import { decoderRowMask, type ParamSet } from '../model/params.js';
import type { StepStats, TrainEngine } from './engine.js';
import { kthLargest } from './kthLargest.js';

export function sparseSupported(cfg: ResolvedSaeConfig): boolean {
  return cfg.mode === 'batchtopk' || cfg.mode === 'partitioned';
}

interface Adam {
  m: Float32Array;
  v: Float32Array;
}

export class SparseEngine implements TrainEngine {
  readonly kind = 'sparse' as const;
  private readonly m: number;
  private readonly k: number;
  private readonly ids: string[];
  private readonly dims: number[];
  private readonly masks: (Float32Array | null)[];
  // All parameters and Adam moments live in JS arrays; the encoder weights are uploaded to
  // the tensor backend for the one dense matmul per step (keeps the wasm heap small: at
  // 2×2048→16384 the encoder's Adam temporaries on the backend exhausted its 4 GB heap).
  private encW: Float32Array[] = [];
  private encAdam: Adam[] = [];
  private b!: Float32Array;
  private bAdam!: Adam;
  private D: Float32Array[] = [];
  private DAdam: Adam[] = [];
  private c: Float32Array[] = [];
  private cAdam: Adam[] = [];
  private _t = 0;
  // Scratch buffers reused across steps.
  private scratch = new Float32Array(0);
  private score = new Float32Array(0);
  private dpre = new Float32Array(0);
  private used = new Uint8Array(0);
  /** Milliseconds spent per phase since construction (for benchmarks). */
  readonly phaseMs: Record<string, number> = { encode: 0, select: 0, decode: 0, encoderGrad: 0, adam: 0 };
  private mark = 0;
  private lap(phase: string): void {
    const now = performance.now();
    this.phaseMs[phase] = (this.phaseMs[phase] ?? 0) + now - this.mark;
    this.mark = now;
  }

  constructor(
    private readonly cfg: ResolvedSaeConfig,
    params: ParamSet,
  ) {
    if (!sparseSupported(cfg)) throw new Error(`sparse engine: mode ${cfg.mode} is not supported`);
    this.m = cfg.latents;
    this.k = (cfg as { k: number }).k;
    this.ids = cfg.agents.map((a) => a.id);
    this.dims = cfg.agents.map((a) => a.dim);
    this.masks = cfg.agents.map((_, a) => decoderRowMask(cfg, a));
    this.load(params, null, 0);
  }

  get t(): number {
    return this._t;
  }

  load(params: ParamSet, opt: ParamSet | null, t: number): void {
    const get = (n: string) => params[n]!.data as Float32Array;
    const adam = (n: string, size: number): Adam => ({
      m: opt?.[`adam.m.${n}`] ? (opt[`adam.m.${n}`]!.data as Float32Array).slice() : new Float32Array(size),
      v: opt?.[`adam.v.${n}`] ? (opt[`adam.v.${n}`]!.data as Float32Array).slice() : new Float32Array(size),
    });
    this.encW = this.ids.map((id) => get(`enc.${id}.W`).slice());
    this.encAdam = this.ids.map((id, a) => adam(`enc.${id}.W`, this.dims[a]! * this.m));
    this.b = get('enc.b').slice();
    this.bAdam = adam('enc.b', this.m);
    this.D = this.ids.map((id) => get(`dec.${id}.W`).slice());
    this.DAdam = this.ids.map((id, a) => adam(`dec.${id}.W`, this.m * this.dims[a]!));
    this.c = this.ids.map((id) => get(`dec.${id}.b`).slice());
    this.cAdam = this.ids.map((id, a) => adam(`dec.${id}.b`, this.dims[a]!));
    this._t = t;
  }

  step(xs: Float32Array[], rows: number, lr: number, dead: Uint8Array | null): StepStats {
    const cfg = this.cfg;
    const m = this.m;
    const B = rows;
    const N = this.ids.length;
    this._t++;
    if (this.score.length < B * m) {
      this.score = new Float32Array(B * m);
      this.scratch = new Float32Array(B * m);
      this.dpre = new Float32Array(B * m);
    }
    this.mark = performance.now();
    // 1. Encoder forward on the tensor backend.
    const xT = xs.map((x, a) => tf.tensor2d(x, [B, this.dims[a]!]));
    const pre = tidyData(() => {
      let p: tf.Tensor = tf.tensor1d(this.b);
      xT.forEach((x, a) => (p = tf.add(p, tf.matMul(x, tf.tensor2d(this.encW[a]!, [this.dims[a]!, m])))));
      return p;
    });
    this.lap('encode');
    // 2. Norm-aware BatchTopK: keep the k·B largest relu(pre_j)·Σ_a‖D_a[j]‖.
    const w = new Float32Array(m);
    this.ids.forEach((_, a) => {
      const d = this.dims[a]!;
      const D = this.D[a]!;
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let i = j * d, e = i + d; i < e; i++) s += D[i]! * D[i]!;
        w[j]! += Math.sqrt(s + 1e-10);
      }
    });
    const score = this.score.subarray(0, B * m);
    for (let r = 0, o = 0; r < B; r++) for (let j = 0; j < m; j++, o++) score[o] = pre[o]! > 0 ? pre[o]! * w[j]! : 0;
    const K = Math.max(1, Math.round(this.k * B));
    const thr = kthLargest(score, K, this.scratch);
    const act = this.activeLists(pre, score, thr, null, B);
    // Auxiliary-k over dead latents.
    let aux: ReturnType<SparseEngine['activeLists']> | null = null;
    const nDead = dead ? dead.reduce((s, x) => s + x, 0) : 0;
    if (dead && nDead > 0 && cfg.auxK > 0 && cfg.auxCoef > 0) {
      for (let r = 0, o = 0; r < B; r++) for (let j = 0; j < m; j++, o++) score[o] = dead[j] && pre[o]! > 0 ? pre[o]! : 0;
      const Ka = Math.min(cfg.auxK, nDead) * B;
      aux = this.activeLists(pre, score, kthLargest(score, Ka, this.scratch), dead, B);
    }
    this.lap('select');
    // 3. Sparse decode, loss and gradients (JS).
    const dpre = this.dpre.subarray(0, B * m);
    dpre.fill(0);
    const recon: number[] = [];
    let auxLoss = 0;
    const gD = this.dims.map((d) => new Float32Array(m * d));
    const gc = this.dims.map((d) => new Float32Array(d));
    const xhat = new Float32Array(Math.max(...this.dims));
    const g = new Float32Array(Math.max(...this.dims));
    for (let a = 0; a < N; a++) {
      const d = this.dims[a]!;
      const D = this.D[a]!;
      const c = this.c[a]!;
      const mask = this.masks[a] ?? null;
      const x = xs[a]!;
      const scale = 2 / (B * d);
      let loss = 0;
      let lossAux = 0;
      const gDa = gD[a]!;
      const gca = gc[a]!;
      for (let r = 0; r < B; r++) {
        const xo = r * d;
        for (let i = 0; i < d; i++) xhat[i] = c[i]!;
        for (let p = act.offsets[r]!; p < act.offsets[r + 1]!; p++) {
          const j = act.idx[p]!;
          if (mask && mask[j] === 0) continue;
          const v = act.val[p]!;
          const Do = j * d;
          for (let i = 0; i < d; i++) xhat[i]! += v * D[Do + i]!;
        }
        for (let i = 0; i < d; i++) {
          const diff = xhat[i]! - x[xo + i]!;
          loss += diff * diff;
          g[i] = scale * diff;
          gca[i]! += g[i]!;
        }
        this.backprop(act, r, g, D, gDa, dpre, mask, d);
        if (aux) {
          // e = x − x̂ (detached); ê = Σ v D[j]; loss coef·‖ê − e‖²/(B d).
          for (let i = 0; i < d; i++) xhat[i] = x[xo + i]! - xhat[i]!;
          for (let i = 0; i < d; i++) g[i] = -xhat[i]!;
          for (let p = aux.offsets[r]!; p < aux.offsets[r + 1]!; p++) {
            const j = aux.idx[p]!;
            if (mask && mask[j] === 0) continue;
            const v = aux.val[p]!;
            const Do = j * d;
            for (let i = 0; i < d; i++) g[i]! += v * D[Do + i]!;
          }
          for (let i = 0; i < d; i++) {
            lossAux += g[i]! * g[i]!;
            g[i]! *= scale * cfg.auxCoef;
          }
          this.backprop(aux, r, g, D, gDa, dpre, mask, d);
        }
      }
      recon.push(loss / (B * d));
      auxLoss += (cfg.auxCoef * lossAux) / (B * d);
    }
    const gb = new Float32Array(m);
    for (let r = 0, o = 0; r < B; r++) for (let j = 0; j < m; j++, o++) gb[j]! += dpre[o]!;
    this.lap('decode');
    // 4. Encoder gradient over active entries only: ∂W_a[:, j] = Σ_r ∂pre[r, j] x̃_a[r], accumulated
    //    row-contiguous as ∂W_aᵀ [m, d] and transposed once; then clipping and Adam.
    const used = this.used.length >= B * m ? this.used : (this.used = new Uint8Array(B * m));
    const gW = this.dims.map((d, a) => {
      const gt = new Float32Array(m * d);
      const x = xs[a]!;
      const visit = (lists: { offsets: Int32Array; idx: Int32Array }, r: number, mark: boolean) => {
        for (let p = lists.offsets[r]!; p < lists.offsets[r + 1]!; p++) {
          const o = r * m + lists.idx[p]!;
          if (used[o]) continue;
          if (mark) used[o] = 1;
          const gv = dpre[o]!;
          if (gv === 0) continue;
          const row = lists.idx[p]! * d;
          const xo = r * d;
          for (let i = 0; i < d; i++) gt[row + i]! += gv * x[xo + i]!;
        }
      };
      for (let r = 0; r < B; r++) {
        visit(act, r, true);
        if (aux) visit(aux, r, false);
        for (let p = act.offsets[r]!; p < act.offsets[r + 1]!; p++) used[r * m + act.idx[p]!] = 0;
      }
      const G = new Float32Array(d * m);
      for (let j0 = 0; j0 < m; j0 += 64) {
        const j1 = Math.min(m, j0 + 64);
        for (let i = 0; i < d; i++) for (let j = j0; j < j1; j++) G[i * m + j] = gt[j * d + i]!;
      }
      return G;
    });
    let sq = 0;
    for (const G of [...gD, ...gc, gb, ...gW]) for (let i = 0; i < G.length; i++) sq += G[i]! * G[i]!;
    const gnorm = Math.sqrt(sq);
    this.lap('encoderGrad');
    const clip = cfg.clipNorm > 0 ? Math.min(1, cfg.clipNorm / (gnorm + 1e-12)) : 1;
    const c1 = 1 - cfg.beta1 ** this._t;
    const c2 = 1 - cfg.beta2 ** this._t;
    const adam = (p: Float32Array, G: Float32Array, s: Adam) => {
      const b1 = cfg.beta1;
      const b2 = cfg.beta2;
      const eps = cfg.eps;
      const lr1 = lr / c1;
      for (let i = 0; i < p.length; i++) {
        const gi = G[i]! * clip;
        const mi = (s.m[i] = Math.fround(b1 * s.m[i]! + (1 - b1) * gi));
        const vi = (s.v[i] = Math.fround(b2 * s.v[i]! + (1 - b2) * gi * gi));
        p[i]! -= (lr1 * mi) / (Math.sqrt(vi / c2) + eps);
      }
    };
    this.encW.forEach((W, a) => adam(W, gW[a]!, this.encAdam[a]!));
    adam(this.b, gb, this.bAdam);
    this.D.forEach((D, a) => adam(D, gD[a]!, this.DAdam[a]!));
    this.c.forEach((c, a) => adam(c, gc[a]!, this.cAdam[a]!));
    xT.forEach((t) => t.dispose());
    this.lap('adam');
    const fired = new Float32Array(m);
    for (let p = 0; p < act.idx.length; p++) fired[act.idx[p]!]!++;
    const total = recon.reduce((s, x) => s + x, 0) + auxLoss;
    return { loss: total, recon, aux: auxLoss, penalty: 0, l0: act.idx.length / B, threshold: thr, fired, gradNorm: gnorm };
  }

  /** dD[j] += v·g; ∂pre[r,j] += g·D[j] over the row's active latents. */
  private backprop(
    act: { offsets: Int32Array; idx: Int32Array; val: Float32Array },
    r: number,
    g: Float32Array,
    D: Float32Array,
    gD: Float32Array,
    dpre: Float32Array,
    mask: Float32Array | null,
    d: number,
  ): void {
    const m = this.m;
    for (let p = act.offsets[r]!; p < act.offsets[r + 1]!; p++) {
      const j = act.idx[p]!;
      if (mask && mask[j] === 0) continue;
      const v = act.val[p]!;
      const Do = j * d;
      let dz = 0;
      for (let i = 0; i < d; i++) {
        gD[Do + i]! += v * g[i]!;
        dz += g[i]! * D[Do + i]!;
      }
      dpre[r * m + j]! += dz;
    }
  }

  /** Per row, the latents with score ≥ thr (and pre > 0): CSR lists of index and relu(pre). */
  private activeLists(pre: Float32Array, score: Float32Array, thr: number, only: Uint8Array | null, B: number) {
    const m = this.m;
    let n = 0;
    for (let o = 0; o < B * m; o++) if (score[o]! >= thr && score[o]! > 0) n++;
    const offsets = new Int32Array(B + 1);
    const idx = new Int32Array(n);
    const val = new Float32Array(n);
    let p = 0;
    for (let r = 0; r < B; r++) {
      for (let j = 0, o = r * m; j < m; j++, o++) {
        if (score[o]! >= thr && score[o]! > 0 && (!only || only[j])) {
          idx[p] = j;
          val[p++] = pre[o]!;
        }
      }
      offsets[r + 1] = p;
    }
    return { offsets, idx: idx.subarray(0, p), val: val.subarray(0, p) };
  }

  params(): ParamSet {
    const out: ParamSet = { 'enc.b': { data: this.b.slice(), shape: [this.m] } };
    this.ids.forEach((id, a) => {
      const d = this.dims[a]!;
      out[`enc.${id}.W`] = { data: this.encW[a]!.slice(), shape: [d, this.m] };
      out[`dec.${id}.W`] = { data: this.D[a]!.slice(), shape: [this.m, d] };
      out[`dec.${id}.b`] = { data: this.c[a]!.slice(), shape: [d] };
    });
    return out;
  }

  optimizerState(): ParamSet {
    const out: ParamSet = {};
    const put = (n: string, s: { m: Float32Array; v: Float32Array }, shape: number[]) => {
      out[`adam.m.${n}`] = { data: s.m.slice(), shape };
      out[`adam.v.${n}`] = { data: s.v.slice(), shape };
    };
    put('enc.b', this.bAdam, [this.m]);
    this.ids.forEach((id, a) => {
      const d = this.dims[a]!;
      put(`enc.${id}.W`, this.encAdam[a]!, [d, this.m]);
      put(`dec.${id}.W`, this.DAdam[a]!, [this.m, d]);
      put(`dec.${id}.b`, this.cAdam[a]!, [d]);
    });
    return out;
  }

  dispose(): void {
    this.encW = [];
    this.D = [];
  }
}
