// Parquet export (data/exportParquet.ts, `thoughtlens export-parquet`): DuckDB, Polars and
// pyarrow read every agent's file with the run's row count and values; several row groups,
// nulls of every column type, UTF-8 text and d = 1 included.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import {
  behaviourColumns,
  createRun,
  exportRunParquet,
  openRun,
  type AgentSpec,
} from '../../data/index.js';
import { pythonMissing, runPython } from '../helpers/python.js';
import { runCliCapture } from '../helpers/runCliCapture.js';
import { tempDir } from '../helpers/tmp.js';

const missing = pythonMissing('duckdb', 'polars', 'pyarrow'); // under THOUGHTLENS_CI=1 a missing module fails

const COLUMNS: AgentSpec['columns'] = [
  { name: 'action', type: 'int32', role: 'action' },
  { name: 'reward', type: 'float32', role: 'reward' },
  { name: 'value', type: 'float64', role: 'other' },
  { name: 'defected', type: 'bool', role: 'event' },
  { name: 'note', type: 'utf8', role: 'text' },
];

type Values = {
  episode: number[];
  step: number[];
  hidden: number[][];
  columns: Record<string, unknown[]>;
};

function makeRun(dir: string): void {
  const agents: AgentSpec[] = [
    { id: 'A', hiddenSize: 7, columns: COLUMNS },
    { id: 'B', hiddenSize: 1, columns: COLUMNS.slice(0, 2) },
  ];
  const w = createRun(dir, { source: { kind: 'test' }, agents, batchRows: 13, flushIntervalMs: 0 });
  for (let ep = 0; ep < 3; ep++) {
    const n = 40;
    const step = Int32Array.from({ length: n }, (_, i) => i);
    const episode = new Int32Array(n).fill(ep);
    for (const a of agents) {
      const hidden = Float32Array.from({ length: n * a.hiddenSize }, (_, i) =>
        Math.sin(ep * 100 + i * 0.37 + a.hiddenSize),
      );
      const columns: Record<string, unknown[]> = {
        action: Array.from(step, (s) => (s % 7 === 3 ? null : s * (ep + 1))),
        reward: Array.from(step, (s) => (s % 5 === 0 ? null : Math.fround(s / 3))),
        value: Array.from(step, (s) => (s % 6 === 1 ? null : s / 7 + ep)),
        defected: Array.from(step, (s) => (s % 4 === 2 ? null : s % 3 === 0)),
        note: Array.from(step, (s) => (s % 9 === 0 ? null : `ep ${ep} · step ${s} — ✓`)),
      };
      const own = Object.fromEntries(a.columns.map((c) => [c.name, columns[c.name]!])) as never;
      w.append(a.id, { episode, step, hidden, columns: own });
    }
  }
  w.close();
}

function runValues(dir: string, agent: string): Values {
  const run = openRun(dir);
  const d = run.agent(agent).hiddenSize;
  const out: Values = { episode: [], step: [], hidden: [], columns: {} };
  for (const b of run.openAgent(agent).batches()) {
    out.episode.push(...b.episode);
    out.step.push(...b.step);
    for (let r = 0; r < b.length; r++)
      out.hidden.push(Array.from(b.hidden.subarray(r * d, (r + 1) * d)));
    for (const [k, v] of Object.entries(behaviourColumns(b, 0, b.length)))
      (out.columns[k] ??= []).push(...Array.from(v));
  }
  return out;
}

const READ = `
import json, sys, duckdb, polars as pl, pyarrow.parquet as pq
out = {}
for agent in sys.argv[2].split(","):
    path = f"{sys.argv[1]}/{agent}.parquet"
    rel = duckdb.sql(f"SELECT * FROM read_parquet('{path}')")
    names = rel.columns
    rows = rel.fetchall()
    dd = {n: [r[i] for r in rows] for i, n in enumerate(names)}
    pdf = pl.read_parquet(path)
    pt = pq.read_table(path)
    out[agent] = {
        "duckdb": dd, "duckdbCount": duckdb.sql(f"SELECT count(*) FROM '{path}'").fetchone()[0],
        "duckdbTypes": [str(t) for t in rel.types],
        "polars": pdf.to_dict(as_series=False), "polarsTypes": [str(t) for t in pdf.dtypes], "polarsRows": pdf.height,
        "pyarrowType": str(pt.schema.field("hidden").type), "rowGroups": pq.ParquetFile(path).metadata.num_row_groups,
    }
a, b = (f"{sys.argv[1]}/{x}.parquet" for x in ("A", "B"))
out["join"] = duckdb.sql(f"SELECT count(*) FROM '{a}' a JOIN '{b}' b USING (episode, step)").fetchone()[0]
print(json.dumps(out))
`;

describe('Parquet export', () => {
  it.skipIf(missing !== null)(
    "DuckDB, Polars and pyarrow read each agent file with the run's row count and values",
    () => {
      const root = tempDir();
      const runDir = join(root, 'pq-run');
      makeRun(runDir);
      const res = exportRunParquet(runDir, join(root, 'out'), { rowGroupRows: 50 });
      expect(res.files.map((f) => [f.agent, f.rows, f.rowGroups, f.truncation])).toEqual([
        ['A', 120, 3, null],
        ['B', 120, 3, null],
      ]);
      expect(readdirSync(join(root, 'out')).sort()).toEqual(['A.parquet', 'B.parquet']); // no temporary files left
      const read = JSON.parse(runPython(READ, [join(root, 'out'), 'A,B'])) as Record<
        string,
        Record<string, unknown>
      > & { join: number };
      expect(read.join).toBe(120);
      for (const agent of ['A', 'B']) {
        const want = runValues(runDir, agent);
        const names = ['episode', 'step', 'hidden', ...Object.keys(want.columns)];
        const asColumns = {
          episode: want.episode,
          step: want.step,
          hidden: want.hidden,
          ...want.columns,
        };
        const got = read[agent]!;
        expect(got.duckdbCount).toBe(120);
        expect(got.polarsRows).toBe(120);
        expect(got.rowGroups).toBe(3);
        expect(Object.keys(got.duckdb as object)).toEqual(names);
        expect(got.duckdb).toEqual(asColumns);
        expect(got.polars).toEqual(asColumns);
        const d = agent === 'A' ? 7 : 1;
        expect(got.pyarrowType).toBe(`fixed_size_list<element: float not null>[${d}]`);
        expect((got.polarsTypes as string[]).slice(0, 3)).toEqual([
          'Int32',
          'Int32',
          `Array(Float32, shape=(${d},))`,
        ]);
        expect((got.duckdbTypes as string[]).slice(0, 3)).toEqual([
          'INTEGER',
          'INTEGER',
          'FLOAT[]',
        ]);
      }
      expect((read.A!.duckdbTypes as string[]).slice(3)).toEqual([
        'INTEGER',
        'FLOAT',
        'DOUBLE',
        'BOOLEAN',
        'VARCHAR',
      ]);
    },
  );

  it.skipIf(missing !== null)('a torn tail (a killed recording) is left out and reported; the complete rows are exported', () => {
    const root = tempDir();
    const runDir = join(root, 'pq-torn');
    makeRun(runDir);
    const file = join(runDir, 'agents', 'A.arrows');
    truncateSync(file, statSync(file).size - 60); // cuts the end-of-stream marker and into the last batch
    const rows = openRun(runDir).scan()[0]!.rows;
    expect(rows).toBeLessThan(120);
    const res = exportRunParquet(runDir, join(root, 'out'));
    expect(res.files[0]!.rows).toBe(rows);
    expect(res.files[0]!.truncation).toMatch(/cut short|truncated|incomplete/i);
    expect(res.files[1]!).toMatchObject({ rows: 120, truncation: null });
    const n = JSON.parse(runPython(`import sys, duckdb; print(duckdb.sql(f"SELECT count(*) FROM '{sys.argv[1]}'").fetchone()[0])`, [join(root, 'out', 'A.parquet')]));
    expect(n).toBe(rows);
  });

  it.skipIf(missing !== null)(
    'thoughtlens export-parquet writes one file per agent and reports them',
    async () => {
      const root = tempDir();
      const runDir = join(root, 'pq-cli');
      makeRun(runDir);
      const out = join(root, 'pq');
      const r = await runCliCapture([
        '--json',
        'export-parquet',
        runDir,
        '--out',
        out,
        '--agent',
        'B',
      ]);
      expect(r.code, r.stderr).toBe(0);
      const res = JSON.parse(r.stdout) as {
        run: string;
        files: { agent: string; rows: number; rowGroups: number }[];
      };
      expect(res.run).toBe('pq-cli');
      expect(res.files.map((f) => [f.agent, f.rows, f.rowGroups])).toEqual([['B', 120, 1]]);
      expect(existsSync(join(out, 'A.parquet'))).toBe(false);
      const read = JSON.parse(
        runPython(
          `import sys, duckdb; print(duckdb.sql(f"SELECT count(*), sum(hidden[1]) FROM '{sys.argv[1]}'").fetchone()[0])`,
          [join(out, 'B.parquet')],
        ),
      );
      expect(read).toBe(120);
      const bad = await runCliCapture([
        'export-parquet',
        runDir,
        '--out',
        out,
        '--row-group-rows',
        '0',
      ]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--row-group-rows must be a positive integer/);
    },
  );
});
