// `truth attach`: gives any run (written by any tool) ground truth in the layout the synthetic
// source writes, so eval-truth and detect score it unchanged. Everything is read and checked
// against the run first (truthStructure, truthLatents, truthConflicts); the files are written
// to a temporary folder in the run, which is then renamed to truth/, and run.json lists them.
// Nothing is written when a check fails.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { tableToIPC } from 'apache-arrow';
import { UsageError } from './errors.js';
import { TRUTH_DIR } from './format.js';
import { readManifest, writeManifest } from './manifest.js';
import { openRun } from './runReader.js';
import { checkConflicts } from './truthConflicts.js';
import { truthInputError, truthInputMissing } from './truthInputError.js';
import { checkLatents, type RunSteps } from './truthLatents.js';
import { stepKey } from './truthThoughts.js';
import { checkStructure } from './truthStructure.js';

export const TRUTH_STRUCTURE_FILE = 'structure.json';
export const TRUTH_LATENTS_FILE = 'latents.arrows';
export const TRUTH_CONFLICTS_FILE = 'conflicts.json';

export interface AttachTruthOptions {
  /** structure.json: {thoughts: [{id, agents}, …]}. */
  structure: string;
  /** Arrow IPC stream or file: episode, step, and the thought values. */
  latents: string;
  /** Optional conflicts truth: {conflicts: [{episode, agent, thoughts, onsetStep, divergenceStep}, …]}. */
  conflicts?: string;
  /** Replace truth the run already has (default: refuse). */
  replace?: boolean;
}

export interface AttachTruthResult {
  dir: string;
  files: string[];
  thoughtCount: number;
  /** Thoughts per class: shared (all agents), partial (a subset, N > 2), private-<agent>. */
  classes: Record<string, number>;
  latentsRows: number;
  runSteps: number;
  latentsSource: string;
  conflicts: number;
  replaced: boolean;
}

export function attachTruth(runDir: string, o: AttachTruthOptions): AttachTruthResult {
  const run = openRun(runDir);
  const status = run.effectiveStatus();
  if (status === 'recording') throw new UsageError(`truth attach: run '${run.manifest.id}' is still being recorded; attach truth once it is complete`);
  const truthDir = join(run.dir, TRUTH_DIR);
  const had = (run.manifest.truth ?? []).length > 0 || existsSync(truthDir);
  if (had && !o.replace) throw new UsageError(`truth attach: run '${run.manifest.id}' already has ground truth (${TRUTH_DIR}/); pass --replace to replace it`);
  const agents = run.manifest.agents.map((a) => ({ id: a.id, hiddenSize: a.hiddenSize }));
  const ids = agents.map((a) => a.id);

  // 1. Check everything.
  const structure = checkStructure(o.structure, readJson(o.structure, 'structure'), agents);
  const K = structure.thoughts.length;
  const steps = runSteps(run.joined({ reuseBuffer: true, validate: false }));
  const latents = checkLatents(o.latents, K, ids, steps);
  const conflicts = o.conflicts === undefined ? null : checkConflicts(o.conflicts, readJson(o.conflicts, 'conflicts'), ids, structure.thoughts, steps);

  // 2. Write to a temporary folder, then rename it into place.
  const files = [`${TRUTH_DIR}/${TRUTH_STRUCTURE_FILE}`, `${TRUTH_DIR}/${TRUTH_LATENTS_FILE}`, ...(conflicts ? [`${TRUTH_DIR}/${TRUTH_CONFLICTS_FILE}`] : [])];
  const structureJson = {
    format: 'thoughtlens-structure',
    version: 1,
    ...structure.json,
    latents: { file: files[1], columns: { episode: 'int32', step: 'int32', thoughts: `FixedSizeList<Float32>[${K}]: the true thoughts, indexed by id` } },
    ...(conflicts ? { conflicts: { file: files[2], count: conflicts.length } } : {}),
    attached: { by: 'thoughtlens truth attach', from: { structure: basename(o.structure), latents: basename(o.latents), ...(o.conflicts ? { conflicts: basename(o.conflicts) } : {}) }, latentsSource: latents.source },
  };
  const tmp = join(run.dir, `.truth.tmp-${process.pid}-${Date.now()}`);
  const old = join(run.dir, `.truth.old-${process.pid}-${Date.now()}`);
  try {
    mkdirSync(tmp);
    writeFileSync(join(tmp, TRUTH_STRUCTURE_FILE), JSON.stringify(structureJson, null, 1) + '\n');
    writeFileSync(join(tmp, TRUTH_LATENTS_FILE), tableToIPC(latents.table, 'stream'));
    if (conflicts) {
      const doc = { format: 'thoughtlens-conflicts', version: 1, episodes: steps.episodes.length, conflicts };
      writeFileSync(join(tmp, TRUTH_CONFLICTS_FILE), JSON.stringify(doc, null, 1) + '\n');
    }
    if (existsSync(truthDir)) renameSync(truthDir, old);
    renameSync(tmp, truthDir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(truthDir)) renameSync(old, truthDir);
    throw err;
  }
  rmSync(old, { recursive: true, force: true });
  const manifest = readManifest(run.dir);
  writeManifest(run.dir, { ...manifest, truth: files, updatedAt: new Date().toISOString() });

  const classes: Record<string, number> = {};
  for (const t of structure.thoughts) {
    const c = t.agents.length === ids.length && ids.length > 1 ? 'shared' : t.agents.length === 1 ? `private-${t.agents[0]}` : 'partial';
    classes[c] = (classes[c] ?? 0) + 1;
  }
  return {
    dir: run.dir,
    files,
    thoughtCount: K,
    classes,
    latentsRows: latents.rows,
    runSteps: steps.keys.size,
    latentsSource: latents.source,
    conflicts: conflicts?.length ?? 0,
    replaced: had,
  };
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw truthInputMissing(file, what);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw truthInputError(file, `is not valid JSON: ${(err as Error).message}`);
  }
}

function runSteps(batches: Iterable<{ length: number; episode: Int32Array; step: Int32Array }>): RunSteps {
  const keys = new Set<number>();
  const episodes = new Set<number>();
  for (const b of batches) {
    for (let r = 0; r < b.length; r++) {
      keys.add(stepKey(b.episode[r]!, b.step[r]!));
      episodes.add(b.episode[r]!);
    }
  }
  return { keys, episodes: [...episodes].sort((a, b) => a - b) };
}
