// Training steps with tfjs autograd, for every mode and every backend (this is the engine
// that runs on tfjs-node-gpu). Dense: the decoder multiplies the full code. Adam and global
// gradient-norm clipping are written out in tensor ops so their state can be saved.
import * as tf from '@tensorflow/tfjs';
import type { ResolvedSaeConfig } from '../config.js';
import { getMode, type ModeContext, type Vars } from '../model/modes.js';
import { batchTopK, matMul, stopGradient } from '../model/ops.js';
import { decoderRowMask, type ParamSet } from '../model/params.js';
import type { StepStats, TrainEngine } from './engine.js';

export class DenseEngine implements TrainEngine {
  readonly kind = 'dense' as const;
  private vars: Record<string, tf.Variable> = {};
  private m: Record<string, tf.Variable> = {};
  private v: Record<string, tf.Variable> = {};
  private readonly decMasks: (tf.Tensor2D | null)[];
  private _t = 0;

  constructor(
    private readonly cfg: ResolvedSaeConfig,
    params: ParamSet,
  ) {
    this.decMasks = cfg.agents.map((_, a) => {
      const mask = decoderRowMask(cfg, a);
      return mask ? tf.tensor2d(mask, [cfg.latents, 1]) : null;
    });
    this.load(params, null, 0);
  }

  get t(): number {
    return this._t;
  }

  load(params: ParamSet, opt: ParamSet | null, t: number): void {
    this.disposeVars();
    for (const [name, p] of Object.entries(params)) {
      this.vars[name] = tf.variable(tf.tensor(p.data as Float32Array, p.shape), true);
      const om = opt?.[`adam.m.${name}`];
      const ov = opt?.[`adam.v.${name}`];
      this.m[name] = tf.variable(om ? tf.tensor(om.data as Float32Array, om.shape) : tf.zeros(p.shape), false);
      this.v[name] = tf.variable(ov ? tf.tensor(ov.data as Float32Array, ov.shape) : tf.zeros(p.shape), false);
    }
    this._t = t;
  }

  private ctx(extra: Partial<ModeContext> = {}): ModeContext {
    return { cfg: this.cfg, v: this.vars as Vars, decMasks: this.decMasks, ...extra };
  }

  step(xs: Float32Array[], rows: number, lr: number, dead: Uint8Array | null): StepStats {
    const cfg = this.cfg;
    const mode = getMode(cfg.mode);
    const names = Object.keys(this.vars);
    this._t++;
    const t = this._t;
    const kept: tf.Tensor[] = [];
    const keep = <T extends tf.Tensor>(x: T): T => {
      kept.push(tf.keep(x));
      return x;
    };
    let thr: tf.Scalar | null = null;
    const summary = tf.tidy(() => {
      const inputs = xs.map((x, a) => tf.tensor2d(x, [rows, cfg.agents[a]!.dim]));
      const ctx = this.ctx({ onThreshold: (s) => (thr = s) });
      const weights = mode.selectionWeights(ctx);
      const deadRow = dead ? tf.tensor2d(Float32Array.from(dead), [1, cfg.latents]) : null;
      const auxK = dead && cfg.auxK > 0 && cfg.auxCoef > 0 ? Math.min(cfg.auxK, dead.reduce((s, x) => s + x, 0)) : 0;
      const f = (): tf.Scalar => {
        let pre: tf.Tensor = this.vars['enc.b']!;
        inputs.forEach((x, a) => (pre = tf.add(pre, matMul(x, this.vars[`enc.${cfg.agents[a]!.id}.W`] as tf.Tensor2D))));
        const pre2 = pre as tf.Tensor2D;
        const z = mode.activate(pre2, ctx, weights);
        keep(tf.sum(tf.step(z), 0));
        let loss: tf.Scalar = tf.scalar(0);
        const recon: tf.Scalar[] = [];
        const xhat = inputs.map((x, a) => {
          const r = mode.decode(z, a, ctx);
          const l = tf.div(tf.mean(tf.sum(tf.square(tf.sub(r, x)), 1)), cfg.agents[a]!.dim) as tf.Scalar;
          recon.push(l);
          loss = tf.add(loss, l);
          return r;
        });
        keep(tf.stack(recon));
        let aux: tf.Scalar = tf.scalar(0);
        if (auxK > 0 && deadRow) {
          const za = batchTopK(pre2, deadRow, auxK * rows);
          inputs.forEach((x, a) => {
            const e = stopGradient(tf.sub(x, xhat[a]!));
            const eh = mode.decode(za, a, ctx, false);
            aux = tf.add(aux, tf.div(tf.mean(tf.sum(tf.square(tf.sub(eh, e)), 1)), cfg.agents[a]!.dim));
          });
          aux = tf.mul(aux, cfg.auxCoef);
          loss = tf.add(loss, aux);
        }
        keep(aux.clone());
        const pen = mode.penalty(z, ctx);
        keep(pen ? pen.clone() : tf.scalar(0));
        if (pen) loss = tf.add(loss, pen);
        return loss;
      };
      const { value, grads } = tf.variableGrads(f, names.map((n) => this.vars[n]!));
      let sq: tf.Tensor = tf.scalar(0);
      const gradOf = (n: string) => grads[this.vars[n]!.name]!;
      for (const n of names) sq = tf.add(sq, tf.sum(tf.square(gradOf(n))));
      const gnorm = tf.sqrt(sq);
      const scale = cfg.clipNorm > 0 ? tf.minimum(1, tf.div(cfg.clipNorm, tf.add(gnorm, 1e-12))) : tf.scalar(1);
      const c1 = 1 - cfg.beta1 ** t;
      const c2 = 1 - cfg.beta2 ** t;
      for (const n of names) {
        const g = tf.mul(gradOf(n), scale);
        const m = tf.add(tf.mul(this.m[n]!, cfg.beta1), tf.mul(g, 1 - cfg.beta1));
        const v = tf.add(tf.mul(this.v[n]!, cfg.beta2), tf.mul(tf.square(g), 1 - cfg.beta2));
        this.m[n]!.assign(m);
        this.v[n]!.assign(v);
        const upd = tf.div(tf.mul(m, lr / c1), tf.add(tf.sqrt(tf.div(v, c2)), cfg.eps));
        this.vars[n]!.assign(tf.sub(this.vars[n]!, upd));
      }
      return tf.concat([value.reshape([1]), gnorm.reshape([1])]);
    });
    const [fired, recon, aux, pen] = kept as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const s = summary.dataSync();
    const firedArr = fired.dataSync() as Float32Array;
    const reconArr = Array.from(recon.dataSync());
    const out: StepStats = {
      loss: s[0]!,
      gradNorm: s[1]!,
      recon: reconArr,
      aux: aux.dataSync()[0]!,
      penalty: pen.dataSync()[0]!,
      l0: firedArr.reduce((x, y) => x + y, 0) / rows,
      threshold: thr ? (thr as tf.Scalar).dataSync()[0]! : NaN,
      fired: Float32Array.from(firedArr),
    };
    summary.dispose();
    kept.forEach((x) => x.dispose());
    if (thr) (thr as tf.Scalar).dispose();
    return out;
  }

  params(): ParamSet {
    return Object.fromEntries(Object.entries(this.vars).map(([n, v]) => [n, { data: v.dataSync().slice() as Float32Array, shape: [...v.shape] }]));
  }

  optimizerState(): ParamSet {
    const out: ParamSet = {};
    for (const n of Object.keys(this.vars)) {
      out[`adam.m.${n}`] = { data: this.m[n]!.dataSync().slice() as Float32Array, shape: [...this.m[n]!.shape] };
      out[`adam.v.${n}`] = { data: this.v[n]!.dataSync().slice() as Float32Array, shape: [...this.v[n]!.shape] };
    }
    return out;
  }

  private disposeVars(): void {
    for (const x of [...Object.values(this.vars), ...Object.values(this.m), ...Object.values(this.v)]) x.dispose();
    this.vars = {};
    this.m = {};
    this.v = {};
  }

  dispose(): void {
    this.disposeVars();
    this.decMasks.forEach((m) => m?.dispose());
  }
}
