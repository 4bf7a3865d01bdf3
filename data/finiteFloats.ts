// Float32 buffers that live in WebAssembly memory so they can be checked for NaN/±Inf with
// SIMD: ≈ 40 GB/s against ≈ 4 GB/s for the JavaScript loop (validate.ts). The writer's batch
// buffer and the reader's reused buffer are such buffers; a check of any other array falls
// back to the JavaScript loop. Without WebAssembly SIMD everything falls back the same way.
import { firstNonFinite as firstNonFiniteJs } from './validate.js';

/*
 * The module, in WebAssembly text (assembled by hand into the bytes below; test/data/
 * finiteFloats.test.ts checks it against the JavaScript loop at every position):
 *
 * (module
 *   (import "env" "memory" (memory 0))
 *   (func (export "firstNonFinite") (param $p i32) (param $n i32) (result i32)
 *     (local $i i32) (local $a i32) (local $m v128)
 *     (local.set $m (i32x4.splat (i32.const 0x7f800000)))      ;; exponent bits
 *     (block $scalar (loop $simd                               ;; 16 floats a round
 *       (br_if $scalar (i32.lt_u (i32.sub (local.get $n) (local.get $i)) (i32.const 16)))
 *       (local.set $a (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))))
 *       (br_if $scalar (v128.any_true (v128.or (v128.or (v128.or
 *         (i32x4.eq (v128.and (v128.load offset=0 (local.get $a)) (local.get $m)) (local.get $m))
 *         (i32x4.eq (v128.and (v128.load offset=16 (local.get $a)) (local.get $m)) (local.get $m)))
 *         (i32x4.eq (v128.and (v128.load offset=32 (local.get $a)) (local.get $m)) (local.get $m)))
 *         (i32x4.eq (v128.and (v128.load offset=48 (local.get $a)) (local.get $m)) (local.get $m)))))
 *       (local.set $i (i32.add (local.get $i) (i32.const 16)))
 *       (br $simd)))
 *     (block $done (loop $one                                  ;; the rest, one by one
 *       (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
 *       (if (i32.eq (i32.and (i32.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))))
 *                            (i32.const 0x7f800000)) (i32.const 0x7f800000))
 *         (then (return (local.get $i))))
 *       (local.set $i (i32.add (local.get $i) (i32.const 1)))
 *       (br $one)))
 *     (i32.const -1)))
 */
const MODULE_BASE64 =
  'AGFzbQEAAAABBwFgAn9/AX8CDwEDZW52Bm1lbW9yeQIAAAMCAQAHEgEOZmlyc3ROb25GaW5pdGUAAAqvAQGsAQICfwF7QYCAgPwH/REhBAJAA0AgASACa0EQSQ0BIAAgAkECdGohAyAD/QAEACAE/U4gBP03IAP9AAQQIAT9TiAE/Tf9UCAD/QAEICAE/U4gBP03/VAgA/0ABDAgBP1OIAT9N/1Q/VMNASACQRBqIQIMAAsLAkADQCACIAFPDQEgACACQQJ0aigCAEGAgID8B3FBgICA/AdGBEAgAg8LIAJBAWohAgwACwtBfws=';

let compiled: WebAssembly.Module | null | undefined;

function wasmModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(MODULE_BASE64, 'base64'));
    } catch {
      compiled = null; // no WebAssembly SIMD here: use the JavaScript loop
    }
  }
  return compiled;
}

const PAGE = 65536;

/** A fixed-size byte buffer whose float32 views can be checked for NaN/Inf quickly. */
export class FiniteFloats {
  /** The whole buffer (WebAssembly memory when available). Never grows or moves. */
  readonly buffer: ArrayBuffer;
  private readonly check: ((byteOffset: number, count: number) => number) | null;

  constructor(byteLength: number) {
    const mod = wasmModule();
    let memory: WebAssembly.Memory | null = null;
    if (mod && byteLength <= 65535 * PAGE) {
      try {
        memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(byteLength / PAGE)) });
      } catch {
        memory = null; // address space for WebAssembly memories exhausted: plain memory
      }
    }
    if (mod && memory) {
      const instance = new WebAssembly.Instance(mod, { env: { memory } });
      this.buffer = memory.buffer;
      this.check = instance.exports.firstNonFinite as (byteOffset: number, count: number) => number;
    } else {
      this.buffer = new ArrayBuffer(byteLength);
      this.check = null;
    }
  }

  /** True when checks of views over `buffer` run in WebAssembly. */
  get accelerated(): boolean {
    return this.check !== null;
  }

  /** Index of the first NaN or ±Infinity in `values`, or -1. Any Float32Array is accepted. */
  firstNonFinite(values: Float32Array): number {
    if (this.check && values.buffer === this.buffer)
      return this.check(values.byteOffset, values.length);
    return firstNonFiniteJs(values);
  }
}
