// A bump allocator over one shared WebAssembly memory: typed arrays that the sparse engine's
// wasm kernels, its JavaScript loops and its worker threads all see without copies. Worker
// threads open the same memory (new Arena(memory)) and allocate from the same counter.
import { MAX_PAGES } from './sparseKernels.js';

const PAGE = 65536;
const HEADER = 64;

export class Arena {
  readonly memory: WebAssembly.Memory;
  private readonly top: Uint32Array;

  constructor(memory?: WebAssembly.Memory) {
    this.memory = memory ?? new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    this.top = new Uint32Array(this.memory.buffer, 0, 1);
    if (!memory) Atomics.store(this.top, 0, HEADER);
  }

  private alloc(bytes: number): number {
    const size = Math.ceil(bytes / 16) * 16;
    const at = Atomics.add(this.top, 0, size) >>> 0;
    const end = at + size;
    if (end > MAX_PAGES * PAGE || end < at) throw new RangeError(`sparse engine: needs more than the 4 GiB of one wasm memory (${(end / 2 ** 30).toFixed(1)} GiB)`);
    while (this.memory.buffer.byteLength < end) this.memory.grow(Math.ceil((end - this.memory.buffer.byteLength) / PAGE));
    return at;
  }

  f32(n: number): Float32Array {
    const at = this.alloc(4 * n); // before reading .buffer, which alloc may grow
    return new Float32Array(this.memory.buffer, at, n);
  }

  i32(n: number): Int32Array {
    const at = this.alloc(4 * n); // before reading .buffer, which alloc may grow
    return new Int32Array(this.memory.buffer, at, n);
  }

  u8(n: number): Uint8Array {
    const at = this.alloc(n); // before reading .buffer, which alloc may grow
    return new Uint8Array(this.memory.buffer, at, n);
  }

  /** Bytes allocated so far. */
  get used(): number {
    return Atomics.load(this.top, 0);
  }
}
