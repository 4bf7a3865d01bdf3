// Fuzz targets: every input parser of thoughtlens, each with a valid seed input built once
// and a case runner that mutates it (seeded) and feeds it to the real parser. Shared by the
// bounded fuzz tests (test/fuzz/*.test.ts) and the long run (bench/fuzz/parsers.bench.ts).
//
// A case passes when the parser accepts the input or rejects it with a ThoughtlensError
// carrying a message (over HTTP: a 4xx JSON body {error:{code,message}}). Anything else (a
// plain Error, a 5xx, a body that is not JSON, a timeout) is a crash or a hang.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RecordBatchStreamWriter, tableFromArrays } from 'apache-arrow';
import { createRun, decodeSafetensors, encodeSafetensors, openRun, readTruthTable, truthPath, writeTruthTable, type AgentSpec, readManifest, ThoughtlensError, validateManifest } from '../../data/index.js';
import { loadPool, poolFromJson, defaultPoolFile } from '../../agents/pool/index.js';
import { readCodes as readRunCodes, initParams, loadCheckpoint, loadOptimizerState, makeCheckpointCfg, resolveSaeConfig, saveCheckpoint, estimateNorm } from '../../sae/index.js';
import { loadDetector, saveDetector, detectRun, ccaViews, writeReport, REPORT_FILES } from '../../sae/conflicts/index.js';
import { readCheckpoint, readCodes as readWorkbenchCodes, readReport, startServer, type RunningServer } from '../../server/index.js';
import { schemaFor, stepsToBatch, type RecorderAgent } from '../../examples/node-recorder/workbenchRecorder.js';
import { makeRng, type Rng } from '../../util/random.js';
import { mutateBytes, mutateJson } from '../helpers/fuzz.js';
import { makeTestRun } from '../helpers/makeTestRun.js';
import { writeCodesFixture } from '../helpers/serverFixtures.js';

export type Outcome = { kind: 'accepted'; body?: unknown } | { kind: 'rejected'; code: string; message: string } | { kind: 'crash'; error: string };

export interface OpenTarget {
  /** Runs one seeded case. */
  runCase(rng: Rng, index: number): Promise<Outcome>;
  /** Checked after the cases (e.g. the server still answers); throws when not. */
  check?(): Promise<void>;
  close(): Promise<void>;
}

export interface FuzzTarget {
  name: string;
  /** Builds the seed input under `root` (a fresh temporary folder). */
  open(root: string): Promise<OpenTarget>;
}

/** Classifies what a synchronous parser did with one input. */
export function outcomeOf(parse: () => void): Outcome {
  try {
    parse();
    return { kind: 'accepted' };
  } catch (err) {
    return classify(err);
  }
}

export function classify(err: unknown): Outcome {
  if (err instanceof ThoughtlensError && err.message.length > 10) return { kind: 'rejected', code: err.code, message: err.message };
  return { kind: 'crash', error: String((err as Error)?.stack ?? err).slice(0, 600) };
}

const sync = (open: (root: string) => (rng: Rng, i: number) => Outcome) => async (root: string): Promise<OpenTarget> => {
  const run = open(root);
  return { runCase: async (rng, i) => run(rng, i), close: async () => undefined };
};

/** Half the cases mutate the JSON value, half the bytes of its text. */
function jsonOrBytes(rng: Rng, value: unknown): string | Uint8Array {
  if (rng.next() < 0.5) return JSON.stringify(mutateJson(rng, value));
  return mutateBytes(rng, Buffer.from(JSON.stringify(value, null, 1)));
}

// ---------------------------------------------------------------- run store (data/)

const arrowStream: FuzzTarget = {
  name: 'run store: Arrow agent stream',
  open: sync((root) => {
    const { dir } = makeTestRun(root, 'seed', { episodes: 2, steps: 12, batchRows: 8 });
    const original = new Uint8Array(readFileSync(join(dir, 'agents/A.arrows')));
    const work = join(root, 'work');
    cpSync(dir, work, { recursive: true });
    const target = join(work, 'agents/A.arrows');
    return (rng) =>
      outcomeOf(() => {
        writeFileSync(target, mutateBytes(rng, original));
        const run = openRun(work);
        for (const b of run.joined()) void b.length;
        run.scan();
      });
  }),
};

const runJson: FuzzTarget = {
  name: 'run store: run.json',
  open: sync((root) => {
    const { dir } = makeTestRun(root, 'seed', { episodes: 1, steps: 4 });
    const manifest = readManifest(dir);
    const file = join(dir, 'run.json');
    return (rng) =>
      outcomeOf(() => {
        writeFileSync(file, jsonOrBytes(rng, manifest));
        const run = openRun(dir);
        validateManifest(JSON.parse(JSON.stringify(run.manifest)), 'run.json');
        run.scan();
      });
  }),
};

const safetensors: FuzzTarget = {
  name: 'safetensors (bytes)',
  open: sync(() => {
    const bytes = encodeSafetensors({
      'enc.A.W': { data: new Float32Array(24).map((_, i) => i), shape: [4, 6] },
      'dec.A.b': { data: new Float32Array(4), shape: [4] },
      'idx': { data: new Int32Array(3), shape: [3] },
    });
    return (rng) => outcomeOf(() => void decodeSafetensors(mutateBytes(rng, bytes)));
  }),
};

// ---------------------------------------------------------------- dictionary checkpoints (sae/)

/** A small real checkpoint written by the trainer's own save path. */
export function writeSmallCheckpoint(dir: string): void {
  const cfg = resolveSaeConfig({ agents: [{ id: 'A', dim: 6 }, { id: 'B', dim: 4 }], latents: 16, k: 3, mode: 'batchtopk', steps: 10, batchSize: 8, seed: 1 } as never);
  const params = initParams(cfg);
  const norms = cfg.agents.map((a) => estimateNorm([Float32Array.from({ length: a.dim * 5 }, (_, i) => Math.sin(i))], a.dim));
  const base = { cfg, params, norms, threshold: 0.5 };
  const meta = makeCheckpointCfg(base, 'cpu', 'dense', { step: 3, pairsSeen: 24, threshold: 0.5, runs: [], finished: false });
  saveCheckpoint(dir, { ...base, meta }, { optimizer: { 'adam.m.enc.A.W': { data: new Float32Array(6 * 16), shape: [6, 16] } }, split: { classes: new Array(16).fill('shared') }, metrics: { fvu: { A: 0.1, B: 0.2 } } });
}

const checkpointCfg: FuzzTarget = {
  name: 'dictionary checkpoint: cfg.json',
  open: sync((root) => {
    const dir = join(root, 'ck');
    writeSmallCheckpoint(dir);
    const cfg = JSON.parse(readFileSync(join(dir, 'cfg.json'), 'utf8')) as unknown;
    return (rng) =>
      outcomeOf(() => {
        writeFileSync(join(dir, 'cfg.json'), jsonOrBytes(rng, cfg));
        loadCheckpoint(dir);
      });
  }),
};

const checkpointTensors: FuzzTarget = {
  name: 'dictionary checkpoint: model.safetensors',
  open: sync((root) => {
    const dir = join(root, 'ck');
    writeSmallCheckpoint(dir);
    const model = new Uint8Array(readFileSync(join(dir, 'model.safetensors')));
    const opt = new Uint8Array(readFileSync(join(dir, 'optimizer.safetensors')));
    return (rng) =>
      outcomeOf(() => {
        writeFileSync(join(dir, 'model.safetensors'), mutateBytes(rng, model));
        writeFileSync(join(dir, 'optimizer.safetensors'), mutateBytes(rng, opt));
        loadCheckpoint(dir);
        loadOptimizerState(dir);
      });
  }),
};

const serverCheckpoint: FuzzTarget = {
  name: 'workbench checkpoint reader (cfg/split/metrics.json, safetensors)',
  open: sync((root) => {
    const dir = join(root, 'ck');
    writeSmallCheckpoint(dir);
    const files = { cfg: join(dir, 'cfg.json'), split: join(dir, 'split.json'), metrics: join(dir, 'metrics.json'), model: join(dir, 'model.safetensors') };
    const orig = {
      // Both layouts the reader knows: the trainer's and a flat one with numLatents.
      cfg: { numLatents: 16, agents: [{ id: 'A', hiddenSize: 6 }, { id: 'B', hiddenSize: 4 }], ...(JSON.parse(readFileSync(files.cfg, 'utf8')) as object) } as unknown,
      split: JSON.parse(readFileSync(files.split, 'utf8')) as unknown,
      metrics: JSON.parse(readFileSync(files.metrics, 'utf8')) as unknown,
      model: new Uint8Array(readFileSync(files.model)),
    };
    return (rng) => {
      const which = rng.int(4);
      writeFileSync(files.cfg, which === 0 ? jsonOrBytes(rng, orig.cfg) : JSON.stringify(orig.cfg));
      writeFileSync(files.split, which === 1 ? jsonOrBytes(rng, orig.split) : JSON.stringify(orig.split));
      writeFileSync(files.metrics, which === 2 ? jsonOrBytes(rng, orig.metrics) : JSON.stringify(orig.metrics));
      writeFileSync(files.model, which === 3 ? mutateBytes(rng, orig.model) : orig.model);
      return outcomeOf(() => void readCheckpoint('ck', files));
    };
  }),
};

// ---------------------------------------------------------------- co-player pool (agents/pool)

const pool: FuzzTarget = {
  name: 'co-player pool JSON',
  open: sync((root) => {
    const spec = JSON.parse(readFileSync(defaultPoolFile(), 'utf8')) as unknown;
    const file = join(root, 'pool.json');
    return (rng) => {
      if (rng.next() < 0.5) {
        // Several mutations at once reach deeper into the style entries.
        let v = spec;
        for (let n = 1 + rng.int(3); n > 0; n--) v = mutateJson(rng, v);
        return outcomeOf(() => void poolFromJson(v, 'pool.json'));
      }
      writeFileSync(file, mutateBytes(rng, Buffer.from(JSON.stringify(spec, null, 1))));
      return outcomeOf(() => void loadPool(file));
    };
  }),
};

// ---------------------------------------------------------------- conflict reports and detectors

/** A small run whose agent B drifts away from A in odd episodes and then acts differently. */
function driftRun(root: string): string {
  const dir = join(root, 'drift');
  const agents: AgentSpec[] = ['A', 'B'].map((id) => ({ id, hiddenSize: 6, columns: [{ name: 'action', type: 'utf8', role: 'action' }] }));
  const w = createRun(dir, { source: { kind: 'test' }, agents, flushIntervalMs: 0, batchRows: 64 });
  const rng = makeRng(9);
  for (let e = 0; e < 10; e++) {
    const s = [0, 0, 0];
    for (let t = 0; t < 60; t++) {
      for (let j = 0; j < 3; j++) s[j] = 0.9 * s[j]! + 0.44 * rng.normal();
      const drift = e % 2 === 1 && t >= 30 ? 0.1 * (t - 29) : 0;
      agents.forEach((ag, a) => {
        const h = new Float32Array(6);
        for (let i = 0; i < 6; i++) h[i] = s[i % 3]! * (1 + 0.3 * a + 0.1 * i) + (a === 1 && i % 3 === 0 ? drift : 0) + 0.05 * rng.normal();
        w.append(ag.id, { episode: [e], step: [t], hidden: h, columns: { action: [a === 1 && e % 2 === 1 && t >= 40 ? 'defect' : 'cooperate'] } });
      });
    }
  }
  w.close();
  return dir;
}

/** A real report.json and detector.json from `detectRun` on a small run with planted drift. */
export function writeSmallReport(root: string): { report: string; detector: string; runDir: string } {
  const dir = driftRun(root);
  const res = detectRun({ runDir: dir, views: ccaViews(3, { randomFeatures: 0 }), config: { horizon: 15, far: 0.05, mode: 'disagreement' }, events: { rule: 'actions differ' }, resamples: 20 });
  const out = join(root, 'report');
  writeReport(out, res.report, ['json']);
  const detector = join(root, 'detector.json');
  saveDetector(detector, res.detector);
  return { report: join(out, REPORT_FILES.json), detector, runDir: dir };
}

const report: FuzzTarget = {
  name: 'conflict report JSON (workbench reader)',
  open: sync((root) => {
    const { report: file } = writeSmallReport(root);
    const orig = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    const rows = { rowOf: (e: number, s: number) => (e >= 0 && s >= 0 ? e * 40 + s : -1) };
    return (rng) => {
      let v: string | Uint8Array;
      if (rng.next() < 0.5) {
        let j = orig;
        for (let n = 1 + rng.int(3); n > 0; n--) j = mutateJson(rng, j);
        v = JSON.stringify(j);
      } else v = mutateBytes(rng, Buffer.from(JSON.stringify(orig)));
      writeFileSync(file, v);
      return outcomeOf(() => void readReport(file, 'r', 'run', rng.next() < 0.5 ? rows : null, ['report.json']));
    };
  }),
};

const detector: FuzzTarget = {
  name: 'conflict detector JSON',
  open: sync((root) => {
    const { detector: file } = writeSmallReport(root);
    const orig = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return (rng) => {
      writeFileSync(file, jsonOrBytes(rng, orig));
      return outcomeOf(() => void loadDetector(file));
    };
  }),
};

// ---------------------------------------------------------------- latent codes and truth tables (Arrow files)

const codes: FuzzTarget = {
  name: 'latent codes (.arrows + .json): encoder output read by sae and the workbench',
  open: sync((root) => {
    const runDir = join(root, 'run');
    mkdirSync(runDir);
    writeCodesFixture(runDir, 'ck', { rows: 60, numLatents: 24, k: 3, batchRows: 16 });
    const arrows = join(runDir, 'codes', 'ck.arrows');
    const json = join(runDir, 'codes', 'ck.json');
    const origArrows = new Uint8Array(readFileSync(arrows));
    const origJson = JSON.parse(readFileSync(json, 'utf8')) as unknown;
    return (rng) => {
      const onJson = rng.next() < 0.2;
      writeFileSync(arrows, onJson ? origArrows : mutateBytes(rng, origArrows));
      writeFileSync(json, onJson ? jsonOrBytes(rng, origJson) : JSON.stringify(origJson));
      return outcomeOf(() => {
        readWorkbenchCodes(arrows, json);
        readRunCodes(runDir, 'ck');
      });
    };
  }),
};

const truthTable: FuzzTarget = {
  name: 'truth tables (truth/*.arrows)',
  open: sync((root) => {
    const runDir = join(root, 'run');
    mkdirSync(runDir);
    const n = 40;
    writeTruthTable(runDir, 'latents.arrows', tableFromArrays({ episode: Int32Array.from({ length: n }, (_, i) => i >> 3), step: Int32Array.from({ length: n }, (_, i) => i & 7), z: Float32Array.from({ length: n }, (_, i) => Math.sin(i)) }));
    const file = truthPath(runDir, 'latents.arrows');
    const orig = new Uint8Array(readFileSync(file));
    return (rng) => {
      writeFileSync(file, mutateBytes(rng, orig));
      return outcomeOf(() => {
        const t = readTruthTable(runDir, 'latents.arrows');
        for (const c of t.schema.fields) void t.getChild(c.name)?.length;
      });
    };
  }),
};

// ---------------------------------------------------------------- HTTP ingestion (server/)

export const INGEST_AGENTS: RecorderAgent[] = [
  { id: 'A', hiddenSize: 6, columns: [{ name: 'action', type: 'int32', role: 'action' }, { name: 'note', type: 'utf8', role: 'text' }] },
  { id: 'B', hiddenSize: 4, columns: [{ name: 'reward', type: 'float32', role: 'reward' }] },
];

/** Hidden element e of global step t in the streams ingestStream builds (episode t/50, step t%50). */
export function ingestHidden(t: number, e: number): number {
  return Math.fround(Math.sin(t * 0.37 + e * 1.1));
}

/** A valid Arrow IPC stream of `rows` steps for agent A, in `batches` record batches. */
export function ingestStream(agent: RecorderAgent, rows: number, batches: number, t0 = 0): Uint8Array {
  const schema = schemaFor(agent);
  const w = new RecordBatchStreamWriter();
  w.reset(undefined, schema);
  const per = Math.ceil(rows / batches);
  for (let r0 = 0; r0 < rows; r0 += per) {
    const n = Math.min(per, rows - r0);
    const idx = Array.from({ length: n }, (_, i) => t0 + r0 + i);
    const columns: Record<string, unknown[]> = {};
    for (const c of agent.columns ?? []) columns[c.name] = idx.map((t) => (c.type === 'utf8' ? `say ${t}` : t % 3));
    w.write(
      stepsToBatch(agent, schema, {
        episode: idx.map((t) => Math.floor(t / 50)),
        step: idx.map((t) => t % 50),
        hidden: Float32Array.from({ length: n * agent.hiddenSize }, (_, k) => ingestHidden(t0 + r0 + Math.floor(k / agent.hiddenSize), k % agent.hiddenSize)),
        columns: columns as never,
      }),
    );
  }
  w.finish();
  return w.toUint8Array(true);
}

/** Answer of one HTTP case: 2xx accepted, 4xx JSON with a message rejected, else crash. */
export async function httpOutcome(res: Response): Promise<Outcome> {
  const text = await res.text();
  if (res.status >= 200 && res.status < 300) {
    try {
      return { kind: 'accepted', body: JSON.parse(text) as unknown };
    } catch {
      return { kind: 'accepted' };
    }
  }
  let body = null as { error?: { code?: unknown; message?: unknown } } | null;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    /* not JSON */
  }
  const code = body?.error?.code;
  const message = body?.error?.message;
  if (res.status >= 400 && res.status < 500 && typeof code === 'string' && typeof message === 'string' && message.length > 10) {
    if (/\n\s+at /.test(message)) return { kind: 'crash', error: `${res.status} with a stack trace: ${message.slice(0, 300)}` };
    return { kind: 'rejected', code, message };
  }
  return { kind: 'crash', error: `HTTP ${res.status}: ${text.slice(0, 300)}` };
}

/** Starts a real workbench on 127.0.0.1:0 over a fresh workspace. */
async function serverFor(root: string): Promise<{ server: RunningServer; logs: string[] }> {
  const ws = join(root, 'ws');
  mkdirSync(ws, { recursive: true });
  const logs: string[] = [];
  const server = await startServer({ workspace: ws, host: '127.0.0.1', port: 0, watchMs: 1000, rateLimit: { max: 1e9, windowMs: 1000 }, log: (l) => logs.push(l) });
  return { server, logs };
}

async function stillServes(server: RunningServer): Promise<void> {
  const res = await fetch(`${server.url}/api/runs`, { signal: AbortSignal.timeout(10_000) });
  if (res.status !== 200) throw new Error(`after the fuzz cases GET /api/runs answered ${res.status}`);
  await res.json();
}

const CASE_TIMEOUT_MS = 10_000;

const httpSteps: FuzzTarget = {
  name: 'HTTP ingestion: Arrow IPC stream POST',
  async open(root) {
    const { server, logs } = await serverFor(root);
    const seed = ingestStream(INGEST_AGENTS[0]!, 24, 3);
    return {
      async runCase(rng, i) {
        const id = `fz${i}`;
        const created = await fetch(`${server.url}/api/runs`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ id, agents: INGEST_AGENTS }),
        });
        if (created.status !== 201) return { kind: 'crash', error: `could not create run ${id}: ${created.status} ${await created.text()}` };
        const body = mutateBytes(rng, seed);
        const res = await fetch(`${server.url}/api/runs/${id}/agents/A/steps`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/vnd.apache.arrow.stream' },
          body: body as BodyInit,
          signal: AbortSignal.timeout(CASE_TIMEOUT_MS),
        });
        const out = await httpOutcome(res);
        // Whatever was accepted must read back: finish the run and scan it.
        const fin = await fetch(`${server.url}/api/runs/${id}/finish`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
        await fin.text();
        if (fin.status !== 200) return { kind: 'crash', error: `finish after the case answered ${fin.status}` };
        if (out.kind !== 'crash') {
          const run = openRun(join(server.workbench.config.workspace, 'runs', id));
          const scan = run.scan();
          for (const s of scan) if (s.rows !== run.manifest.counts[s.agent]!.rows) return { kind: 'crash', error: `run ${id}: manifest says ${run.manifest.counts[s.agent]!.rows} rows of ${s.agent}, disk has ${s.rows}` };
          let n = 0;
          for (const b of run.openAgent('A').batches()) n += b.length;
          if (n !== scan[0]!.rows) return { kind: 'crash', error: `run ${id}: ${n} rows read back, scan says ${scan[0]!.rows}` };
        }
        if (out.kind === 'crash' && logs.length) out.error += `\nserver log: ${logs.slice(-1)[0]!.slice(0, 400)}`;
        rmSync(join(server.workbench.config.workspace, 'runs', id), { recursive: true, force: true });
        return out;
      },
      check: () => stillServes(server),
      close: () => server.close(),
    };
  },
};

const httpCreate: FuzzTarget = {
  name: 'HTTP ingestion: create-run JSON (run.json fields)',
  async open(root) {
    const { server, logs } = await serverFor(root);
    const seed = { id: 'seed', source: { kind: 'external', params: { model: 'gpt' } }, agents: INGEST_AGENTS };
    return {
      async runCase(rng, i) {
        let text: string | Uint8Array;
        if (rng.next() < 0.7) {
          const m = mutateJson(rng, seed) as { id?: unknown } | null;
          // Keep ids unique so most cases reach the manifest checks instead of a 409.
          if (m && typeof m === 'object' && m.id === 'seed') m.id = `c${i}`;
          text = JSON.stringify(m);
        } else text = mutateBytes(rng, Buffer.from(JSON.stringify({ ...seed, id: `c${i}` })));
        const res = await fetch(`${server.url}/api/runs`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: text as BodyInit,
          signal: AbortSignal.timeout(CASE_TIMEOUT_MS),
        });
        const out = await httpOutcome(res);
        if (out.kind === 'accepted') {
          // An accepted run is a valid run on disk, and finishes cleanly.
          const id = out.body && typeof out.body === 'object' ? (out.body as { id?: unknown }).id : undefined;
          if (typeof id !== 'string') return { kind: 'crash', error: `201 without a run id: ${JSON.stringify(out.body)}` };
          const fin = await fetch(`${server.url}/api/runs/${encodeURIComponent(id)}/finish`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
          if (fin.status !== 200) return { kind: 'crash', error: `finish of accepted run '${id}' answered ${fin.status}: ${await fin.text()}` };
          await fin.text();
          const o = outcomeOf(() => void openRun(join(server.workbench.config.workspace, 'runs', id)).scan());
          if (o.kind !== 'accepted') return { kind: 'crash', error: `accepted run '${id}' does not open: ${JSON.stringify(o)}` };
        }
        if (out.kind === 'crash' && logs.length) out.error += `\nserver log: ${logs.slice(-1)[0]!.slice(0, 400)}`;
        return out;
      },
      check: () => stillServes(server),
      close: () => server.close(),
    };
  },
};

export const TARGETS: FuzzTarget[] = [arrowStream, runJson, safetensors, checkpointCfg, checkpointTensors, serverCheckpoint, pool, report, detector, codes, truthTable, httpSteps, httpCreate];

export function targetNamed(prefix: string): FuzzTarget {
  const t = TARGETS.find((x) => x.name.startsWith(prefix));
  if (!t) throw new Error(`no fuzz target '${prefix}'`);
  return t;
}

export interface TargetStats {
  name: string;
  cases: number;
  accepted: number;
  rejected: number;
  crashes: { case: number; error: string }[];
  hangs: number;
  slowestMs: number;
  /** Distinct error codes of the rejections with one example message each. */
  codes: Record<string, string>;
}

/** Runs `cases` seeded cases of a target; a case slower than `hangMs` counts as a hang. */
export async function runTarget(t: FuzzTarget, root: string, o: { seed: number; cases: number; hangMs?: number; onCase?: (i: number) => void }, rngOf: (seed: number) => Rng): Promise<TargetStats> {
  const open = await t.open(root);
  const rng = rngOf(o.seed);
  const stats: TargetStats = { name: t.name, cases: 0, accepted: 0, rejected: 0, crashes: [], hangs: 0, slowestMs: 0, codes: {} };
  const hangMs = o.hangMs ?? 5000;
  try {
    for (let i = 0; i < o.cases; i++) {
      o.onCase?.(i);
      const t0 = performance.now();
      let out: Outcome;
      try {
        out = await open.runCase(rng, i);
      } catch (err) {
        out = (err as Error)?.name === 'TimeoutError' ? { kind: 'crash', error: 'hang: no answer within the case timeout' } : classify(err);
      }
      const ms = performance.now() - t0;
      stats.slowestMs = Math.max(stats.slowestMs, ms);
      stats.cases++;
      if (ms > hangMs || (out.kind === 'crash' && out.error.startsWith('hang'))) stats.hangs++;
      else if (out.kind === 'accepted') stats.accepted++;
      else if (out.kind === 'rejected') {
        stats.rejected++;
        stats.codes[out.code] ??= out.message;
      } else stats.crashes.push({ case: i, error: out.error });
    }
    await open.check?.();
  } finally {
    await open.close();
  }
  return stats;
}
