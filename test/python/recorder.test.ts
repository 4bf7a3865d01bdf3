// The Python recorder package (python/thoughtlens): a run it writes is read back by
// thoughtlens (data/) and by pyarrow with identical values; it refuses what the format
// forbids; it streams to a running workbench; `pip install ./python` installs it.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRun } from '../../data/index.js';
import type { RunningServer } from '../../server/index.js';
import { pythonMissing } from '../helpers/python.js';
import { lastJson, PYTHON_PACKAGE, runPackagePython, runPackagePythonAsync } from '../helpers/pythonPackage.js';
import { startTestServer } from '../helpers/serverClient.js';
import { tempDir } from '../helpers/tmp.js';

const missing = pythonMissing('numpy', 'pyarrow'); // under THOUGHTLENS_CI=1 a missing module fails

interface AgentValues {
  episode: number[];
  step: number[];
  hidden: number[][];
  columns: Record<string, (number | boolean | string | null)[]>;
}
type Dump = Record<string, AgentValues>;

// Seeded values: two agents of different sizes, every column type, nulls, two episodes,
// six record batches (batch_rows=7, no timed flushes), rows appended one at a time and as blocks.
const RECORD = `
import json, sys, numpy as np, pyarrow.ipc as ipc
from thoughtlens import Recorder
rng = np.random.default_rng(7)
run = sys.argv[1]
cols = {"action": "int32", "reward": "float32", "value": "float64", "defected": "bool", "note": "utf8"}
sizes = {"A": 5, "B": 3}
orig = {a: {"episode": [], "step": [], "hidden": [], "columns": {c: [] for c in cols}} for a in sizes}
def put(rec, a, ep, st, h, **c):
    rec.append(a, ep, st, h, **c)
    eps = np.atleast_1d(np.asarray(ep).repeat(len(np.atleast_1d(st))) if np.ndim(ep) == 0 else ep).tolist()
    sts = np.atleast_1d(st).tolist()
    o = orig[a]
    o["episode"] += eps if len(eps) == len(sts) else eps[: len(sts)]
    o["step"] += sts
    o["hidden"] += np.atleast_2d(np.asarray(h, np.float32)).tolist()
    for name in cols:
        v = c.get(name)
        vals = v if isinstance(v, list) else [v] * len(sts)
        o["columns"][name] += [float(np.float32(x)) if name == "reward" and x is not None else x for x in vals]
with Recorder(run, agents={"A": {"hiddenSize": 5, "model": "m-a", "layer": "block 3"}, "B": 3}, columns=cols, batch_rows=7, flush_interval=None,
              source={"kind": "external", "params": {"test": True}}) as rec:
    for ep in range(2):
        for st in range(0, 20):
            for a, d in sizes.items():
                h = rng.standard_normal(d).astype(np.float32)
                put(rec, a, ep, st, h, action=int(rng.integers(0, 2)), reward=float(rng.standard_normal()),
                    value=float(rng.standard_normal()), defected=bool(st % 3 == 0) if st % 5 else None,
                    note=None if st % 4 == 0 else f"{a}-{ep}-{st} ✓")
    for a, d in sizes.items():  # a block of 4 rows in one call
        put(rec, a, 2, [0, 1, 2, 3], rng.standard_normal((4, d)), action=[1, 2, None, 4], note="block")
back = {}
for a in sizes:
    t = ipc.open_stream(f"{run}/agents/{a}.arrows").read_all()
    back[a] = {"episode": t["episode"].to_pylist(), "step": t["step"].to_pylist(), "hidden": t["hidden"].to_pylist(),
               "columns": {c: t[c].to_pylist() for c in cols},
               "schema": {"metadata": {k.decode(): v.decode() for k, v in t.schema.metadata.items()},
                          "types": [str(f.type) for f in t.schema], "names": t.schema.names}}
print(json.dumps({"orig": orig, "pyarrow": back}))
`;

describe('python Recorder', () => {
  it.skipIf(missing !== null)('writes a run that thoughtlens and pyarrow read back with identical values', () => {
    const run = join(tempDir(), 'py-rec');
    const out = lastJson<{ orig: Dump; pyarrow: Dump & Record<string, { schema: { metadata: Record<string, string>; types: string[]; names: string[] } }> }>(
      runPackagePython(['-c', RECORD, run]),
    );
    const { orig, pyarrow } = out;
    expect(orig.A!.step.length).toBe(44);
    // pyarrow reads exactly what was recorded.
    for (const a of ['A', 'B']) {
      const { schema, ...values } = pyarrow[a] as AgentValues & { schema: { metadata: Record<string, string>; types: string[]; names: string[] } };
      expect(values).toEqual(orig[a]);
      expect(schema.metadata).toEqual({ 'thoughtlens.agent': a });
      expect(schema.names).toEqual(['episode', 'step', 'hidden', 'action', 'reward', 'value', 'defected', 'note']);
      expect(schema.types.slice(0, 3)).toEqual(['int32', 'int32', `fixed_size_list<item: float not null>[${a === 'A' ? 5 : 3}]`]);
    }
    // thoughtlens reads the same values.
    const r = openRun(run);
    expect(r.manifest.status).toBe('complete');
    expect(r.manifest.agents.map((a) => [a.id, a.hiddenSize, a.model ?? null])).toEqual([['A', 5, 'm-a'], ['B', 3, null]]);
    expect(r.manifest.agents[0]!.columns.map((c) => `${c.name}:${c.type}:${c.role}`)).toEqual([
      'action:int32:action', 'reward:float32:reward', 'value:float64:other', 'defected:bool:event', 'note:utf8:text',
    ]);
    expect(r.scan().map((s) => [s.rows, s.batches, s.ended])).toEqual([[44, 6, true], [44, 6, true]]);
    const manifest = JSON.parse(readFileSync(join(run, 'run.json'), 'utf8')) as { counts: Record<string, { rows: number }>; writer?: unknown };
    expect(manifest.counts.A!.rows).toBe(44);
    expect(manifest.writer).toBeUndefined();
    const seen: Dump = { A: empty(), B: empty() };
    for (const b of r.joined()) {
      ['A', 'B'].forEach((a, i) => {
        const d = a === 'A' ? 5 : 3;
        const s = seen[a]!;
        s.episode.push(...b.episode);
        s.step.push(...b.step);
        for (let row = 0; row < b.length; row++) s.hidden.push(Array.from(b.hidden[i]!.subarray(row * d, (row + 1) * d)));
        for (const [name, vals] of Object.entries(b.columns[i]!)) (s.columns[name] ??= []).push(...Array.from(vals, (v) => (typeof v === 'bigint' ? Number(v) : v)));
      });
    }
    expect(seen).toEqual(orig);
  });

  it.skipIf(missing !== null)('refuses NaN states, repeated keys, undeclared columns, wrong sizes and an existing run, naming each', () => {
    const dir = tempDir();
    const out = lastJson<Record<string, string>>(
      runPackagePython([
        '-c',
        `
import json, sys, numpy as np
from thoughtlens import Recorder, ThoughtlensError
errs = {}
def attempt(name, f):
    try:
        f(); errs[name] = "no error"
    except ThoughtlensError as e:
        errs[name] = str(e)
rec = Recorder(sys.argv[1] + "/r", agents={"A": 3}, columns={"action": "int32"})
rec.append("A", 0, 0, [1, 2, 3], action=1)
attempt("nan", lambda: rec.append("A", 0, 1, [1, float("nan"), 3]))
attempt("repeat", lambda: rec.append("A", 0, 0, [1, 2, 3]))
attempt("column", lambda: rec.append("A", 0, 2, [1, 2, 3], mood=1))
attempt("size", lambda: rec.append("A", 0, 3, [1, 2]))
attempt("agent", lambda: rec.append("C", 0, 3, [1, 2, 3]))
rec.close()
attempt("exists", lambda: Recorder(sys.argv[1] + "/r", agents={"A": 3}))
attempt("id", lambda: Recorder(sys.argv[1] + "/bad name", agents={"A": 3}))
attempt("spec", lambda: Recorder(sys.argv[1] + "/s", agents={"A": 3}, columns={"step": "int32"}))
print(json.dumps(errs))
`,
        dir,
      ]),
    );
    expect(out.nan).toMatch(/^TL_BAD_VALUE: agent 'A': hidden state is nan at element 1 \(episode 0, step 1\)/);
    expect(out.repeat).toMatch(/^TL_BAD_VALUE: agent 'A': \(episode 0, step 0\) was recorded already/);
    expect(out.column).toMatch(/^TL_FORMAT: agent 'A': no column 'mood' was declared \(declared: action\)/);
    expect(out.size).toMatch(/^TL_FORMAT: agent 'A': hidden must have shape \(3,\)/);
    expect(out.agent).toMatch(/no agent 'C' in this run/);
    expect(out.exists).toMatch(/^TL_CONFLICT: a run exists already/);
    expect(out.id).toMatch(/run id/);
    expect(out.spec).toMatch(/agents\[0\]\.columns\[0\]\.name must not be one of episode, step, hidden/);
    const r = openRun(join(dir, 'r'));
    expect(r.scan()[0]!.rows).toBe(1); // what was accepted is there
  });

  it.skipIf(missing !== null)('marks the run aborted, with the reason, when the recording block raises; rows recorded stay readable', () => {
    const run = join(tempDir(), 'py-abort');
    const r = runPackagePython([
      '-c',
      `
import sys, numpy as np
from thoughtlens import Recorder
with Recorder(sys.argv[1], agents={"A": 4, "B": 4}) as rec:
    for t in range(10):
        rec.append("A", 0, t, np.full(4, t)); rec.append("B", 0, t, np.full(4, -t))
    raise RuntimeError("the environment crashed")
`,
      run,
    ]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/RuntimeError: the environment crashed/);
    const run1 = openRun(run);
    expect(run1.manifest.status).toBe('aborted');
    expect(run1.manifest.notes).toEqual(['RuntimeError: the environment crashed']);
    expect(run1.scan().map((s) => s.rows)).toEqual([10, 10]);
  });
});

describe('python Recorder streaming to a workbench', () => {
  let server: RunningServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it.skipIf(missing !== null)('streams every row over chunked HTTP into the run store, values intact', async () => {
    const ws = tempDir();
    server = await startTestServer({ workspace: ws });
    const r = await runPackagePythonAsync([
      '-c',
      `
import json, sys, numpy as np
from thoughtlens import Recorder
rng = np.random.default_rng(3)
H = {a: rng.standard_normal((90, d)).astype(np.float32) for a, d in (("A", 6), ("B", 4))}
with Recorder("live-1", agents={"A": 6, "B": 4}, columns={"action": "int32"}, url=sys.argv[1], batch_rows=16) as rec:
    for t in range(90):
        for a in H:
            rec.append(a, t // 30, t % 30, H[a][t], action=t)
res = rec.close()
print(json.dumps({"res": res, "sum": {a: float(h.astype(np.float64).sum()) for a, h in H.items()}}))
`,
      server.url,
    ]);
    const out = lastJson<{ res: { stored: Record<string, { rows: number }>; finish: string }; sum: Record<string, number> }>(r);
    expect(out.res.finish).toBe('complete');
    expect(out.res.stored.A!.rows).toBe(90);
    const run = openRun(join(ws, 'runs', 'live-1'));
    expect(run.manifest.status).toBe('complete');
    const sums = [0, 0];
    let rows = 0;
    for (const b of run.joined()) {
      rows += b.length;
      b.hidden.forEach((h, i) => h.forEach((x) => (sums[i]! += x)));
    }
    expect(rows).toBe(90);
    expect(sums[0]).toBeCloseTo(out.sum.A!, 4);
    expect(sums[1]).toBeCloseTo(out.sum.B!, 4);
  });

  it.skipIf(missing !== null)('reports an unreachable workbench as an error, not silence', () => {
    const r = runPackagePython(['-c', `from thoughtlens import Recorder\nRecorder("x", agents={"A": 2}, url="http://127.0.0.1:9")`]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/TL_SERVER: cannot reach the workbench at http:\/\/127\.0\.0\.1:9/);
  });
});

describe('python package install', () => {
  it.skipIf(missing !== null || pythonMissing('setuptools') !== null)('pip install ./python installs an importable thoughtlens', () => {
    const target = tempDir();
    const r = runPackagePython(['-m', 'pip', 'install', '--quiet', '--no-deps', '--no-build-isolation', '--no-index', '--target', target, PYTHON_PACKAGE], {
      env: { PYTHONPATH: '' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(target, 'thoughtlens', 'recorder.py'))).toBe(true);
    const v = runPackagePython(['-c', 'import thoughtlens, os; print(thoughtlens.__version__, os.path.dirname(thoughtlens.__file__))'], { env: { PYTHONPATH: target } });
    expect(v.stdout.trim()).toBe(`0.1.0 ${join(target, 'thoughtlens')}`);
  });
});

function empty(): AgentValues {
  return { episode: [], step: [], hidden: [], columns: {} };
}
