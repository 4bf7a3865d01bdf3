// A minimal WebAssembly binary emitter: enough to write the sparse engine's SIMD128 kernels
// as byte code here, in TypeScript, instead of committing a compiled .wasm (the module is
// built when first used; test/sae/kernels checks every kernel against a plain loop).
// Instruction encodings follow the WebAssembly core spec and its fixed-width SIMD proposal.

export type Code = number[];

export function uleb(n: number): Code {
  const out: Code = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): Code {
  const out: Code = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

export const T = { i32: 0x7f, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;
export type ValType = (typeof T)[keyof typeof T];

const simd = (op: number): Code => [0xfd, ...uleb(op)];

/** Instructions (each returns its bytes). Memory accesses take the address from the stack. */
export const op = {
  get: (i: number): Code => [0x20, ...uleb(i)],
  set: (i: number): Code => [0x21, ...uleb(i)],
  tee: (i: number): Code => [0x22, ...uleb(i)],
  i32: (n: number): Code => [0x41, ...sleb(n)],
  f32: (x: number): Code => [0x43, ...new Uint8Array(Float32Array.of(x).buffer)],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32And: [0x71],
  i32Shl: [0x74],
  i32LtU: [0x49],
  i32GeU: [0x4f],
  i32Load: [0x28, 2, 0],
  f32Load: [0x2a, 2, 0],
  f32Store: [0x38, 2, 0],
  vload: (offset = 0): Code => [...simd(0x00), 0, ...uleb(offset)],
  vstore: (offset = 0): Code => [...simd(0x0b), 0, ...uleb(offset)],
  f32Add: [0x92],
  f32Sub: [0x93],
  f32Mul: [0x94],
  f32Div: [0x95],
  f32Sqrt: [0x91],
  f32Ne: [0x5c],
  f64PromoteF32: [0xbb],
  f64Add: [0xa0],
  f32x4Splat: simd(0x13),
  f32x4Extract: (lane: number): Code => [...simd(0x1f), lane],
  f32x4Add: simd(0xe4),
  f32x4Sub: simd(0xe5),
  f32x4Mul: simd(0xe6),
  f32x4Div: simd(0xe7),
  f32x4Sqrt: simd(0xe3),
  f32x4Pmax: simd(0xeb),
  i32x4Splat: simd(0x11),
  i32x4GeS: simd(0x3f),
  v128AnyTrue: simd(0x53),
  i32GeS: [0x4e],
  i32LtS: [0x48],
  i32ShrU: [0x76],
  i32Store: [0x36, 2, 0],
  f32Lt: [0x5d],
  i32ReinterpretF32: [0xbc],
  select: [0x1b],
  drop: [0x1a],
  ifThen: (body: Code): Code => [0x04, 0x40, ...body, 0x0b],
  brIf: (depth: number): Code => [0x0d, ...uleb(depth)],
};

/** `while (!exitCond) body` — exitCond leaves an i32 on the stack; nonzero leaves the loop. */
export function loop(exitCond: Code, body: Code): Code {
  return [0x02, 0x40, 0x03, 0x40, ...exitCond, 0x0d, 1, ...body, 0x0c, 0, 0x0b, 0x0b];
}

/** local += step (i32). */
export function inc(local: number, step: number): Code {
  return [...op.get(local), ...op.i32(step), ...op.i32Add, ...op.set(local)];
}

export interface FuncDef {
  name: string;
  params: ValType[];
  results: ValType[];
  locals: ValType[];
  body: Code;
}

function vec(items: Code[]): Code {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, content: Code): Code {
  return [id, ...uleb(content.length), ...content];
}

function str(s: string): Code {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb(b.length), ...b];
}

/** A module importing `env.memory` (shared, maxPages) and exporting the functions. */
export function emitModule(funcs: FuncDef[], maxPages: number): Uint8Array<ArrayBuffer> {
  const types = vec(funcs.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]));
  const imports = vec([[...str('env'), ...str('memory'), 0x02, 0x03, ...uleb(1), ...uleb(maxPages)]]);
  const fnIdx = vec(funcs.map((_, i) => uleb(i)));
  const exports = vec(funcs.map((f, i) => [...str(f.name), 0x00, ...uleb(i)]));
  const bodies = vec(
    funcs.map((f) => {
      const locals = vec(f.locals.map((t) => [1, t]));
      const body = [...locals, ...f.body, 0x0b];
      return [...uleb(body.length), ...body];
    }),
  );
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types),
    ...section(2, imports),
    ...section(3, fnIdx),
    ...section(7, exports),
    ...section(10, bodies),
  ]);
}
