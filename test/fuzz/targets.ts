// Fuzz targets: every input parser of thoughtlens, each with a valid seed input built once
// and a case runner that mutates it (seeded) and feeds it to the real parser. Shared by the
// bounded fuzz tests (test/fuzz/*.test.ts) and the long run (bench/fuzz/parsers.bench.ts).
// The contract and runner are in fuzzTarget.ts, the HTTP targets in httpTargets.ts.
//
// A case passes when the parser accepts the input or rejects it with a ThoughtlensError
// carrying a message (over HTTP: a 4xx JSON body {error:{code,message}}). Anything else (a
// plain Error, a 5xx, a body that is not JSON, a timeout) is a crash or a hang.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { createRun, decodeSafetensors, encodeSafetensors, openRun, readManifest, readTruthTable, truthPath, validateManifest, writeTruthTable, type AgentSpec } from '../../data/index.js';
import { defaultPoolFile, loadPool, poolFromJson } from '../../agents/pool/index.js';
import { estimateNorm, initParams, loadCheckpoint, loadOptimizerState, makeCheckpointCfg, readCodes as readRunCodes, resolveSaeConfig, saveCheckpoint } from '../../sae/index.js';
import { ccaViews, detectRun, loadDetector, REPORT_FILES, saveDetector, writeReport } from '../../conflicts/index.js';
import { readCheckpoint, readCodes as readWorkbenchCodes, readReport } from '../../server/index.js';
import { makeRng } from '../../util/random.js';
import { mutateBytes, mutateJson } from '../helpers/fuzz.js';
import { makeTestRun } from '../helpers/makeTestRun.js';
import { writeCodesFixture } from '../helpers/serverFixtures.js';
import { jsonOrBytes, outcomeOf, sync, type FuzzTarget } from './fuzzTarget.js';
import { httpCreate, httpSteps } from './httpTargets.js';

export * from './fuzzTarget.js';
export { INGEST_AGENTS, httpOutcome, ingestHidden, ingestStream } from './httpTargets.js';

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
      // The one layout the reader knows: the trainer's (sae/checkpoint).
      cfg: JSON.parse(readFileSync(files.cfg, 'utf8')) as unknown,
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
      return outcomeOf(() => void readCheckpoint('ck', dir));
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

export const TARGETS: FuzzTarget[] = [arrowStream, runJson, safetensors, checkpointCfg, checkpointTensors, serverCheckpoint, pool, report, detector, codes, truthTable, httpSteps, httpCreate];

export function targetNamed(prefix: string): FuzzTarget {
  const t = TARGETS.find((x) => x.name.startsWith(prefix));
  if (!t) throw new Error(`no fuzz target '${prefix}'`);
  return t;
}

