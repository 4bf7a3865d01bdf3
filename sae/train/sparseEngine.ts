// The sparse engine for BatchTopK modes (batchtopk, partitioned): the encoder forward runs as
// one dense tensor matmul per agent (every pre-activation is needed for the selection); the
// decoder, its gradient, the code's gradient and the encoder's gradient touch only the k
// active latents of each row: ≈ 2·d·m + 8·k·d FLOPs per row and agent instead of 10·d·m.
// Same loss, Adam and clipping as the dense engine (test: the steps agree).
//
// The latents are split into `threads` contiguous shards (sparseShard.ts); shard 0 runs on
// the calling thread, the others on worker threads over SharedArrayBuffers. A given thread
// count gives the same result on every run (fixed reduction order); different thread counts
// differ by float rounding only.
import { Worker } from 'node:worker_threads';
import type { ResolvedSaeConfig } from '../config.js';
import { currentBackend } from '../backend.js';
import { Arena } from '../kernels/arena.js';
import type { NativeGemm } from '../kernels/nativeGemm.js';
import { ConfigError } from '../errors.js';
import { decoderRowMask, type ParamSet } from '../model/params.js';
import type { StepStats, TrainEngine } from './engine.js';
import { allocBuffers, latentRanges, SCALAR_BASE, scalarStride, type SparseBuffers, type SparseLayout } from './sparseBuffers.js';
import { SparseShard, type PhaseMs } from './sparseShard.js';
import { barrier, CMD_EXIT, CMD_STEP, CTL, ShardError } from './shardSync.js';

export function sparseSupported(cfg: ResolvedSaeConfig): boolean {
  return cfg.mode === 'batchtopk' || cfg.mode === 'partitioned';
}

export interface SparseEngineOptions {
  /** Threads (shards of the latents); 1 runs everything on the calling thread. */
  threads?: number;
  /**
   * Native kernels for the dense encoder product (sae/matmul.ts selectMatmul), or null/absent
   * for the tfjs backend's matmul. Worker threads load their own.
   */
  gemm?: NativeGemm | null;
}

export class SparseEngine implements TrainEngine {
  readonly kind = 'sparse' as const;
  readonly threads: number;
  private readonly ids: string[];
  private L: SparseLayout;
  private buf!: SparseBuffers;
  private shard!: SparseShard;
  private workers: Worker[] = [];
  private arena = new Arena();
  private _t = 0;
  private readonly gemm: NativeGemm | null;

  constructor(
    private readonly cfg: ResolvedSaeConfig,
    params: ParamSet,
    opts: SparseEngineOptions = {},
  ) {
    if (!sparseSupported(cfg)) throw new Error(`sparse engine: mode ${cfg.mode} is not supported`);
    this.ids = cfg.agents.map((a) => a.id);
    this.threads = Math.max(1, Math.min(opts.threads ?? 1, Math.floor(cfg.latents / 2)));
    this.gemm = opts.gemm ?? null;
    this.L = {
      m: cfg.latents,
      dims: cfg.agents.map((a) => a.dim),
      maxRows: cfg.batchSize,
      ranges: latentRanges(cfg.latents, this.threads),
      k: (cfg as { k: number }).k,
      auxK: cfg.auxK,
      auxCoef: cfg.auxCoef,
      blockPenalty: (cfg as { blockPenalty?: number }).blockPenalty ?? 0,
      clipNorm: cfg.clipNorm,
      beta1: cfg.beta1,
      beta2: cfg.beta2,
      eps: cfg.eps,
      masks: cfg.agents.map((_, a) => decoderRowMask(cfg, a)),
    };
    try {
      this.buf = allocBuffers(this.L, this.arena);
      this.shard = new SparseShard(this.L, this.buf, 0, this.arena, this.gemm);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      throw new ConfigError(`${err.message}: parameters, Adam moments and gradients of ${cfg.latents} latents × ${this.L.dims.join('+')} dims do not fit; use --engine dense or fewer latents`);
    }
    this.load(params, null, 0);
  }

  /** Milliseconds per phase on the calling thread since construction (benchmarks). */
  get phaseMs(): PhaseMs {
    return this.shard.phaseMs;
  }

  /** What runs the dense encoder product: 'onnxruntime' (native) or 'tfjs'. */
  get matmul(): 'onnxruntime' | 'tfjs' {
    return this.gemm ? 'onnxruntime' : 'tfjs';
  }

  get t(): number {
    return this._t;
  }

  load(params: ParamSet, opt: ParamSet | null, t: number): void {
    const { buf, L } = this;
    const m = L.m;
    const get = (n: string) => params[n]!.data as Float32Array;
    const moment = (kind: 'm' | 'v', n: string) => (opt?.[`adam.${kind}.${n}`]?.data as Float32Array | undefined) ?? null;
    const setT = (dst: Float32Array, src: Float32Array | null, d: number) => {
      if (!src) return dst.fill(0);
      for (let i = 0; i < d; i++) for (let j = 0; j < m; j++) dst[j * d + i] = src[i * m + j]!;
      return dst;
    };
    const set = (dst: Float32Array, src: Float32Array | null) => (src ? dst.set(src) : dst.fill(0));
    this.ids.forEach((id, a) => {
      const d = L.dims[a]!;
      setT(buf.WT[a]!, get(`enc.${id}.W`), d);
      setT(buf.WTm[a]!, moment('m', `enc.${id}.W`), d);
      setT(buf.WTv[a]!, moment('v', `enc.${id}.W`), d);
      set(buf.D[a]!, get(`dec.${id}.W`));
      set(buf.Dm[a]!, moment('m', `dec.${id}.W`));
      set(buf.Dv[a]!, moment('v', `dec.${id}.W`));
      set(buf.c[a]!, get(`dec.${id}.b`));
      set(buf.cm[a]!, moment('m', `dec.${id}.b`));
      set(buf.cv[a]!, moment('v', `dec.${id}.b`));
    });
    set(buf.b, get('enc.b'));
    set(buf.bm, moment('m', 'enc.b'));
    set(buf.bv, moment('v', 'enc.b'));
    this._t = t;
  }

  private startWorkers(): void {
    const backend = currentBackend()?.name ?? 'cpu';
    // Under tsx/vitest this file is TypeScript: the worker registers tsx before importing its
    // entry. A bootstrap failure raises the error flag so the blocked main thread sees it.
    const self = import.meta.url;
    const ts = self.endsWith('.ts');
    const entry = new URL(ts ? './sparseWorker.ts' : './sparseWorker.js', self).href;
    const tsx = ts && typeof import.meta.resolve === 'function' ? import.meta.resolve('tsx/esm/api') : 'tsx/esm/api';
    const boot = `const { workerData } = require('node:worker_threads');
const fail = (e) => { const c = workerData.buffers.ctl; process.stderr.write(String((e && e.stack) || e) + '\\n');
  Atomics.store(c, ${CTL.ERROR}, 1); Atomics.add(c, ${CTL.GEN}, 1); Atomics.notify(c, ${CTL.GEN}); Atomics.notify(c, ${CTL.READY}); };
(${ts} ? import(${JSON.stringify(tsx)}).then((m) => m.register()) : Promise.resolve()).then(() => import(${JSON.stringify(entry)})).catch(fail);`;
    for (let s = 1; s < this.threads; s++) {
      const w = new Worker(boot, { eval: true, workerData: { layout: this.L, buffers: this.buf, memory: this.arena.memory, shard: s, backend, matmul: this.matmul } });
      w.unref();
      this.workers.push(w);
    }
    const ctl = this.buf.ctl;
    const deadline = performance.now() + 120_000;
    while (Atomics.load(ctl, CTL.READY) < this.threads - 1) {
      if (Atomics.load(ctl, CTL.ERROR) !== 0) throw new ShardError('a sparse-engine worker failed to start (its error is on stderr)');
      if (performance.now() > deadline) throw new ShardError('sparse-engine workers did not start within 120 s');
      Atomics.wait(ctl, CTL.READY, Atomics.load(ctl, CTL.READY), 200);
    }
  }

  step(xs: Float32Array[], rows: number, lr: number, dead: Uint8Array | null): StepStats {
    const { cfg, L } = this;
    if (rows > L.maxRows) this.grow(rows);
    const buf = this.buf;
    const N = L.dims.length;
    this._t++;
    L.dims.forEach((d, a) => buf.x[a]!.set(xs[a]!.subarray(0, rows * d)));
    let nDead = 0;
    if (dead) for (let j = 0; j < L.m; j++) nDead += dead[j]!;
    const auxOn = dead !== null && nDead > 0 && cfg.auxK > 0 && cfg.auxCoef > 0;
    if (auxOn) buf.dead.set(dead);
    buf.scal[0] = lr;
    buf.scal[1] = this._t;
    buf.scal[2] = rows;
    buf.scal[3] = auxOn ? 1 : 0;
    buf.scal[4] = auxOn ? Math.min(cfg.auxK, nDead) * rows : 0;
    if (this.threads > 1) {
      if (this.workers.length === 0) this.startWorkers();
      const ctl = buf.ctl;
      Atomics.store(ctl, CTL.CMD, CMD_STEP);
      Atomics.add(ctl, CTL.SEQ, 1);
      Atomics.notify(ctl, CTL.SEQ);
      this.shard.step(() => barrier(ctl, this.threads));
      barrier(ctl, this.threads);
    } else this.shard.step(() => {});
    const recon = Array.from({ length: N }, (_, a) => buf.scal[SCALAR_BASE + 4 + a]!);
    let aux = 0;
    for (let a = 0; a < N; a++) aux += buf.scal[SCALAR_BASE + 4 + N + a]!;
    const fired = Float32Array.from(buf.fired);
    let l0 = 0;
    for (let j = 0; j < L.m; j++) l0 += fired[j]!;
    let penalty = 0;
    for (let s = 0; s < this.threads; s++) penalty += buf.scal[SCALAR_BASE + s * scalarStride(N) + 2]!;
    const loss = recon.reduce((s, x) => s + x, 0) + aux + penalty;
    return { loss, recon, aux, penalty, l0: l0 / rows, threshold: buf.scal[SCALAR_BASE + 1]!, fired, gradNorm: buf.scal[5]! };
  }

  /** A batch larger than the configured one: new buffers with the same parameters. */
  private grow(rows: number): void {
    const params = this.params();
    const opt = this.optimizerState();
    const t = this._t;
    this.stopWorkers();
    this.L = { ...this.L, maxRows: rows };
    this.arena = new Arena();
    this.buf = allocBuffers(this.L, this.arena);
    this.shard = new SparseShard(this.L, this.buf, 0, this.arena, this.gemm);
    this.load(params, opt, t);
  }

  params(): ParamSet {
    const { buf, L } = this;
    const out: ParamSet = { 'enc.b': { data: buf.b.slice(), shape: [L.m] } };
    this.ids.forEach((id, a) => {
      const d = L.dims[a]!;
      out[`enc.${id}.W`] = { data: transposeOut(buf.WT[a]!, L.m, d), shape: [d, L.m] };
      out[`dec.${id}.W`] = { data: buf.D[a]!.slice(), shape: [L.m, d] };
      out[`dec.${id}.b`] = { data: buf.c[a]!.slice(), shape: [d] };
    });
    return out;
  }

  optimizerState(): ParamSet {
    const { buf, L } = this;
    const out: ParamSet = {};
    const put = (n: string, m: Float32Array, v: Float32Array, shape: number[]) => {
      out[`adam.m.${n}`] = { data: m, shape };
      out[`adam.v.${n}`] = { data: v, shape };
    };
    put('enc.b', buf.bm.slice(), buf.bv.slice(), [L.m]);
    this.ids.forEach((id, a) => {
      const d = L.dims[a]!;
      put(`enc.${id}.W`, transposeOut(buf.WTm[a]!, L.m, d), transposeOut(buf.WTv[a]!, L.m, d), [d, L.m]);
      put(`dec.${id}.W`, buf.Dm[a]!.slice(), buf.Dv[a]!.slice(), [L.m, d]);
      put(`dec.${id}.b`, buf.cm[a]!.slice(), buf.cv[a]!.slice(), [d]);
    });
    return out;
  }

  private stopWorkers(): void {
    if (this.workers.length === 0) return;
    const ctl = this.buf.ctl;
    Atomics.store(ctl, CTL.CMD, CMD_EXIT);
    Atomics.add(ctl, CTL.SEQ, 1);
    Atomics.notify(ctl, CTL.SEQ);
    for (const w of this.workers) void w.terminate();
    this.workers = [];
  }

  dispose(): void {
    this.stopWorkers();
  }
}

/** [m, d] row-major → [d, m] row-major (a fresh array). */
function transposeOut(src: Float32Array, m: number, d: number): Float32Array {
  const out = new Float32Array(m * d);
  for (let j = 0; j < m; j++) for (let i = 0; i < d; i++) out[i * m + j] = src[j * d + i]!;
  return out;
}
