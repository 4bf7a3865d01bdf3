// `thoughtlens truth attach`: ground truth from another tool, checked against the run, then
// scored by eval-truth exactly as the synthetic source's own truth; every bad input is a
// one-line error naming the file and field, and nothing is written.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Field, FixedSizeList, Float32, Float64, List, Table, makeVector, tableToIPC, vectorFromArray } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRun, openRun, readTruthJson } from '../../../data/index.js';
import { generateSynthetic } from '../../../agents/index.js';
import { pythonMissing, runPython } from '../../helpers/python.js';
import { runCliCapture } from '../../helpers/runCliCapture.js';
import { tempDir } from '../../helpers/tmp.js';

const cfg = { episodes: 6, steps: 50, hiddenSize: 16, seed: 4, conflicts: { lag: 5 } };
const noPolars = pythonMissing('polars', 'pyarrow');

/** A run written "by another tool": the synthetic data, no truth, source external. */
function externalRun(dir: string) {
  const d = generateSynthetic(cfg);
  const w = createRun(dir, { source: { kind: 'external' }, agents: d.agents.map((a) => ({ id: a.id, hiddenSize: a.hiddenSize, columns: [] })) });
  for (const a of d.agents) w.append(a.id, { episode: d.episode, step: d.step, hidden: a.hidden });
  w.close();
  return d;
}

const fsl = (values: Float32Array, width: number) =>
  makeVector({ type: new FixedSizeList(width, new Field('item', new Float32())), length: values.length / width, nullCount: 0, child: makeVector(values).data[0] } as never);

/**
 * The truth as another tool might write it: thoughts in any order, one Float64 column per
 * thought, Int64 keys, an Arrow *file*, plus each agent's own copy (FixedSizeList columns).
 */
function foreignTruth(folder: string, d: ReturnType<typeof generateSynthetic>) {
  const K = d.structure.thoughtCount;
  const structure = { thoughts: [...d.structure.thoughts].reverse().map((t) => ({ id: t.id, agents: t.agents })) };
  const cols: Record<string, unknown> = { episode: makeVector(BigInt64Array.from(d.episode, BigInt)), step: makeVector(BigInt64Array.from(d.step, BigInt)) };
  for (let j = K - 1; j >= 0; j--) cols[`z${j}`] = makeVector(Float64Array.from({ length: d.rows }, (_, r) => d.thoughts[r * K + j]!));
  for (const a of d.agents) cols[`thoughts_${a.id}`] = fsl(a.thoughts, K);
  writeFileSync(join(folder, 'structure.json'), JSON.stringify(structure));
  writeFileSync(join(folder, 'latents.arrow'), tableToIPC(new Table(cols as never), 'file'));
  writeFileSync(join(folder, 'conflicts.json'), JSON.stringify(d.conflicts.map((c) => ({ episode: c.episode, agent: c.agent, thoughts: c.thoughts, onsetStep: c.onsetStep, divergenceStep: c.divergenceStep }))));
  return { structure: join(folder, 'structure.json'), latents: join(folder, 'latents.arrow'), conflicts: join(folder, 'conflicts.json') };
}

const snapshot = (dir: string) => ({ files: readdirSync(dir).sort(), manifest: readFileSync(join(dir, 'run.json'), 'utf8') });

describe('thoughtlens truth attach', () => {
  let ws: string;
  let data: ReturnType<typeof generateSynthetic>;
  let files: ReturnType<typeof foreignTruth>;
  beforeAll(() => {
    ws = tempDir();
    data = externalRun(join(ws, 'runs', 'ext'));
    files = foreignTruth(ws, data);
  });

  it('attaches checked truth that eval-truth scores exactly like the synthetic source\'s own', async () => {
    const rec = await runCliCapture(['-w', ws, '-q', 'record', 'synthetic', '--episodes', '6', '--steps', '50', '--dims', '16', '--seed', '4', '--lag', '5', '-o', 'syn']);
    expect(rec.code, rec.stderr).toBe(0);
    const r = await runCliCapture(['-w', ws, '--json', 'truth', 'attach', 'ext', '--structure', files.structure, '--latents', files.latents, '--conflicts', files.conflicts]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { files: string[]; thoughtCount: number; classes: Record<string, number>; latentsRows: number; runSteps: number; conflicts: number };
    expect(out).toMatchObject({ files: ['truth/structure.json', 'truth/latents.arrows', 'truth/conflicts.json'], thoughtCount: 16, classes: { shared: 8, 'private-A': 4, 'private-B': 4 }, latentsRows: 300, runSteps: 300 });
    expect(out.conflicts).toBe(data.conflicts.length);
    const ext = join(ws, 'runs', 'ext');
    expect(openRun(ext).manifest.truth).toEqual(out.files);
    expect(readdirSync(ext).filter((f) => f.startsWith('.truth'))).toEqual([]);
    const cf = readTruthJson<{ conflicts: { lag: number }[] }>(ext, 'conflicts.json');
    expect(cf.conflicts.every((c) => c.lag === 5)).toBe(true);

    const train = await runCliCapture(['-w', ws, '-q', 'train', 'syn', '--out', join(ws, 'ck'), '--steps', '40', '--latents', '32', '--k', '4', '--batch', '64', '--backend', 'cpu', '--seed', '1']);
    expect(train.code, train.stderr).toBe(0);
    const score = async (run: string) => {
      const e = await runCliCapture(['-w', ws, '--json', 'eval-truth', join(ws, 'ck'), run, '--episodes', 'all', '--backend', 'cpu']);
      expect(e.code, e.stderr).toBe(0);
      const j = JSON.parse(e.stdout) as Record<string, unknown>;
      for (const k of Object.keys(j)) if (/run|dir|path|checkpoint/i.test(k)) delete j[k];
      return j;
    };
    const fromExt = await score('ext');
    expect(Object.keys(fromExt).length).toBeGreaterThan(3);
    expect(fromExt).toEqual(await score('syn'));

    // truth/latents.arrows rewritten by polars (Int64 keys, List<Float64> thoughts and copies, no
    // schema metadata), as a tool writing truth/ by hand would: scored the same.
    if (!noPolars) {
      const latents = join(ws, 'runs', 'syn', 'truth', 'latents.arrows');
      runPython(
        [
          'import sys, polars as pl, pyarrow.ipc as ipc',
          't = ipc.open_stream(open(sys.argv[1], "rb")).read_all()',
          'df = pl.from_arrow(t).with_columns([pl.col("episode").cast(pl.Int64), pl.col("step").cast(pl.Int64)] + [pl.col(c).cast(pl.List(pl.Float64)) for c in t.column_names if c.startswith("thoughts")])',
          'f = open(sys.argv[1], "wb"); df.write_ipc_stream(f); f.close()',
          'print(ipc.open_stream(open(sys.argv[1], "rb")).read_all().schema.field("thoughts").type)',
        ].join('\n'),
        [latents],
      );
      expect(await score('syn')).toEqual(fromExt);
      // …and again as a Feather v2 file, which pyarrow compresses with LZ4 by default: decompressed on read.
      runPython(
        [
          'import sys, pyarrow.ipc as ipc, pyarrow.feather as feather',
          't = ipc.open_file(sys.argv[1]) if open(sys.argv[1], "rb").read(6) == b"ARROW1" else ipc.open_stream(open(sys.argv[1], "rb"))',
          't = t.read_all()',
          'feather.write_feather(t, sys.argv[1])',
          'assert ipc.open_file(sys.argv[1]).get_batch(0) is not None',
        ].join('\n'),
        [latents],
      );
      expect(readFileSync(latents).subarray(0, 6).toString('latin1')).toBe('ARROW1');
      expect(await score('syn')).toEqual(fromExt);
    }

    // Truth already there: refused without --replace, replaced with it.
    const again = await runCliCapture(['-w', ws, 'truth', 'attach', 'ext', '--structure', files.structure, '--latents', files.latents]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already has ground truth.*--replace/);
    const rep = await runCliCapture(['-w', ws, '--json', 'truth', 'attach', 'ext', '--structure', files.structure, '--latents', files.latents, '--replace']);
    expect(rep.code, rep.stderr).toBe(0);
    expect(openRun(ext).manifest.truth).toEqual(['truth/structure.json', 'truth/latents.arrows']);
    expect(existsSync(join(ext, 'truth', 'conflicts.json'))).toBe(false);
  }, 120_000);

  describe('bad input: one line naming the file and field, exit code, nothing written', () => {
    const K = 16;
    const thoughts = () => Array.from({ length: K }, (_, id) => ({ id, agents: id < 8 ? ['A', 'B'] : id < 12 ? ['A'] : ['B'] }));
    const latentsTable = (over: { episode?: number[]; step?: number[]; width?: number; drop?: string; ragged?: boolean } = {}) => {
      const rows = over.episode?.length ?? 4;
      const width = over.width ?? K;
      const ep = over.episode ?? [0, 0, 1, 1];
      const st = over.step ?? [0, 1, 0, 1];
      const cols: Record<string, unknown> = { episode: makeVector(Int32Array.from(ep)), step: makeVector(Int32Array.from(st)), thoughts: fsl(new Float32Array(rows * width), width) };
      // A variable-size list (what pyarrow and polars write) whose row 1 holds one value too few.
      if (over.ragged) cols.thoughts = vectorFromArray(Array.from({ length: rows }, (_, r) => Array.from({ length: r === 1 ? width - 1 : width }, () => 0.5)), new List(new Field('item', new Float64())));
      if (over.drop) delete cols[over.drop];
      return new Table(cols as never);
    };
    const cases: [string, () => string[], number, RegExp][] = [
      ['unknown agent', () => [w('s.json', { thoughts: thoughts().map((t, i) => (i === 3 ? { ...t, agents: ['A', 'C'] } : t)) }), w('l.arrows', latentsTable())], 4, /^thoughtlens: error: truth attach: \S*s\.json: thoughts\[3\]\.agents names unknown agent 'C' \(run agents: A, B\)$/],
      ['repeated id', () => [w('s.json', { thoughts: thoughts().map((t, i) => (i === 5 ? { ...t, id: 2 } : t)) }), w('l.arrows', latentsTable())], 4, /s\.json: thoughts\[5\]\.id 2 repeats thoughts\[2\]\.id$/],
      ['gap in ids', () => [w('s.json', { thoughts: thoughts().map((t, i) => (i === 15 ? { ...t, id: 20 } : t)) }), w('l.arrows', latentsTable())], 4, /s\.json: thoughts ids must be exactly 0\.\.15 .*id 15 is missing/],
      ['not JSON', () => [w('s.json', '{"thoughts": ['), w('l.arrows', latentsTable())], 4, /s\.json: is not valid JSON/],
      ['no structure file', () => [join(ws, 'nope.json'), w('l.arrows', latentsTable())], 3, /nope\.json: no such structure file/],
      ['no step column', () => [w('s.json', { thoughts: thoughts() }), w('l.arrows', latentsTable({ drop: 'step' }))], 4, /l\.arrows: has no 'step' column \(columns: episode, thoughts\)$/],
      ['ragged list row', () => [w('s.json', { thoughts: thoughts() }), w('l.arrows', latentsTable({ ragged: true }))], 4, /l\.arrows: column 'thoughts' holds 15 values at row 1 but structure lists 16 thoughts$/],
      ['wrong width', () => [w('s.json', { thoughts: thoughts() }), w('l.arrows', latentsTable({ width: 3 }))], 4, /l\.arrows: column 'thoughts' has 3 values per row but structure lists 16 thoughts$/],
      ['step not in run', () => [w('s.json', { thoughts: thoughts() }), w('l.arrows', latentsTable({ episode: [0, 99], step: [0, 0] }))], 4, /l\.arrows: row 1: \(episode 99, step 0\) is not a step of the run \(run has episodes 0\.\.5, 300 steps\)$/],
      ['duplicate step', () => [w('s.json', { thoughts: thoughts() }), w('l.arrows', latentsTable({ episode: [0, 1, 0], step: [3, 3, 3] }))], 4, /l\.arrows: rows 0 and 2 both hold \(episode 0, step 3\)/],
      ['parquet', () => [w('s.json', { thoughts: thoughts() }), w('l.parquet', 'PAR1....')], 4, /l\.parquet: is Parquet/],
      ['onset after divergence', () => [w('s.json', { thoughts: thoughts() }), w('l.arrows', latentsTable()), w('c.json', { conflicts: [{ episode: 1, agent: 'A', thoughts: [0], onsetStep: 20, divergenceStep: 20 }] })], 4, /c\.json: conflicts\[0\]\.onsetStep \(20\) must be before divergenceStep \(20\)$/],
      ['conflict agent', () => [w('s.json', { thoughts: thoughts() }), w('l.arrows', latentsTable()), w('c.json', [{ episode: 1, agent: 'Z', thoughts: [0], onsetStep: 2, divergenceStep: 9 }])], 4, /c\.json: conflicts\[0\]\.agent names unknown agent "Z" \(run agents: A, B\)$/],
      ['conflict thought', () => [w('s.json', { thoughts: thoughts() }), w('l.arrows', latentsTable()), w('c.json', [{ episode: 1, agent: 'A', thoughts: [0, 13], onsetStep: 2, divergenceStep: 9 }])], 4, /c\.json: conflicts\[0\]\.thoughts\[1\]: thought 13 is not held by agent 'A'/],
      ['conflict episode', () => [w('s.json', { thoughts: thoughts() }), w('l.arrows', latentsTable()), w('c.json', [{ episode: 6, agent: 'A', thoughts: [0], onsetStep: 2, divergenceStep: 9 }])], 4, /c\.json: conflicts\[0\]\.episode 6 is not an episode of the run/],
      ['conflict step', () => [w('s.json', { thoughts: thoughts() }), w('l.arrows', latentsTable()), w('c.json', [{ episode: 1, agent: 'A', thoughts: [0], onsetStep: 2, divergenceStep: 50 }])], 4, /c\.json: conflicts\[0\]\.divergenceStep 50 is not a step of episode 1/],
    ];
    let dir: string;
    const w = (name: string, v: unknown) => {
      const f = join(dir, name);
      writeFileSync(f, v instanceof Table ? tableToIPC(v, 'stream') : typeof v === 'string' ? v : JSON.stringify(v));
      return f;
    };
    it.each(cases)('%s', async (_name, make, code, message) => {
      dir = tempDir();
      const run = join(dir, 'ext');
      externalRun(run);
      const before = snapshot(run);
      const [s, l, c] = make();
      const r = await runCliCapture(['truth', 'attach', run, '--structure', s!, '--latents', l!, ...(c ? ['--conflicts', c] : [])]);
      expect(r.code).toBe(code);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr.trimEnd()).toMatch(message);
      expect(snapshot(run)).toEqual(before);
    });
  });
});

