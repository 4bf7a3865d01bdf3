import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FormatError,
  decodeSafetensors,
  encodeSafetensors,
  readSafetensors,
  writeSafetensors,
  type NamedTensor,
} from '../../data/index.js';
import { makeRng } from '../../util/random.js';
import { pythonMissing, runPython } from '../helpers/python.js';
import { tempDir } from '../helpers/tmp.js';

function sample(): Record<string, NamedTensor> {
  const rng = makeRng(7);
  return {
    'A.W_enc': {
      data: Float32Array.from({ length: 6 * 5 }, () => rng.next() - 0.5),
      shape: [6, 5],
    },
    b_enc: { data: Float32Array.from({ length: 5 }, () => rng.next()), shape: [5] },
    scale: { data: Float64Array.of(Math.PI), shape: [] },
    ids: { data: Int32Array.of(-1, 0, 2147483647), shape: [3] },
    mask: { data: Uint8Array.of(1, 0, 1, 1), shape: [2, 2] },
    empty: { data: new Float32Array(0), shape: [0, 4] },
  };
}

const noSafetensors = pythonMissing('safetensors', 'numpy');

describe('safetensors', () => {
  it('round-trips tensors of every supported dtype, shapes and metadata', () => {
    const file = join(tempDir(), 'ck.safetensors');
    writeSafetensors(file, sample(), { backend: 'wasm', seed: '1' });
    const { tensors, metadata } = readSafetensors(file);
    expect(metadata).toEqual({ backend: 'wasm', seed: '1' });
    for (const [name, t] of Object.entries(sample())) {
      expect(tensors[name]!.shape).toEqual(t.shape);
      expect(tensors[name]!.data.constructor).toBe(t.data.constructor);
      expect(Array.from(tensors[name]!.data)).toEqual(Array.from(t.data));
    }
    // Tensor data starts 8-byte aligned after the header.
    const bytes = readFileSync(file);
    expect((8 + Number(bytes.readBigUInt64LE(0))) % 8).toBe(0);
  });

  it('rejects broken files with a FormatError naming the file and the tensor', () => {
    const good = encodeSafetensors(sample());
    expect(() => decodeSafetensors(good.subarray(0, 5), 'x.st')).toThrow(/too short.*file x\.st/);
    const cut = good.subarray(0, good.byteLength - 4);
    expect(() => decodeSafetensors(cut, 'x.st')).toThrow(FormatError);
    const header = (h: object) => {
      const json = Buffer.from(JSON.stringify(h));
      const out = Buffer.alloc(8 + json.length + 16);
      out.writeBigUInt64LE(BigInt(json.length));
      json.copy(out, 8);
      return out;
    };
    expect(() =>
      decodeSafetensors(header({ w: { dtype: 'BF16', shape: [1], data_offsets: [0, 2] } }), 'x.st'),
    ).toThrow(/tensor 'w' has unsupported dtype "BF16".*column 'w'/);
    expect(() =>
      decodeSafetensors(header({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }), 'x.st'),
    ).toThrow(/tensor 'w': 8 bytes for shape \[3\]/);
    expect(() =>
      decodeSafetensors(header({ w: { dtype: 'F32', shape: [8], data_offsets: [0, 32] } }), 'x.st'),
    ).toThrow(/bad data_offsets/);
    const bad = Buffer.alloc(16);
    bad.writeBigUInt64LE(1000n);
    expect(() => decodeSafetensors(bad, 'x.st')).toThrow(/header length 1000 exceeds the file/);
    expect(() => encodeSafetensors({ w: { data: new Float32Array(3), shape: [2, 2] } })).toThrow(
      /3 values for shape \[2,2\]/,
    );
  });

  it.skipIf(noSafetensors)(
    `Python safetensors.numpy reads what thoughtlens writes ${noSafetensors ? `(skipped: ${noSafetensors})` : ''}`,
    () => {
      const file = join(tempDir(), 'js.safetensors');
      writeSafetensors(file, sample(), { note: 'from js' });
      const out = runPython(
        `
import sys, json, numpy as np
from safetensors.numpy import load_file
from safetensors import safe_open
t = load_file(sys.argv[1])
with safe_open(sys.argv[1], framework="np") as f: meta = f.metadata()
print(json.dumps({"meta": meta, "t": {k: {"dtype": str(v.dtype), "shape": list(v.shape), "values": v.astype(np.float64).ravel().tolist()} for k, v in t.items()}}))
`,
        [file],
      );
      const got = JSON.parse(out) as {
        meta: Record<string, string>;
        t: Record<string, { dtype: string; shape: number[]; values: number[] }>;
      };
      expect(got.meta).toEqual({ note: 'from js' });
      const dtypes: Record<string, string> = {
        'A.W_enc': 'float32',
        b_enc: 'float32',
        scale: 'float64',
        ids: 'int32',
        mask: 'uint8',
        empty: 'float32',
      };
      for (const [name, t] of Object.entries(sample())) {
        expect(got.t[name]).toEqual({
          dtype: dtypes[name],
          shape: t.shape,
          values: Array.from(t.data),
        });
      }
    },
  );

  it.skipIf(noSafetensors)(
    `thoughtlens reads what Python safetensors.numpy writes ${noSafetensors ? `(skipped: ${noSafetensors})` : ''}`,
    () => {
      const file = join(tempDir(), 'py.safetensors');
      runPython(
        `
import sys, numpy as np
from safetensors.numpy import save_file
rng = np.random.default_rng(3)
save_file({
  "W_dec": (rng.standard_normal((7, 3)) * 10).astype(np.float32),
  "b_dec": np.arange(3, dtype=np.float32) / 3,
  "steps": np.array([5, -6, 7], dtype=np.int32),
  "lr": np.array(1e-3, dtype=np.float64),
}, sys.argv[1], metadata={"format": "pt"})
`,
        [file],
      );
      const { tensors, metadata } = readSafetensors(file);
      expect(metadata).toEqual({ format: 'pt' });
      expect(tensors.W_dec!.shape).toEqual([7, 3]);
      expect(tensors.W_dec!.data).toBeInstanceOf(Float32Array);
      expect(Array.from(tensors.b_dec!.data)).toEqual([0, 1 / 3, 2 / 3].map(Math.fround));
      expect(Array.from(tensors.steps!.data)).toEqual([5, -6, 7]);
      expect(tensors.lr).toEqual({ data: Float64Array.of(1e-3), shape: [] });
      // Same W_dec values as numpy computes them.
      const expected = JSON.parse(
        runPython(
          `import numpy as np, json; rng = np.random.default_rng(3); print(json.dumps((rng.standard_normal((7, 3)) * 10).astype(np.float32).astype(float).ravel().tolist()))`,
        ),
      ) as number[];
      expect(Array.from(tensors.W_dec!.data)).toEqual(expected);
    },
  );
});
