// An ONNX model of one product Y = A·Bᵀ (a Gemm with transB = 1) over float32 inputs of any
// size (symbolic dimensions), written as protobuf bytes here instead of committing a .onnx
// file, as wasmEmitter.ts writes its WebAssembly. A is [M, K] and B is [N, K], both
// row-major, so the sparse engine multiplies its transposed encoder Wᵀ [m, d] with the batch
// x [B, d] as stored and gets preᵀ [m, B] without transposing either.

const FLOAT = 1;

class ProtoWriter {
  private readonly bytes: number[] = [];

  private varint(v: number): void {
    let n = v;
    while (n > 0x7f) {
      this.bytes.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    this.bytes.push(n);
  }

  int(field: number, v: number): this {
    this.varint(field << 3);
    this.varint(v);
    return this;
  }

  bytesField(field: number, b: Uint8Array | number[]): this {
    this.varint((field << 3) | 2);
    this.varint(b.length);
    for (const x of b) this.bytes.push(x);
    return this;
  }

  str(field: number, s: string): this {
    return this.bytesField(field, new TextEncoder().encode(s));
  }

  msg(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytesField(field, inner.bytes);
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** ValueInfoProto of a float32 matrix with symbolic dimensions. */
function matrixInfo(w: ProtoWriter, name: string, rows: string, cols: string): void {
  w.str(1, name).msg(2, (type) =>
    type.msg(1, (tensor) =>
      tensor.int(1, FLOAT).msg(2, (shape) => {
        shape.msg(1, (dim) => dim.str(2, rows));
        shape.msg(1, (dim) => dim.str(2, cols));
      }),
    ),
  );
}

/** The model bytes: inputs `a` [M, K] and `b` [N, K], output `y` = a·bᵀ [M, N]. */
export function onnxGemmModel(): Uint8Array {
  return new ProtoWriter()
    .int(1, 8) // ir_version
    .str(2, 'thoughtlens')
    .msg(7, (graph) => {
      graph.msg(1, (node) => {
        node.str(1, 'a').str(1, 'b').str(2, 'y').str(3, 'gemm').str(4, 'Gemm');
        // AttributeProto transB: name (1), i (3), type (20) = INT (2).
        node.msg(5, (attr) => attr.str(1, 'transB').int(3, 1).int(20, 2));
      });
      graph.str(2, 'encoder_product');
      graph.msg(11, (v) => matrixInfo(v, 'a', 'M', 'K'));
      graph.msg(11, (v) => matrixInfo(v, 'b', 'N', 'K'));
      graph.msg(12, (v) => matrixInfo(v, 'y', 'M', 'N'));
    })
    .msg(8, (opset) => opset.str(1, '').int(2, 13))
    .finish();
}
