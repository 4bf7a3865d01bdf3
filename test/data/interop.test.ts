// Independent Arrow implementations read what thoughtlens writes (nodejs-polars, pyarrow),
// and thoughtlens reads runs whose streams were written by polars and pyarrow.
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import {
  createRun,
  openRun,
  scanMessage,
  type AgentSpec,
  type JoinedBatch,
  type RunManifest,
  type ThoughtlensError,
} from '../../data/index.js';
import { lz4FrameDecode } from '../../data/ipcCompression.js';
import { pythonMissing, runPython } from '../helpers/python.js';
import { tempDir } from '../helpers/tmp.js';

/** Exactly representable in float32, so every implementation computes the same value. */
function value(a: number, r: number, k: number): number {
  return (((r * 7 + k * 3 + a * 11) % 101) - 50) / 16;
}

const agents: AgentSpec[] = [
  {
    id: 'alice',
    hiddenSize: 16,
    model: 'gru',
    layer: 'h',
    columns: [
      { name: 'action', type: 'int32', role: 'action' },
      { name: 'reward', type: 'float32', role: 'reward' },
      { name: 'defected', type: 'bool', role: 'event' },
      { name: 'said', type: 'utf8', role: 'text' },
    ],
  },
  { id: 'bob', hiddenSize: 8, columns: [{ name: 'action', type: 'int32', role: 'action' }] },
];
const ROWS = 230; // several batches of 64 and a partial one
/** The first 8 values of agent A's text column: null every 7th row. */
const SAID_HEAD = [null, 'row 1 ✓', 'row 2 ✓', 'row 3 ✓', 'row 4 ✓', 'row 5 ✓', 'row 6 ✓', null];

function writeThoughtlensRun(): string {
  const dir = join(tempDir(), 'tl-run');
  const w = createRun(dir, { source: { kind: 'test' }, agents, batchRows: 64, flushIntervalMs: 0 });
  for (let r = 0; r < ROWS; r += 10) {
    const n = 10;
    const rows = Array.from({ length: n }, (_, i) => r + i);
    const keys = { episode: rows.map((x) => Math.floor(x / 50)), step: rows.map((x) => x % 50) };
    agents.forEach((ag, a) => {
      const hidden = Float32Array.from({ length: n * ag.hiddenSize }, (_, j) =>
        value(a, r + Math.floor(j / ag.hiddenSize), j % ag.hiddenSize),
      );
      const columns: Record<string, (number | string | boolean | null)[]> =
        a === 0
          ? {
              action: rows.map((x) => x % 2),
              reward: rows.map((x) => (x % 5 === 0 ? null : x / 4)),
              defected: rows.map((x) => x % 3 === 0),
              said: rows.map((x) => (x % 7 === 0 ? null : `row ${x} ✓`)),
            }
          : { action: rows.map((x) => -x) };
      w.append(ag.id, { ...keys, hidden, columns });
    });
  }
  w.close();
  return dir;
}

const noPyarrow = pythonMissing('pyarrow');
const noPolars = pythonMissing('polars', 'numpy');
const reason = (why: string | null) => (why ? ` (skipped: ${why})` : '');

describe('a run written by thoughtlens', () => {
  it('is read by nodejs-polars: rows, dimensions and values match', () => {
    const dir = writeThoughtlensRun();
    agents.forEach((ag, a) => {
      const df = pl.readIPCStream(readFileSync(join(dir, 'agents', `${ag.id}.arrows`)));
      expect(df.height).toBe(ROWS);
      expect(df.columns).toEqual(['episode', 'step', 'hidden', ...ag.columns.map((c) => c.name)]);
      expect(String(df.getColumn('hidden').dtype)).toContain(
        `FixedSizeList(DataType(Float32),${ag.hiddenSize})`,
      );
      const flat = df
        .select(pl.col('hidden').explode())
        .getColumn('hidden')
        .toTypedArray() as Float32Array;
      expect(flat.length).toBe(ROWS * ag.hiddenSize);
      for (let j = 0; j < flat.length; j++) {
        if (flat[j] !== value(a, Math.floor(j / ag.hiddenSize), j % ag.hiddenSize))
          throw new Error(`agent ${ag.id} value ${j}: ${flat[j]}`);
      }
      expect(Array.from(df.getColumn('step').toTypedArray() as Int32Array).slice(48, 52)).toEqual([
        48, 49, 0, 1,
      ]);
      expect(df.getColumn('episode').max()).toBe(4);
      if (a === 0) {
        expect(df.getColumn('reward').nullCount()).toBe(ROWS / 5);
        expect(df.getColumn('said').toArray().slice(0, 8)).toEqual(SAID_HEAD);
        expect(df.getColumn('defected').toArray().slice(0, 4)).toEqual([true, false, false, true]);
        expect(df.getColumn('reward').toArray().slice(0, 3)).toEqual([null, 0.25, 0.5]);
      } else {
        expect(df.getColumn('action').sum()).toBe(-(ROWS * (ROWS - 1)) / 2);
      }
    });
  });

  it.skipIf(noPyarrow)(`is read by pyarrow, following docs/FORMAT.md${reason(noPyarrow)}`, () => {
    const dir = writeThoughtlensRun();
    const out = runPython(
      `
import json, sys, os
import pyarrow as pa, pyarrow.ipc as ipc
run = sys.argv[1]
manifest = json.load(open(os.path.join(run, "run.json")))
res = {"status": manifest["status"], "agents": {}}
for agent in manifest["agents"]:
    table = ipc.open_stream(os.path.join(run, "agents", agent["id"] + ".arrows")).read_all()
    hidden = table.column("hidden").combine_chunks()
    d = hidden.type.list_size
    flat = hidden.flatten().to_numpy().reshape(-1, d)
    res["agents"][agent["id"]] = {
        "rows": table.num_rows, "d": d, "declared": agent["hiddenSize"],
        "types": {f.name: str(f.type) for f in table.schema},
        "hidden": flat.ravel().tolist(),
        "step": table.column("step").to_pylist()[:3],
        "nulls": {c: table.column(c).null_count for c in table.column_names},
        "said": table.column("said").to_pylist()[:8] if "said" in table.column_names else None,
        "metadata": {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()},
    }
print(json.dumps(res))
`,
      [dir],
    );
    const res = JSON.parse(out) as {
      status: string;
      agents: Record<
        string,
        {
          rows: number;
          d: number;
          declared: number;
          types: Record<string, string>;
          hidden: number[];
          step: number[];
          nulls: Record<string, number>;
          said: (string | null)[] | null;
          metadata: Record<string, string>;
        }
      >;
    };
    expect(res.status).toBe('complete');
    agents.forEach((ag, a) => {
      const got = res.agents[ag.id]!;
      expect([got.rows, got.d, got.declared]).toEqual([ROWS, ag.hiddenSize, ag.hiddenSize]);
      expect(got.types.episode).toBe('int32');
      expect(got.types.hidden).toBe(`fixed_size_list<item: float not null>[${ag.hiddenSize}]`);
      expect(got.hidden).toEqual(
        Array.from({ length: ROWS * ag.hiddenSize }, (_, j) =>
          value(a, Math.floor(j / ag.hiddenSize), j % ag.hiddenSize),
        ),
      );
      expect(got.step).toEqual([0, 1, 2]);
      expect(got.metadata).toEqual({ 'thoughtlens.agent': ag.id });
    });
    const alice = res.agents.alice!;
    expect(alice.types).toMatchObject({
      action: 'int32',
      reward: 'float',
      defected: 'bool',
      said: 'string',
    });
    expect(alice.nulls).toMatchObject({ reward: ROWS / 5, said: Math.ceil(ROWS / 7), hidden: 0 });
    expect(alice.said).toEqual(SAID_HEAD);
  });
});

/** A run.json, written by the test, next to streams written by another tool. */
function writeManifestFor(
  dir: string,
  specs: AgentSpec[],
  rows: number,
  status: RunManifest['status'] = 'complete',
): void {
  const now = new Date().toISOString();
  const manifest: RunManifest = {
    format: 'thoughtlens-run',
    version: 1,
    id: 'external',
    createdAt: now,
    updatedAt: now,
    source: { kind: 'external', params: { writer: 'python' } },
    agents: specs,
    status,
    counts: Object.fromEntries(specs.map((s) => [s.id, { rows, batches: 0, bytes: 0 }])),
  };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(manifest, null, 2));
}

function readAll(dir: string): JoinedBatch[] {
  return [...openRun(dir).joined()];
}

function checkExternal(batches: JoinedBatch[], rows: number, dims: number[]): void {
  let r = 0;
  for (const b of batches) {
    for (let i = 0; i < b.length; i++, r++) {
      expect([b.episode[i], b.step[i]]).toEqual([Math.floor(r / 50), r % 50]);
      dims.forEach((d, a) => {
        for (let k = 0; k < d; k++)
          if (b.hidden[a]![i * d + k] !== value(a, r, k))
            throw new Error(`row ${r} agent ${a} k ${k}`);
      });
    }
  }
  expect(r).toBe(rows);
}

const PY_VALUES = `
import numpy as np
def values(a, rows, d):
    r = np.arange(rows)[:, None]; k = np.arange(d)[None, :]
    return (((r * 7 + k * 3 + a * 11) % 101 - 50) / 16).astype(np.float32)
`;

describe('a run written by another implementation', () => {
  it.skipIf(noPolars)(
    `polars (int64 keys, Array(Float32, d), string_view text) is read by thoughtlens${reason(noPolars)}`,
    () => {
      const dir = join(tempDir(), 'polars-run');
      mkdirSync(join(dir, 'agents'), { recursive: true });
      runPython(
        `${PY_VALUES}
import sys, polars as pl
run, rows = sys.argv[1], 180
for a, (name, d) in enumerate([("p", 12), ("q", 5)]):
    r = np.arange(rows)
    df = pl.DataFrame({
        "episode": r // 50, "step": r % 50,
        "hidden": pl.Series("hidden", values(a, rows, d), dtype=pl.Array(pl.Float32, d)),
        "action": r % 4, "reward": (r / 2).astype(np.float32),
        "note": [f"n{i}" for i in r], "flag": r % 2 == 0,
    })
    df.write_ipc_stream(f"{run}/agents/{name}.arrows")
`,
        [dir],
      );
      const cols = (): AgentSpec['columns'] => [
        { name: 'action', type: 'int32', role: 'action' },
        { name: 'reward', type: 'float32', role: 'reward' },
        { name: 'note', type: 'utf8', role: 'text' },
        { name: 'flag', type: 'bool', role: 'event' },
      ];
      writeManifestFor(
        dir,
        [
          { id: 'p', hiddenSize: 12, columns: cols() },
          { id: 'q', hiddenSize: 5, columns: cols() },
        ],
        180,
      );
      const run = openRun(dir);
      const scans = run.scan();
      expect(scans.map((s) => [s.rows, s.ended, s.truncation])).toEqual([
        [180, true, null],
        [180, true, null],
      ]);
      const batches = readAll(dir);
      checkExternal(batches, 180, [12, 5]);
      const b = batches[0]!;
      expect(Array.from(b.columns[0]!.action!).slice(0, 5)).toEqual([0, 1, 2, 3, 0]);
      expect(typeof b.columns[0]!.action![0]).toBe('number'); // int64 comes out as numbers
      expect(Array.from(b.columns[1]!.note!).slice(0, 2)).toEqual(['n0', 'n1']);
      expect(Array.from(b.columns[1]!.flag!).slice(0, 2)).toEqual([true, false]);
      expect(b.columns[0]!.reward![3]).toBe(1.5);
    },
  );

  it.skipIf(noPyarrow)(
    `pyarrow lists (pa.array(list(X)): List<Float64>, LargeList<Float32>, sliced batches) and a run.json without counts or columns are read; a row of the wrong length is named${reason(noPyarrow)}`,
    () => {
      const dir = join(tempDir(), 'pyarrow-lists');
      mkdirSync(join(dir, 'agents'), { recursive: true });
      runPython(
        `${PY_VALUES}
import sys, json, pyarrow as pa, pyarrow.ipc as ipc
run, rows = sys.argv[1], 150
for a, (name, d, typ) in enumerate([("A", 7, None), ("B", 4, pa.large_list(pa.float32()))]):
    h = values(a, rows, d)
    r = np.arange(rows)
    hidden = pa.array([row.astype(np.float64) for row in h]) if typ is None else pa.array(list(h), typ)
    t = pa.table({"episode": pa.array(r // 50), "step": pa.array(r % 50), "hidden": hidden})
    with ipc.new_stream(f"{run}/agents/{name}.arrows", t.schema) as w:
        for b in t.to_batches(max_chunksize=40):
            w.write_batch(b)
json.dump({"format": "thoughtlens-run", "version": 1, "id": "lists", "createdAt": "2026-12-07T00:00:00Z",
           "updatedAt": "2026-12-07T00:00:00Z", "source": {"kind": "external"}, "status": "complete",
           "agents": [{"id": "A", "hiddenSize": 7}, {"id": "B", "hiddenSize": 4}]}, open(f"{run}/run.json", "w"))
ragged = f"{run}-ragged"
import os, shutil
shutil.copytree(run, ragged)
h = [np.zeros(4, np.float32) for _ in range(60)]
h[45] = np.zeros(3, np.float32)
t = pa.table({"episode": pa.array(np.arange(60) // 50), "step": pa.array(np.arange(60) % 50), "hidden": pa.array(h)})
with ipc.new_stream(f"{ragged}/agents/B.arrows", t.schema) as w:
    w.write_table(t)
`,
        [dir],
      );
      const run = openRun(dir);
      expect(run.manifest.agents.map((a) => a.columns)).toEqual([[], []]);
      expect(run.manifest.counts.A).toEqual({ rows: 0, batches: 0, bytes: 0 });
      checkExternal(readAll(dir), 150, [7, 4]);
      expect(() => readAll(`${dir}-ragged`)).toThrow(/hidden state has 3 values, the manifest declares 4 .*B\.arrows.*row 45/);
    },
  );

  it.skipIf(noPyarrow)(
    `pyarrow (int32 keys, several batches, nulls) is read by thoughtlens${reason(noPyarrow)}`,
    () => {
      const dir = join(tempDir(), 'pyarrow-run');
      mkdirSync(join(dir, 'agents'), { recursive: true });
      runPython(
        `${PY_VALUES}
import sys, pyarrow as pa, pyarrow.ipc as ipc
run, rows = sys.argv[1], 200
for a, (name, d, keytype) in enumerate([("A", 6, pa.int32()), ("B", 3, pa.int64())]):
    schema = pa.schema([
        pa.field("episode", keytype, nullable=False), pa.field("step", keytype, nullable=False),
        pa.field("hidden", pa.list_(pa.field("item", pa.float32(), nullable=False), d), nullable=False),
        pa.field("action", pa.int32()), pa.field("said", pa.string()),
    ])
    h = values(a, rows, d)
    with ipc.new_stream(f"{run}/agents/{name}.arrows", schema) as w:
        for s in range(0, rows, 64):
            e = min(rows, s + 64); r = np.arange(s, e)
            w.write_batch(pa.record_batch([
                pa.array(r // 50, keytype), pa.array(r % 50, keytype),
                pa.FixedSizeListArray.from_arrays(pa.array(h[s:e].ravel()), d),
                pa.array([None if i % 9 == 0 else int(i) for i in r], pa.int32()),
                pa.array([f"s{i}" for i in r]),
            ], schema=schema))
`,
        [dir],
      );
      writeManifestFor(
        dir,
        [
          {
            id: 'A',
            hiddenSize: 6,
            columns: [
              { name: 'action', type: 'int32', role: 'action' },
              { name: 'said', type: 'utf8', role: 'text' },
            ],
          },
          { id: 'B', hiddenSize: 3, columns: [] },
        ],
        200,
      );
      const batches = readAll(dir);
      checkExternal(batches, 200, [6, 3]);
      expect(Array.from(batches[0]!.columns[0]!.action!).slice(0, 3)).toEqual([null, 1, 2]);
      expect(
        openRun(dir)
          .scan()
          .map((s) => s.batches),
      ).toEqual([4, 4]);
    },
  );

  for (const [dtype, why] of [
    ['float64', "numpy's default dtype"],
    ['float16', 'half-precision activations'],
  ] as const) {
    it.skipIf(noPyarrow)(`pyarrow ${dtype} hidden states (${why}; FixedSizeList and List, sliced batches) are read as float32${reason(noPyarrow)}`, () => {
      const dir = join(tempDir(), `${dtype}-run`);
      mkdirSync(join(dir, 'agents'), { recursive: true });
      runPython(
        `${PY_VALUES}
import sys, pyarrow as pa, pyarrow.ipc as ipc
run, rows, dtype = sys.argv[1], 150, sys.argv[2]
for a, (name, d) in enumerate([("A", 7), ("B", 4)]):
    h = values(a, rows, d).astype(dtype)
    r = np.arange(rows)
    hidden = (pa.FixedSizeListArray.from_arrays(pa.array(h.ravel()), d) if a == 0
              else pa.ListArray.from_arrays(pa.array(np.arange(rows + 1, dtype=np.int32) * d), pa.array(h.ravel())))
    t = pa.table({"episode": pa.array(r // 50), "step": pa.array(r % 50), "hidden": hidden})
    assert t.schema.field("hidden").type.value_type == pa.from_numpy_dtype(np.dtype(dtype))
    with ipc.new_stream(f"{run}/agents/{name}.arrows", t.schema) as w:
        for s in range(0, rows, 40):
            w.write_batch(t.slice(s, 40).to_batches()[0])
`,
        [dir, dtype],
      );
      writeManifestFor(dir, [{ id: 'A', hiddenSize: 7, columns: [] }, { id: 'B', hiddenSize: 4, columns: [] }], 150);
      // The values (k/16 for integers |k| ≤ 50) are exact in half precision too.
      const batches = readAll(dir);
      checkExternal(batches, 150, [7, 4]);
      expect(batches[0]!.hidden[0]).toBeInstanceOf(Float32Array);
    });
  }

  it.skipIf(noPyarrow)(
    `pyarrow Zstandard- and LZ4-compressed streams, with and without dictionary batches, are decompressed on read${reason(noPyarrow)}`,
    () => {
      const dir = join(tempDir(), 'compressed-run');
      mkdirSync(join(dir, 'agents'), { recursive: true });
      runPython(
        `${PY_VALUES}
import sys, pyarrow as pa, pyarrow.ipc as ipc
run, rows = sys.argv[1], 150
for a, (name, d, codec) in enumerate([("A", 7, "zstd"), ("B", 4, "lz4")]):
    h = values(a, rows, d)
    r = np.arange(rows)
    cols = {"episode": pa.array(r // 50, pa.int32()), "step": pa.array(r % 50, pa.int32()),
            "hidden": pa.FixedSizeListArray.from_arrays(pa.array(h.ravel()), d)}
    # B with a dictionary column (read behind its dictionary batch), A without (body decoded alone).
    if name == "B": cols["said"] = pa.array([["cooperate", "defect"][i % 2] for i in r]).dictionary_encode()
    t = pa.table(cols)
    opts = ipc.IpcWriteOptions(compression=codec)
    with ipc.new_stream(f"{run}/agents/{name}.arrows", t.schema, options=opts) as w:
        for s in range(0, rows, 40):
            w.write_batch(t.slice(s, 40).to_batches()[0])
`,
        [dir],
      );
      writeManifestFor(dir, [{ id: 'A', hiddenSize: 7, columns: [] }, { id: 'B', hiddenSize: 4, columns: [] }], 150);
      checkExternal(readAll(dir), 150, [7, 4]);
      // The body really was compressed (else this test would prove nothing).
      const raw = readFileSync(join(dir, 'agents', 'A.arrows'));
      expect(raw.byteLength).toBeLessThan(150 * 7 * 4);
    },
  );

  it.skipIf(noPyarrow)(
    `LZ4 frames decode as pyarrow's codec wrote them: long matches, overlapping copies, stored blocks${reason(noPyarrow)}`,
    () => {
      const dir = tempDir();
      runPython(
        `
import sys, numpy as np, pyarrow as pa
rng = np.random.default_rng(3)
parts = [b"ab" * 3000, rng.integers(0, 256, 70000, dtype=np.uint8).tobytes(), bytes(range(256)) * 40, b"x" * 100000]
data = b"".join(parts)
open(sys.argv[1] + "/plain.bin", "wb").write(data)
open(sys.argv[1] + "/frame.lz4", "wb").write(pa.compress(data, codec="lz4", asbytes=True))
open(sys.argv[1] + "/runs.lz4", "wb").write(pa.compress(b"xy" * 150000, codec="lz4", asbytes=True))
`,
        [dir],
      );
      const plain = readFileSync(join(dir, 'plain.bin'));
      const frame = readFileSync(join(dir, 'frame.lz4'));
      expect(frame.byteLength).toBeLessThan(plain.byteLength);
      expect(Buffer.from(lz4FrameDecode(frame)).equals(plain)).toBe(true);
      expect(Buffer.from(lz4FrameDecode(frame, plain.byteLength)).equals(plain)).toBe(true);
      expect(() => lz4FrameDecode(frame.subarray(0, frame.byteLength - 9))).toThrow(/LZ4: truncated/);
      // 300 000 bytes from about a thousand: the output grows many times inside one block.
      const runs = readFileSync(join(dir, 'runs.lz4'));
      expect(runs.byteLength).toBeLessThan(5000);
      expect(Buffer.from(lz4FrameDecode(runs)).equals(Buffer.from('xy'.repeat(150000)))).toBe(true);
    },
  );

  it.skipIf(noPyarrow)(
    `pyarrow dictionary-encoded text (a new dictionary per batch) is read by value${reason(noPyarrow)}`,
    () => {
      const dir = join(tempDir(), 'dict-run');
      mkdirSync(join(dir, 'agents'), { recursive: true });
      runPython(
        `${PY_VALUES}
import sys, pyarrow as pa, pyarrow.ipc as ipc
run, d = sys.argv[1], 3
h = values(0, 90, d)
schema = pa.schema([("episode", pa.int32()), ("step", pa.int32()), ("hidden", pa.list_(pa.float32(), d)),
                    ("said", pa.dictionary(pa.int8(), pa.string()))])
with ipc.new_stream(f"{run}/agents/A.arrows", schema) as w:
    for s in range(0, 90, 40):
        r = np.arange(s, min(90, s + 40))
        # A different dictionary in every batch (first-seen order changes): replacement dictionaries.
        said = pa.array([["cooperate", "defect", None, "wait"][(i + s // 40) % 4] for i in r]).dictionary_encode()
        w.write_batch(pa.record_batch([pa.array(r // 50, pa.int32()), pa.array(r % 50, pa.int32()),
            pa.FixedSizeListArray.from_arrays(pa.array(h[r].ravel()), d), said.cast(pa.dictionary(pa.int8(), pa.string()))], schema=schema))
`,
        [dir],
      );
      writeManifestFor(
        dir,
        [{ id: 'A', hiddenSize: 3, columns: [{ name: 'said', type: 'utf8', role: 'text' }] }],
        90,
      );
      const batches = readAll(dir);
      checkExternal(batches, 90, [3]);
      const said = batches.flatMap((b) => Array.from(b.columns[0]!.said!));
      const words = ['cooperate', 'defect', null, 'wait'];
      expect(said).toEqual(
        Array.from({ length: 90 }, (_, i) => words[(i + Math.floor(i / 40)) % 4]),
      );
    },
  );

  it.skipIf(noPyarrow)(`pyarrow delta dictionaries are read by value${reason(noPyarrow)}`, () => {
    const dir = join(tempDir(), 'delta-run');
    mkdirSync(join(dir, 'agents'), { recursive: true });
    runPython(
      `${PY_VALUES}
import sys, pyarrow as pa, pyarrow.ipc as ipc
run, d = sys.argv[1], 2
words = ["cooperate", "defect", "wait", "sulk"]
h = values(0, 60, d)
schema = pa.schema([("episode", pa.int32()), ("step", pa.int32()), ("hidden", pa.list_(pa.float32(), d)),
                    ("said", pa.dictionary(pa.int8(), pa.string()))])
opts = ipc.IpcWriteOptions(emit_dictionary_deltas=True)
with ipc.new_stream(f"{run}/agents/A.arrows", schema, options=opts) as w:
    for k, s in enumerate(range(0, 60, 20)):
        r = np.arange(s, s + 20)
        # Batch k may use the first k + 2 words: each dictionary extends the last one.
        said = pa.DictionaryArray.from_arrays(pa.array(r % (k + 2), pa.int8()), pa.array(words[:k + 2]))
        w.write_batch(pa.record_batch([pa.array(r // 50, pa.int32()), pa.array(r % 50, pa.int32()),
            pa.FixedSizeListArray.from_arrays(pa.array(h[r].ravel()), d), said], schema=schema))
`,
      [dir],
    );
    writeManifestFor(
      dir,
      [{ id: 'A', hiddenSize: 2, columns: [{ name: 'said', type: 'utf8', role: 'text' }] }],
      60,
    );
    // The file really holds delta dictionary messages.
    const file = join(dir, 'agents', 'A.arrows');
    const fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    let deltas = 0;
    for (let at = 0; ;) {
      const r = scanMessage(fd, at, size, file);
      if (r.kind !== 'message') break;
      if (r.message.isDictionaryBatch() && (r.message.header() as { isDelta: boolean }).isDelta)
        deltas++;
      at = r.end;
    }
    closeSync(fd);
    expect(deltas).toBe(2);
    const batches = readAll(dir);
    checkExternal(batches, 60, [2]);
    const words = ['cooperate', 'defect', 'wait', 'sulk'];
    const said = batches.flatMap((b) => Array.from(b.columns[0]!.said!));
    expect(said).toEqual(Array.from({ length: 60 }, (_, r) => words[r % (Math.floor(r / 20) + 2)]));
  });

  it.skipIf(noPyarrow)(
    `a NaN in a pyarrow-written stream is rejected naming file, column and row${reason(noPyarrow)}`,
    () => {
      const dir = join(tempDir(), 'nan-run');
      mkdirSync(join(dir, 'agents'), { recursive: true });
      runPython(
        `${PY_VALUES}
import sys, pyarrow as pa, pyarrow.ipc as ipc
run, d = sys.argv[1], 4
h = values(0, 100, d)
h[71, 2] = np.inf
h[90, 0] = np.nan
schema = pa.schema([("episode", pa.int32()), ("step", pa.int32()), ("hidden", pa.list_(pa.float32(), d))])
with ipc.new_stream(f"{run}/agents/A.arrows", schema) as w:
    for s in range(0, 100, 30):
        r = np.arange(s, min(100, s + 30))
        w.write_batch(pa.record_batch([pa.array(r // 50, pa.int32()), pa.array(r % 50, pa.int32()),
            pa.FixedSizeListArray.from_arrays(pa.array(h[r].ravel()), d)], schema=schema))
`,
        [dir],
      );
      writeManifestFor(dir, [{ id: 'A', hiddenSize: 4, columns: [] }], 100);
      let err: ThoughtlensError | null = null;
      let rowsBefore = 0;
      try {
        for (const b of openRun(dir).joined()) rowsBefore += b.length;
      } catch (e) {
        err = e as ThoughtlensError;
      }
      expect(rowsBefore).toBe(60); // the two batches before the bad one
      expect(err?.code).toBe('TL_BAD_VALUE');
      const file = join(dir, 'agents', 'A.arrows');
      expect(err?.location).toEqual({ file, column: 'hidden', row: 71 });
      expect(err?.message).toBe(
        `hidden state is Infinity at element 2 (episode 1, step 21) of agent 'A'; hidden states must be finite (file ${file}, column 'hidden', row 71)`,
      );
    },
  );

  it.skipIf(noPyarrow)(
    `a pyarrow stream with another hidden size than run.json declares is a schema mismatch${reason(noPyarrow)}`,
    () => {
      const dir = join(tempDir(), 'dim-run');
      mkdirSync(join(dir, 'agents'), { recursive: true });
      runPython(
        `
import sys, pyarrow as pa, pyarrow.ipc as ipc
schema = pa.schema([("episode", pa.int64()), ("step", pa.int64()), ("hidden", pa.list_(pa.float32(), 5))])
with ipc.new_stream(sys.argv[1] + "/agents/A.arrows", schema) as w:
    w.write_batch(pa.record_batch([pa.array([0]), pa.array([0]), pa.FixedSizeListArray.from_arrays(pa.array([0.0] * 5, pa.float32()), 5)], schema=schema))
`,
        [dir],
      );
      writeManifestFor(dir, [{ id: 'A', hiddenSize: 4, columns: [] }], 1);
      expect(() => readAll(dir)).toThrow(
        `wrong hidden dimension: the stream has 5, the manifest declares 4 for agent 'A' (file ${join(dir, 'agents', 'A.arrows')}, column 'hidden')`,
      );
    },
  );
});
