// Builders of workspace content the workbench reads, in the layouts the other parts write:
// latent codes (<run>/codes/<name>.arrows + .json), dictionary checkpoints
// (<ws>/checkpoints/<name>/cfg.json, split.json, metrics.json, model.safetensors) and
// conflict reports (<run>/reports/<name>/report.json, flags.csv, report.md, report.html).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Field, Float32, Int32, List, RecordBatchStreamWriter, Table, makeData, makeVector } from 'apache-arrow';
import { initParams, makeCheckpointCfg, resolveSaeConfig, saveCheckpoint } from '../../sae/index.js';
import { makeRng } from '../../util/random.js';
import { makeTestRun } from './makeTestRun.js';

export interface CodesFixture {
  rows: number;
  numLatents: number;
  /** Active latents per row. */
  k: number;
  seed?: number;
  checkpoint?: string;
  classes?: string[];
  /** Rows per record batch (default 4096). */
  batchRows?: number;
  /** episode/step of each row (default episode 0, step = row). */
  keys?: { episode: ArrayLike<number>; step: ArrayLike<number> };
  /** Where a planted burst makes one latent strongly active: [fromRow, toRow, latent]. */
  burst?: [number, number, number];
}

export function defaultClasses(numLatents: number): string[] {
  return Array.from({ length: numLatents }, (_, j) => {
    const f = j / numLatents;
    return f < 0.4 ? 'shared' : f < 0.65 ? 'private-A' : f < 0.9 ? 'private-B' : 'dead';
  });
}

function listVector(child: Int32 | Float32, offsets: Int32Array, values: Int32Array | Float32Array) {
  return makeVector(
    makeData({
      type: new List(new Field('item', child, false)),
      length: offsets.length - 1,
      nullCount: 0,
      valueOffsets: offsets,
      child: makeData({ type: child as Int32, length: values.length, nullCount: 0, data: values as Int32Array }),
    }),
  );
}

/** Writes <runDir>/codes/<name>.arrows and .json; returns what was written. */
export function writeCodesFixture(runDir: string, name: string, f: CodesFixture): { nnz: number; classes: string[] } {
  const dir = join(runDir, 'codes');
  mkdirSync(dir, { recursive: true });
  const rng = makeRng(f.seed ?? 7);
  const classes = f.classes ?? defaultClasses(f.numLatents);
  const live = classes.map((c, j) => (c === 'dead' ? -1 : j)).filter((j) => j >= 0);
  const batchRows = f.batchRows ?? 4096;
  const writer = new RecordBatchStreamWriter();
  const chunks: Uint8Array[] = [];
  let nnz = 0;
  for (let r0 = 0; r0 < f.rows; r0 += batchRows) {
    const n = Math.min(batchRows, f.rows - r0);
    const offsets = new Int32Array(n + 1);
    const idx = new Int32Array(n * f.k);
    const val = new Float32Array(n * f.k);
    const ep = new Int32Array(n);
    const st = new Int32Array(n);
    let at = 0;
    for (let i = 0; i < n; i++) {
      const r = r0 + i;
      ep[i] = f.keys ? f.keys.episode[r]! : 0;
      st[i] = f.keys ? f.keys.step[r]! : r;
      const chosen = new Set<number>();
      // Slowly drifting structure so the heatmap shows bands, not noise.
      const phase = Math.floor(r / 200);
      while (chosen.size < Math.min(f.k, live.length)) {
        const base = (phase * 7 + chosen.size * 13) % live.length;
        const j = live[rng.next() < 0.7 ? (base + rng.int(5)) % live.length : rng.int(live.length)]!;
        chosen.add(j);
      }
      if (f.burst && r >= f.burst[0] && r < f.burst[1]) chosen.add(f.burst[2]);
      for (const j of [...chosen].sort((a, b) => a - b)) {
        idx[at] = j;
        val[at] = f.burst && j === f.burst[2] && r >= f.burst[0] && r < f.burst[1] ? 5 : Math.fround(0.1 + rng.next());
        at++;
      }
      offsets[i + 1] = at;
    }
    nnz += at;
    const table = new Table({
      episode: makeVector(ep),
      step: makeVector(st),
      indices: listVector(new Int32(), offsets, idx.subarray(0, at)),
      values: listVector(new Float32(), offsets, val.subarray(0, at)),
    });
    for (const b of table.batches) writer.write(b);
  }
  writer.finish();
  chunks.push(writer.toUint8Array(true));
  writeFileSync(join(dir, `${name}.arrows`), chunks[0]!);
  writeFileSync(
    join(dir, `${name}.json`),
    JSON.stringify({ checkpoint: f.checkpoint ?? 'ck1', numLatents: f.numLatents, classes, agents: ['A', 'B'] }),
  );
  return { nnz, classes };
}

export interface CheckpointFixture {
  numLatents: number;
  dims?: [number, number];
  seed?: number;
  classes?: string[];
  /** Permute latents (to test matching): latent j of this checkpoint = latent perm[j] of the base. */
  perm?: number[];
  /** Extra fields of split.json (evidence arrays, …). */
  splitExtra?: Record<string, unknown>;
}

/** Writes <ws>/checkpoints/<name>/ with decoders whose block norms follow the classes. */
export function writeCheckpointFixture(ws: string, name: string, f: CheckpointFixture): { classes: string[] } {
  const dir = join(ws, 'checkpoints', name);
  mkdirSync(dir, { recursive: true });
  const [dA, dB] = f.dims ?? [8, 6];
  const classes = f.classes ?? defaultClasses(f.numLatents);
  const rng = makeRng(f.seed ?? 3);
  const baseA = Float32Array.from({ length: f.numLatents * dA }, () => rng.normal());
  const baseB = Float32Array.from({ length: f.numLatents * dB }, () => rng.normal());
  const decA = new Float32Array(f.numLatents * dA);
  const decB = new Float32Array(f.numLatents * dB);
  for (let j = 0; j < f.numLatents; j++) {
    const src = f.perm ? f.perm[j]! : j;
    const c = classes[j]!;
    const sa = c === 'shared' || c === 'private-A' ? 1 : c === 'dead' ? 0 : 0.02;
    const sb = c === 'shared' || c === 'private-B' ? 1 : c === 'dead' ? 0 : 0.02;
    for (let k = 0; k < dA; k++) decA[j * dA + k] = baseA[src * dA + k]! * sa;
    for (let k = 0; k < dB; k++) decB[j * dB + k] = baseB[src * dB + k]! * sb;
  }
  // The trainer's own layout (sae/checkpoint), written by its own writer.
  const cfg = resolveSaeConfig({ agents: [{ id: 'A', dim: dA }, { id: 'B', dim: dB }], latents: f.numLatents, k: Math.min(4, f.numLatents), steps: 10, seed: f.seed ?? 3 });
  const params = initParams(cfg);
  params['dec.A.W'] = { data: decA, shape: [f.numLatents, dA] };
  params['dec.B.W'] = { data: decB, shape: [f.numLatents, dB] };
  const norms = cfg.agents.map((a) => ({ mean: new Float32Array(a.dim), scale: 1 }));
  const base = { cfg, params, norms, threshold: 0.5 };
  const meta = makeCheckpointCfg(base, 'cpu', 'dense', { step: 10, pairsSeen: 80, threshold: 0.5, runs: [], finished: true });
  const counts: Record<string, number> = {};
  for (const c of classes) counts[c] = (counts[c] ?? 0) + 1;
  rmSync(dir, { recursive: true, force: true });
  saveCheckpoint(dir, { ...base, meta }, { split: { format: 'thoughtlens-split', version: 1, agents: ['A', 'B'], classes, counts, ...f.splitExtra }, metrics: { fvu: { A: 0.1, B: 0.12 }, l0: 8 } });
  return { classes };
}

export interface ReportFixture {
  checkpoint?: string;
  threshold?: number;
  flags: { episode?: number; step?: number; row?: number; score: number; latents: number[] }[];
  scores?: number[];
  title?: string;
}

export function writeReportFixture(runDir: string, name: string, f: ReportFixture): string {
  const dir = join(runDir, 'reports', name);
  mkdirSync(dir, { recursive: true });
  const report = {
    schemaVersion: 1,
    kind: 'thoughtlens-conflict-report',
    checkpoint: f.checkpoint ?? 'ck1',
    threshold: f.threshold ?? 1,
    flags: f.flags.map((x) => ({ ...x, attribution: x.latents.map((l, i) => ({ latent: l, weight: 1 / (i + 1), agent: 'A' })) })),
    scores: f.scores,
    metrics: { auroc: 0.91, falseAlarmsPer1000: 0.8 },
  };
  writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
  writeFileSync(join(dir, 'flags.csv'), 'row,score,latents\n' + f.flags.map((x) => `${x.row ?? x.step},${x.score},${x.latents.join(' ')}`).join('\n') + '\n');
  writeFileSync(join(dir, 'report.md'), `# ${f.title ?? 'Conflict report'}\n\n${f.flags.length} flags\n`);
  writeFileSync(join(dir, 'report.html'), `<!doctype html><title>report</title><h1>${f.flags.length} flags</h1>`);
  return dir;
}

export interface WebWorkspace {
  ws: string;
  runDir: string;
  runId: string;
  rows: number;
}

/** A workspace with one complete run (A, B), codes, two checkpoints and a report. */
export function makeWebWorkspace(ws: string, o: { episodes?: number; steps?: number; numLatents?: number; k?: number } = {}): WebWorkspace {
  const episodes = o.episodes ?? 4;
  const steps = o.steps ?? 50;
  const rows = episodes * steps;
  const runId = 'demo-run';
  const { dir } = makeTestRun(join(ws, 'runs'), runId, { episodes, steps, batchRows: 64 });
  const numLatents = o.numLatents ?? 64;
  const episode = Int32Array.from({ length: rows }, (_, r) => Math.floor(r / steps));
  const step = Int32Array.from({ length: rows }, (_, r) => r % steps);
  writeCodesFixture(dir, 'ck1', { rows, numLatents, k: o.k ?? 6, keys: { episode, step }, burst: [Math.floor(rows * 0.6), Math.floor(rows * 0.6) + 10, 3] });
  writeCheckpointFixture(ws, 'ck1', { numLatents });
  const perm = Array.from({ length: numLatents }, (_, j) => (j + 5) % numLatents);
  const classesB = defaultClasses(numLatents).map((_, j) => defaultClasses(numLatents)[perm[j]!]!);
  classesB[1] = 'private-A'; // latent that moved from shared to private
  writeCheckpointFixture(ws, 'ck2', { numLatents, perm, classes: classesB });
  writeReportFixture(dir, 'conflicts', {
    checkpoint: 'ck1',
    threshold: 2,
    flags: [
      { episode: 2, step: 30, score: 3.5, latents: [3, 10] },
      { episode: 3, step: 5, score: 2.5, latents: [7] },
    ],
    scores: Array.from({ length: rows }, (_, r) => 1 + Math.sin(r / 9) * 0.8 + (r === Math.floor(rows * 0.6) ? 2 : 0)),
  });
  return { ws, runDir: dir, runId, rows };
}
