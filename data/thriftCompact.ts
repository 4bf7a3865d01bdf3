// A minimal Thrift compact-protocol encoder: just what Parquet's footer and page headers
// need (i32, i64, binary, bool, struct, list). Field ids are written as deltas from the
// previous field of the same struct, as the protocol requires.

/** Compact-protocol type ids. */
export const CT = { True: 1, False: 2, Byte: 3, I16: 4, I32: 5, I64: 6, Double: 7, Binary: 8, List: 9, Struct: 12 } as const;

const utf8 = new TextEncoder();

export class CompactWriter {
  private buf = new Uint8Array(256);
  private len = 0;
  private lastField: number[] = [0];

  /** The encoded top-level struct, with its stop byte. */
  finish(): Uint8Array {
    this.byte(0);
    return this.buf.slice(0, this.len);
  }

  private byte(b: number): void {
    if (this.len === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.len++] = b;
  }

  private raw(b: Uint8Array): void {
    for (const x of b) this.byte(x);
  }

  private varint(v: bigint): void {
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }

  private zigzag(v: number | bigint): void {
    const x = BigInt(v);
    this.varint(x >= 0n ? x << 1n : (-x << 1n) - 1n);
  }

  private header(id: number, type: number): void {
    const last = this.lastField[this.lastField.length - 1]!;
    const delta = id - last;
    if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
    else {
      this.byte(type);
      this.zigzag(id);
    }
    this.lastField[this.lastField.length - 1] = id;
  }

  i32(id: number, v: number): this {
    this.header(id, CT.I32);
    this.zigzag(v);
    return this;
  }

  i64(id: number, v: number | bigint): this {
    this.header(id, CT.I64);
    this.zigzag(v);
    return this;
  }

  binary(id: number, v: string | Uint8Array): this {
    this.header(id, CT.Binary);
    this.binaryValue(v);
    return this;
  }

  bool(id: number, v: boolean): this {
    this.header(id, v ? CT.True : CT.False);
    return this;
  }

  /** A struct field; `body` writes its fields (the stop byte is added). */
  struct(id: number, body: (w: this) => void): this {
    this.header(id, CT.Struct);
    this.structValue(body);
    return this;
  }

  list<T>(id: number, elem: typeof CT.I32 | typeof CT.Binary | typeof CT.Struct, items: readonly T[], write: (w: this, item: T) => void): this {
    this.header(id, CT.List);
    if (items.length < 15) this.byte((items.length << 4) | elem);
    else {
      this.byte(0xf0 | elem);
      this.varint(BigInt(items.length));
    }
    for (const it of items) write(this, it);
    return this;
  }

  /** List element writers. */
  i32Value(v: number): void {
    this.zigzag(v);
  }

  binaryValue(v: string | Uint8Array): void {
    const b = typeof v === 'string' ? utf8.encode(v) : v;
    this.varint(BigInt(b.length));
    this.raw(b);
  }

  structValue(body: (w: this) => void): void {
    this.lastField.push(0);
    body(this);
    this.byte(0);
    this.lastField.pop();
  }
}
