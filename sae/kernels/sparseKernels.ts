// WebAssembly SIMD128 kernels of the sparse engine, over one shared memory (Arena) that holds
// the parameters, the batch and the shard scratch, so no copies are needed. Addresses are byte
// offsets into that memory (a typed array's byteOffset); lengths are element counts. Each
// loop runs two 4-lane vectors per iteration and finishes any remainder lane by lane.
//   axpyRows(out, drow, d, rows, vals, p0, p1):  out[rows[p]] += vals[p]·drow        (p0 ≤ p < p1)
//   codeGrad(g, drow, gdrow, d, rows, vals, p0, p1, dz):
//            gdrow += vals[p]·g[rows[p]];  dz[rows[p]] += g[rows[p]]·drow
//   encGrad(x, gwrow, d, rows, n, dz):          gwrow += dz[rows[p]]·x[rows[p]]  (p < n; four rows at a time)
//   sumsq(ptr, n) → Σ ptr[i]²
//   adam(p, m, v, g, n, clip, lr1, c2, b1, a1, b2, a2, eps): Adam on n entries, g zeroed
//   scorePass(pre, y1, score, b, w, ms, B, cut, hist, cand, cap) → count: for each latent row
//            jl < ms of B entries: pre = (b_jl + pre) + y1; score = relu(pre)·w_jl; every score
//            whose bits are ≥ cut is counted in hist[bits >>> 16] and its position appended to
//            cand (up to cap entries; the count returned may exceed cap)
import { emitModule, inc, loop, op, T, type Code, type FuncDef } from './wasmEmitter.js';

const { get, set, i32, f32 } = op;

/** addr = base + index·4 (locals) */
const at4 = (base: number, index: number): Code => [...get(base), ...get(index), ...i32(2), ...op.i32Shl, ...op.i32Add];
/** d8b = (d & −8)·4, db = d·4 */
const sizes = (d: number, d8b: number, db: number): Code => [...get(d), ...i32(-8), ...op.i32And, ...i32(2), ...op.i32Shl, ...set(d8b), ...get(d), ...i32(2), ...op.i32Shl, ...set(db)];
const ge = (a: number, b: number): Code => [...get(a), ...get(b), ...op.i32GeU];
const add = (a: number, b: number): Code => [...get(a), ...get(b), ...op.i32Add];

/** y[i..] += s·x[i..] for two vectors at byte offset i (vs: splat local). */
function vaxpy2(y: number, x: number, i: number, vs: number): Code {
  const one = (off: number): Code => [...add(y, i), ...add(y, i), ...op.vload(off), ...get(vs), ...add(x, i), ...op.vload(off), ...op.f32x4Mul, ...op.f32x4Add, ...op.vstore(off)];
  return [...one(0), ...one(16)];
}

/** y[i] += s·x[i] lane by lane (s: f32 local). */
function saxpy(y: number, x: number, i: number, s: number): Code {
  return [...add(y, i), ...add(y, i), ...op.f32Load, ...get(s), ...add(x, i), ...op.f32Load, ...op.f32Mul, ...op.f32Add, ...op.f32Store];
}

const hsum = (v: number): Code => [...get(v), ...op.f32x4Extract(0), ...get(v), ...op.f32x4Extract(1), ...op.f32Add, ...get(v), ...op.f32x4Extract(2), ...get(v), ...op.f32x4Extract(3), ...op.f32Add, ...op.f32Add];

function axpyRows(): FuncDef {
  // params: 0 out, 1 drow, 2 d, 3 rows, 4 vals, 5 p, 6 p1; locals: 7 o, 8 i, 9 d8b, 10 db, 11 v, 12 vv
  const body: Code = [
    ...sizes(2, 9, 10),
    ...loop(ge(5, 6), [
      ...at4(3, 5), ...op.i32Load, ...get(10), ...op.i32Mul, ...get(0), ...op.i32Add, ...set(7),
      ...at4(4, 5), ...op.f32Load, ...op.tee(11), ...op.f32x4Splat, ...set(12),
      ...i32(0), ...set(8),
      ...loop(ge(8, 9), [...vaxpy2(7, 1, 8, 12), ...inc(8, 32)]),
      ...loop(ge(8, 10), [...saxpy(7, 1, 8, 11), ...inc(8, 4)]),
      ...inc(5, 1),
    ]),
  ];
  return { name: 'axpyRows', params: [T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32], results: [], locals: [T.i32, T.i32, T.i32, T.i32, T.f32, T.v128], body };
}

function codeGrad(): FuncDef {
  // params: 0 g, 1 drow, 2 gdrow, 3 d, 4 rows, 5 vals, 6 p, 7 p1, 8 dz
  // locals: 9 go, 10 i, 11 d8b, 12 db, 13 v, 14 vv, 15 acc0, 16 acc1, 17 gi, 18 s, 19 r, 20 gs,
  //         21 end of the blocks of four, 22–25 go of four rows, 26–29 their rows, 30–33 their vals
  //         splatted, 34–37 their dot accumulators, 38 the drow vector, 39 a g vector, 40–43 their
  //         vals, 44–47 their scalar dots, 48 a g lane
  // Four entries at a time (gdrow and drow read once for four rows), then one at a time.
  const GO = 22;
  const R = 26;
  const VV = 30;
  const ACC = 34;
  const V = 40;
  const SD = 44;
  const entry = (k: number): Code => [
    ...get(4), ...get(6), ...i32(2), ...op.i32Shl, ...op.i32Add, ...i32(4 * k), ...op.i32Add, ...op.i32Load, ...op.tee(R + k),
    ...get(12), ...op.i32Mul, ...get(0), ...op.i32Add, ...set(GO + k),
    ...get(5), ...get(6), ...i32(2), ...op.i32Shl, ...op.i32Add, ...i32(4 * k), ...op.i32Add, ...op.f32Load, ...op.tee(V + k),
    ...op.f32x4Splat, ...set(VV + k),
    ...f32(0), ...op.f32x4Splat, ...set(ACC + k),
    ...f32(0), ...set(SD + k),
  ];
  const vec4: Code = [
    ...add(1, 10), ...op.vload(), ...set(38),
    ...add(2, 10), ...add(2, 10), ...op.vload(),
    ...[0, 1, 2, 3].flatMap((k) => [
      ...add(GO + k, 10), ...op.vload(), ...set(39),
      ...get(VV + k), ...get(39), ...op.f32x4Mul, ...op.f32x4Add,
      ...get(ACC + k), ...get(39), ...get(38), ...op.f32x4Mul, ...op.f32x4Add, ...set(ACC + k),
    ]),
    ...op.vstore(),
    ...inc(10, 16),
  ];
  const lane4: Code = [
    ...add(2, 10), ...add(2, 10), ...op.f32Load,
    ...[0, 1, 2, 3].flatMap((k) => [
      ...add(GO + k, 10), ...op.f32Load, ...set(48),
      ...get(V + k), ...get(48), ...op.f32Mul, ...op.f32Add,
      ...get(SD + k), ...get(48), ...add(1, 10), ...op.f32Load, ...op.f32Mul, ...op.f32Add, ...set(SD + k),
    ]),
    ...op.f32Store,
    ...inc(10, 4),
  ];
  const finish = (k: number): Code => [
    ...at4(8, R + k), ...at4(8, R + k), ...op.f32Load, ...hsum(ACC + k), ...get(SD + k), ...op.f32Add, ...op.f32Add, ...op.f32Store,
  ];
  const half = (off: number, acc: number): Code => [
    ...add(9, 10), ...op.vload(off), ...set(17),
    ...add(2, 10), ...add(2, 10), ...op.vload(off), ...get(14), ...get(17), ...op.f32x4Mul, ...op.f32x4Add, ...op.vstore(off),
    ...get(acc), ...get(17), ...add(1, 10), ...op.vload(off), ...op.f32x4Mul, ...op.f32x4Add, ...set(acc),
  ];
  const body: Code = [
    ...sizes(3, 11, 12),
    ...get(7), ...get(6), ...op.i32Sub, ...i32(-4), ...op.i32And, ...get(6), ...op.i32Add, ...set(21),
    ...loop(ge(6, 21), [
      ...entry(0), ...entry(1), ...entry(2), ...entry(3),
      ...i32(0), ...set(10),
      ...loop(ge(10, 11), vec4),
      ...loop(ge(10, 12), lane4),
      ...finish(0), ...finish(1), ...finish(2), ...finish(3),
      ...inc(6, 4),
    ]),
    ...loop(ge(6, 7), [
      ...at4(4, 6), ...op.i32Load, ...set(19),
      ...get(19), ...get(12), ...op.i32Mul, ...get(0), ...op.i32Add, ...set(9),
      ...at4(5, 6), ...op.f32Load, ...op.tee(13), ...op.f32x4Splat, ...set(14),
      ...f32(0), ...op.f32x4Splat, ...op.tee(15), ...set(16),
      ...i32(0), ...set(10),
      ...loop(ge(10, 11), [...half(0, 15), ...half(16, 16), ...inc(10, 32)]),
      ...get(15), ...get(16), ...op.f32x4Add, ...set(15),
      ...hsum(15), ...set(18),
      ...loop(ge(10, 12), [
        ...add(9, 10), ...op.f32Load, ...set(20),
        ...add(2, 10), ...add(2, 10), ...op.f32Load, ...get(13), ...get(20), ...op.f32Mul, ...op.f32Add, ...op.f32Store,
        ...get(18), ...get(20), ...add(1, 10), ...op.f32Load, ...op.f32Mul, ...op.f32Add, ...set(18),
        ...inc(10, 4),
      ]),
      ...at4(8, 19), ...at4(8, 19), ...op.f32Load, ...get(18), ...op.f32Add, ...op.f32Store,
      ...inc(6, 1),
    ]),
  ];
  return {
    name: 'codeGrad',
    params: [T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32],
    results: [],
    locals: [
      T.i32, T.i32, T.i32, T.i32, T.f32, T.v128, T.v128, T.v128, T.v128, T.f32, T.i32, T.f32,
      T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32,
      T.v128, T.v128, T.v128, T.v128, T.v128, T.v128, T.v128, T.v128, T.v128, T.v128,
      T.f32, T.f32, T.f32, T.f32, T.f32, T.f32, T.f32, T.f32, T.f32,
    ],
    body,
  };
}

function encGrad(): FuncDef {
  // params: 0 x, 1 gw, 2 d, 3 rows, 4 n, 5 dz; locals: 6 p, 7 xo, 8 i, 9 d8b, 10 db, 11 gv, 12 vv, 13 r,
  //         14 n4, 15–18 xo of four rows, 19–22 their dz, 23–26 the dz splats
  // Four rows at a time (gw read and written once for four axpys: the loop is bound by memory
  // traffic, not by multiplies), then the remaining rows one by one, skipping a zero dz.
  const XO = 15;
  const S = 19;
  const VS = 23;
  const rowOf = (k: number): Code => [
    ...get(3), ...get(6), ...i32(2), ...op.i32Shl, ...op.i32Add, ...i32(4 * k), ...op.i32Add, ...op.i32Load, ...set(13),
    ...get(13), ...get(10), ...op.i32Mul, ...get(0), ...op.i32Add, ...set(XO + k),
    ...at4(5, 13), ...op.f32Load, ...op.tee(S + k), ...op.f32x4Splat, ...set(VS + k),
  ];
  const vec4 = (off: number): Code => [
    ...add(1, 8), ...add(1, 8), ...op.vload(off),
    ...[0, 1, 2, 3].flatMap((k) => [...get(VS + k), ...add(XO + k, 8), ...op.vload(off), ...op.f32x4Mul, ...op.f32x4Add]),
    ...op.vstore(off),
  ];
  const lane4: Code = [
    ...add(1, 8), ...add(1, 8), ...op.f32Load,
    ...[0, 1, 2, 3].flatMap((k) => [...get(S + k), ...add(XO + k, 8), ...op.f32Load, ...op.f32Mul, ...op.f32Add]),
    ...op.f32Store,
  ];
  const body: Code = [
    ...sizes(2, 9, 10),
    ...get(4), ...i32(-4), ...op.i32And, ...set(14),
    ...i32(0), ...set(6),
    ...loop(ge(6, 14), [
      ...rowOf(0), ...rowOf(1), ...rowOf(2), ...rowOf(3),
      ...i32(0), ...set(8),
      ...loop(ge(8, 9), [...vec4(0), ...vec4(16), ...inc(8, 32)]),
      ...loop(ge(8, 10), [...lane4, ...inc(8, 4)]),
      ...inc(6, 4),
    ]),
    ...loop(ge(6, 4), [
      ...at4(3, 6), ...op.i32Load, ...set(13),
      ...at4(5, 13), ...op.f32Load, ...op.tee(11), ...f32(0), ...op.f32Ne,
      ...op.ifThen([
        ...get(13), ...get(10), ...op.i32Mul, ...get(0), ...op.i32Add, ...set(7),
        ...get(11), ...op.f32x4Splat, ...set(12),
        ...i32(0), ...set(8),
        ...loop(ge(8, 9), [...vaxpy2(1, 7, 8, 12), ...inc(8, 32)]),
        ...loop(ge(8, 10), [...saxpy(1, 7, 8, 11), ...inc(8, 4)]),
      ]),
      ...inc(6, 1),
    ]),
  ];
  return {
    name: 'encGrad',
    params: [T.i32, T.i32, T.i32, T.i32, T.i32, T.i32],
    results: [],
    locals: [T.i32, T.i32, T.i32, T.i32, T.i32, T.f32, T.v128, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.f32, T.f32, T.f32, T.f32, T.v128, T.v128, T.v128, T.v128],
    body,
  };
}

function sumsq(): FuncDef {
  // params: 0 ptr, 1 n; locals: 2 i, 3 n8b, 4 nb, 5 acc0, 6 acc1, 7 t, 8 s, 9 x
  const sq = (off: number, acc: number): Code => [...add(0, 2), ...op.vload(off), ...set(7), ...get(acc), ...get(7), ...get(7), ...op.f32x4Mul, ...op.f32x4Add, ...set(acc)];
  const body: Code = [
    ...sizes(1, 3, 4),
    ...f32(0), ...op.f32x4Splat, ...op.tee(5), ...set(6),
    ...i32(0), ...set(2),
    ...loop(ge(2, 3), [...sq(0, 5), ...sq(16, 6), ...inc(2, 32)]),
    ...get(5), ...get(6), ...op.f32x4Add, ...set(5),
    ...hsum(5), ...set(8),
    ...loop(ge(2, 4), [...add(0, 2), ...op.f32Load, ...set(9), ...get(8), ...get(9), ...get(9), ...op.f32Mul, ...op.f32Add, ...set(8), ...inc(2, 4)]),
    ...get(8),
  ];
  return { name: 'sumsq', params: [T.i32, T.i32], results: [T.f32], locals: [T.i32, T.i32, T.i32, T.v128, T.v128, T.v128, T.f32, T.f32], body };
}

function adam(): FuncDef {
  // params: 0 p, 1 m, 2 v, 3 g, 4 n, 5 clip, 6 lr1, 7 c2, 8 b1, 9 a1, 10 b2, 11 a2, 12 eps
  // locals: 13 i, 14 n4b, 15 nb, 16..23 splats of 5..12, 24 gi, 25 mi, 26 vi, 27 zero
  const V = (scalar: number) => 16 + (scalar - 5);
  const step = (vector: boolean): Code => {
    const ld = vector ? op.vload() : op.f32Load;
    const st = vector ? op.vstore() : op.f32Store;
    const mul = vector ? op.f32x4Mul : op.f32Mul;
    const addf = vector ? op.f32x4Add : op.f32Add;
    const sub = vector ? op.f32x4Sub : op.f32Sub;
    const div = vector ? op.f32x4Div : op.f32Div;
    const sqrt = vector ? op.f32x4Sqrt : op.f32Sqrt;
    const k = (s: number) => get(vector ? V(s) : s);
    const [gi, mi, vi] = vector ? [24, 25, 26] : [28, 29, 30];
    return [
      ...add(3, 13), ...ld, ...k(5), ...mul, ...set(gi),
      ...add(3, 13), ...(vector ? get(27) : f32(0)), ...st,
      ...add(1, 13), ...k(8), ...add(1, 13), ...ld, ...mul, ...k(9), ...get(gi), ...mul, ...addf, ...op.tee(mi), ...st,
      ...add(2, 13), ...k(10), ...add(2, 13), ...ld, ...mul, ...k(11), ...get(gi), ...mul, ...get(gi), ...mul, ...addf, ...op.tee(vi), ...st,
      ...add(0, 13), ...add(0, 13), ...ld, ...k(6), ...get(mi), ...mul, ...get(vi), ...k(7), ...div, ...sqrt, ...k(12), ...addf, ...div, ...sub, ...st,
    ];
  };
  const body: Code = [
    ...get(4), ...i32(-4), ...op.i32And, ...i32(2), ...op.i32Shl, ...set(14),
    ...get(4), ...i32(2), ...op.i32Shl, ...set(15),
    ...[5, 6, 7, 8, 9, 10, 11, 12].flatMap((s) => [...get(s), ...op.f32x4Splat, ...set(V(s))]),
    ...f32(0), ...op.f32x4Splat, ...set(27),
    ...i32(0), ...set(13),
    ...loop(ge(13, 14), [...step(true), ...inc(13, 16)]),
    ...loop(ge(13, 15), [...step(false), ...inc(13, 4)]),
  ];
  return {
    name: 'adam',
    params: [T.i32, T.i32, T.i32, T.i32, T.i32, T.f32, T.f32, T.f32, T.f32, T.f32, T.f32, T.f32, T.f32],
    results: [],
    locals: [T.i32, T.i32, T.i32, ...Array<typeof T.v128>(8).fill(T.v128), T.v128, T.v128, T.v128, T.v128, T.f32, T.f32, T.f32],
    body,
  };
}

function scorePass(): FuncDef {
  // params: 0 pre, 1 y1, 2 score, 3 b, 4 w, 5 ms, 6 B, 7 cut, 8 hist, 9 cand, 10 cap
  // locals: 11 jl, 12 o, 13 rowEnd, 14 rowEnd4, 15 n, 16 bj, 17 wj, 18 vb, 19 vw, 20 vcut, 21 zero,
  //         22 v, 23 s, 24 u, 25 lo, 26 p, 27 sc, 28 Bb, 29 B4b
  const tally = (off: number): Code => [
    ...get(24), ...get(7), ...op.i32GeS,
    ...op.ifThen([
      ...get(8), ...get(24), ...i32(16), ...op.i32ShrU, ...i32(2), ...op.i32Shl, ...op.i32Add,
      ...get(8), ...get(24), ...i32(16), ...op.i32ShrU, ...i32(2), ...op.i32Shl, ...op.i32Add,
      ...op.i32Load, ...i32(1), ...op.i32Add, ...op.i32Store,
      ...get(15), ...get(10), ...op.i32LtS,
      ...op.ifThen([...at4(9, 15), ...get(off), ...i32(2), ...op.i32ShrU, ...op.i32Store]),
      ...inc(15, 1),
    ]),
  ];
  const lane = (k: number): Code => [...get(12), ...i32(4 * k), ...op.i32Add, ...set(25), ...add(2, 25), ...op.i32Load, ...set(24), ...tally(25)];
  const vec: Code = [
    ...get(18), ...add(0, 12), ...op.vload(), ...op.f32x4Add, ...add(1, 12), ...op.vload(), ...op.f32x4Add, ...set(22),
    ...add(0, 12), ...get(22), ...op.vstore(),
    ...get(21), ...get(22), ...op.f32x4Pmax, ...get(19), ...op.f32x4Mul, ...set(23),
    ...add(2, 12), ...get(23), ...op.vstore(),
    ...get(23), ...get(20), ...op.i32x4GeS, ...op.v128AnyTrue,
    ...op.ifThen([...lane(0), ...lane(1), ...lane(2), ...lane(3)]),
    ...inc(12, 16),
  ];
  const scalar: Code = [
    ...get(16), ...add(0, 12), ...op.f32Load, ...op.f32Add, ...add(1, 12), ...op.f32Load, ...op.f32Add, ...set(26),
    ...add(0, 12), ...get(26), ...op.f32Store,
    ...get(26), ...get(17), ...op.f32Mul, ...f32(0), ...f32(0), ...get(26), ...op.f32Lt, ...op.select, ...set(27),
    ...add(2, 12), ...get(27), ...op.f32Store,
    ...get(27), ...op.i32ReinterpretF32, ...set(24), ...tally(12),
    ...inc(12, 4),
  ];
  const body: Code = [
    ...get(6), ...i32(2), ...op.i32Shl, ...set(28),
    ...get(6), ...i32(-4), ...op.i32And, ...i32(2), ...op.i32Shl, ...set(29),
    ...get(7), ...op.i32x4Splat, ...set(20),
    ...f32(0), ...op.f32x4Splat, ...set(21),
    ...i32(0), ...set(11), ...i32(0), ...set(12), ...i32(0), ...set(15),
    ...loop(ge(11, 5), [
      ...at4(3, 11), ...op.f32Load, ...op.tee(16), ...op.f32x4Splat, ...set(18),
      ...at4(4, 11), ...op.f32Load, ...op.tee(17), ...op.f32x4Splat, ...set(19),
      ...add(12, 28), ...set(13), ...add(12, 29), ...set(14),
      ...loop(ge(12, 14), vec),
      ...loop(ge(12, 13), scalar),
      ...inc(11, 1),
    ]),
    ...get(15),
  ];
  return {
    name: 'scorePass',
    params: Array<typeof T.i32>(11).fill(T.i32),
    results: [T.i32],
    locals: [T.i32, T.i32, T.i32, T.i32, T.i32, T.f32, T.f32, T.v128, T.v128, T.v128, T.v128, T.v128, T.v128, T.i32, T.i32, T.f32, T.f32, T.i32, T.i32],
    body,
  };
}

export interface SparseKernels {
  axpyRows(out: number, drow: number, d: number, rows: number, vals: number, p0: number, p1: number): void;
  codeGrad(g: number, drow: number, gdrow: number, d: number, rows: number, vals: number, p0: number, p1: number, dz: number): void;
  encGrad(x: number, gwrow: number, d: number, rows: number, n: number, dz: number): void;
  sumsq(ptr: number, n: number): number;
  adam(p: number, m: number, v: number, g: number, n: number, clip: number, lr1: number, c2: number, b1: number, a1: number, b2: number, a2: number, eps: number): void;
  scorePass(pre: number, y1: number, score: number, b: number, w: number, ms: number, B: number, cut: number, hist: number, cand: number, cap: number): number;
}

export const MAX_PAGES = 65536;
let compiled: WebAssembly.Module | null = null;

export function kernelBytes(): Uint8Array<ArrayBuffer> {
  return emitModule([axpyRows(), codeGrad(), encGrad(), sumsq(), adam(), scorePass()], MAX_PAGES);
}

/** The kernels bound to `memory` (a shared memory of at most MAX_PAGES pages). */
export function sparseKernels(memory: WebAssembly.Memory): SparseKernels {
  compiled ??= new WebAssembly.Module(kernelBytes());
  return new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as SparseKernels;
}
