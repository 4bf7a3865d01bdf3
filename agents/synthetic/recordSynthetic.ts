// Records a synthetic run into the run store: streams chunk by chunk into the agents' Arrow
// streams and truth/latents.arrows (memory stays constant whatever the run's length), with
// truth/structure.json and truth/conflicts.json written before the first step.
import { createRun, writeTruthJson, type AgentSpec, type RunManifest } from '../../data/index.js';
import type { SyntheticConfig } from './config.js';
import { RecordingInterruptedError } from './errors.js';
import { LATENTS_FILE, LatentsWriter } from './latentsWriter.js';
import { SyntheticGenerator } from './syntheticGenerator.js';
import { CONFLICTS_FILE, STRUCTURE_FILE, conflictsTruth, structureTruth } from './syntheticTruth.js';

export interface RecordSyntheticOptions {
  /** Run id (default: the folder name). */
  id?: string;
  /** Called after each chunk with steps done and total steps. */
  onProgress?: (done: number, total: number) => void;
  /** Steps generated per chunk (default 1024). */
  chunkRows?: number;
  /** Rows per record batch of the agent streams (default: the run store's choice). */
  batchRows?: number;
  /** Give the event loop a turn at least this often, so timers and live readers run (ms, default 50). */
  yieldEveryMs?: number;
  /** Stops the recording; the run is kept with status `aborted`. */
  signal?: AbortSignal;
}

export interface SyntheticTruthSummary {
  family: string;
  files: string[];
  thoughtCount: number;
  groups: { name: string; agents: string[]; size: number; kind: string }[];
  conflicts: number;
  lag: number;
}

export interface RecordSyntheticResult {
  dir: string;
  manifest: RunManifest;
  truth: SyntheticTruthSummary;
  steps: number;
  seconds: number;
}

export function syntheticAgentSpecs(gen: SyntheticGenerator): AgentSpec[] {
  return gen.structure.agents.map((a, i) => ({
    id: a.id,
    hiddenSize: a.hiddenSize,
    model: `${gen.networks[i]!.describe()}, noise ${gen.config.mixing.noise} (family ${gen.family.name})`,
    columns: [
      { name: 'action', type: 'int32', role: 'action', description: 'quantised readout of the own copy of shared thoughts, lag steps late' },
      { name: 'reward', type: 'float32', role: 'reward', description: '1 while behaviour agrees with partners, 0 after a planted divergence' },
      { name: 'diverged', type: 'bool', role: 'event', description: 'true at the step a planted conflict shows in behaviour' },
    ],
  }));
}

export async function recordSynthetic(dir: string, config: SyntheticConfig, opts: RecordSyntheticOptions = {}): Promise<RecordSyntheticResult> {
  const started = Date.now();
  const gen = new SyntheticGenerator(config);
  const writer = createRun(dir, {
    id: opts.id,
    source: { kind: 'synthetic', params: gen.config as unknown as Record<string, unknown> },
    agents: syntheticAgentSpecs(gen),
    batchRows: opts.batchRows,
  });
  const ids = gen.structure.agents.map((a) => a.id);
  let latents: LatentsWriter | null = null;
  try {
    writer.addTruthFiles([
      writeTruthJson(writer.dir, STRUCTURE_FILE, structureTruth(gen)),
      writeTruthJson(writer.dir, CONFLICTS_FILE, conflictsTruth(gen)),
    ]);
    latents = new LatentsWriter(writer.dir, ids, gen.structure.thoughtCount);
    const total = gen.totalSteps;
    const yieldEvery = opts.yieldEveryMs ?? 50;
    let lastYield = Date.now();
    for (const chunk of gen.chunks(opts.chunkRows ?? 1024)) {
      for (const a of chunk.agents) {
        writer.append(a.id, {
          episode: chunk.episode,
          step: chunk.step,
          hidden: a.hidden,
          columns: { action: a.action, reward: a.reward, diverged: a.diverged },
        });
      }
      latents.append(chunk);
      opts.onProgress?.(chunk.done, total);
      if (Date.now() - lastYield >= yieldEvery) {
        await new Promise((r) => setImmediate(r));
        lastYield = Date.now();
      }
      if (opts.signal?.aborted) throw new RecordingInterruptedError();
    }
    latents.close();
    writer.addTruthFiles([`truth/${LATENTS_FILE}`]);
    writer.close();
  } catch (err) {
    latents?.close();
    writer.abort(err instanceof RecordingInterruptedError ? 'recording stopped by the user' : `recording failed: ${(err as Error).message}`);
    throw err;
  }
  return {
    dir: writer.dir,
    manifest: writer.manifest,
    truth: {
      family: gen.family.name,
      files: [...(writer.manifest.truth ?? [])],
      thoughtCount: gen.structure.thoughtCount,
      groups: gen.structure.groups.map((g) => ({ name: g.name, agents: g.agents, size: g.size, kind: g.kind })),
      conflicts: gen.conflicts.length,
      lag: gen.config.conflicts.lag,
    },
    steps: gen.totalSteps,
    seconds: (Date.now() - started) / 1000,
  };
}

